// The reporter wrote or added evidence (inbox.service.ts, upload.service.ts): resume a case
// waiting for the answer, and tell the body handling it.
import { Type } from 'typebox';
import { reactToReporterActivity } from '../../server/services/workflow.service.ts';
import { defineJob } from '../job-definition.ts';
import { syncCaseDeadlineJobs } from '../reconcile-steps.ts';
import { schedulerDeps, Uuid } from './workflow-jobs.ts';

export default defineJob({
  name: 'reporter-activity',
  queue: '{reporter-activity}',
  topics: ['case.reporter_message', 'case.evidence_added'],
  payload: Type.Object({ caseId: Uuid, messageId: Type.Optional(Uuid), attachmentId: Type.Optional(Uuid) }),
  async handler(ctx, payload) {
    const kind = ctx.outbox.topic === 'case.reporter_message' ? 'reporter_message' : 'evidence_added';
    const itemId = payload.messageId ?? payload.attachmentId ?? ctx.outbox.dedupeKey;
    await ctx.runOnce((tx) => reactToReporterActivity(tx, { config: ctx.config }, { caseId: payload.caseId, kind, itemId }));
    await syncCaseDeadlineJobs(schedulerDeps(ctx), payload.caseId);
  },
});
