// A received case: record the routing decision, move it into triage, start the triage
// clock and tell the staff of the bodies it went to. Then its deadline jobs go to Redis.
import { Type } from 'typebox';
import { routingSnapshot } from '../../server/services/intake-routing.service.ts';
import { routeReceivedCase } from '../../server/services/workflow.service.ts';
import { defineJob } from '../job-definition.ts';
import { addDelayedJobs, syncCaseDeadlineJobs } from '../reconcile-steps.ts';
import { schedulerDeps, Uuid } from './workflow-jobs.ts';

export default defineJob({
  name: 'route-case',
  queue: '{route-case}',
  // The intake writes case.received when a submission is complete (intake.service.ts).
  topics: ['case.received'],
  payload: Type.Object({ caseId: Uuid }),
  effectsInRunOnce: true,
  // Under load, the cases in hand are routed in one transaction (group commit): one job per
  // case, and no two cases share a row the routing writes (their audit entries are appended
  // together, after the last case).
  concurrency: 32,
  groupCommit: { maxSize: 32 },
  async handler(ctx, payload) {
    // Read outside the transaction, from the copy the intake also uses (at most a second old):
    // routing here only explains and flags; the bodies were fixed when the case was sealed.
    const routing = await routingSnapshot(ctx.db);
    const result = await ctx.runOnce((tx) => routeReceivedCase(tx, { config: ctx.config, routing }, payload.caseId));
    const outcome = result.ran ? result.value : null;
    // The rows this run wrote go straight to Redis; a run that found the work done (or a
    // retry after a crash between commit and here) re-derives them from Postgres instead.
    if (outcome?.status === 'routed') await addDelayedJobs(schedulerDeps(ctx), outcome.scheduled, { skipExisting: false });
    else await syncCaseDeadlineJobs(schedulerDeps(ctx), payload.caseId);
    return outcome ? outcome.status : 'already-routed';
  },
});
