// N working days before a deadline: remind the body handling the case.
import { Type } from 'typebox';
import { DEADLINE_KINDS } from '../../server/domain/vocabulary.ts';
import { remindDeadline } from '../../server/services/deadline-escalation.service.ts';
import { DEADLINE_TOPICS } from '../../server/services/deadline-schedule.ts';
import { loadCalendar } from '../../server/services/deadline.service.ts';
import { defineJob } from '../job-definition.ts';
import { DEADLINE_REMINDER_QUEUE, IsoDay, Uuid } from './workflow-jobs.ts';

export default defineJob({
  name: 'deadline-reminder',
  queue: DEADLINE_REMINDER_QUEUE,
  topics: [DEADLINE_TOPICS.reminder],
  payload: Type.Object({ deadlineId: Uuid, caseId: Uuid, kind: Type.Enum(DEADLINE_KINDS), dueOn: IsoDay, remindOn: IsoDay }),
  async handler(ctx, payload) {
    const calendar = await loadCalendar(ctx.db);
    const result = await ctx.runOnce((tx) => remindDeadline(tx, { config: ctx.config, calendar }, payload));
    return result.ran ? result.value : 'already-done';
  },
});
