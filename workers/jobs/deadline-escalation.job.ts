// The first day a deadline is late: the case is marked overdue and the body's lead is told.
import { Type } from 'typebox';
import { DEADLINE_KINDS } from '../../server/domain/vocabulary.ts';
import { escalateDeadline } from '../../server/services/deadline-escalation.service.ts';
import { DEADLINE_TOPICS } from '../../server/services/deadline-schedule.ts';
import { loadCalendar } from '../../server/services/deadline.service.ts';
import { defineJob } from '../job-definition.ts';
import { DEADLINE_ESCALATION_QUEUE, IsoDay, Uuid } from './workflow-jobs.ts';

export default defineJob({
  name: 'deadline-escalation',
  queue: DEADLINE_ESCALATION_QUEUE,
  topics: [DEADLINE_TOPICS.due],
  payload: Type.Object({ deadlineId: Uuid, caseId: Uuid, kind: Type.Enum(DEADLINE_KINDS), dueOn: IsoDay }),
  async handler(ctx, payload) {
    const calendar = await loadCalendar(ctx.db);
    const result = await ctx.runOnce((tx) => escalateDeadline(tx, { config: ctx.config, calendar }, payload));
    return result.ran ? result.value : 'already-done';
  },
});
