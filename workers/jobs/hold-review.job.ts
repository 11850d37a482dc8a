// Hold reviews: a reminder to the inspection lead before a hold's review date, and the day
// after it an escalation that marks an unrenewed hold lapsed (it stays in force).
import { Type } from 'typebox';
import { escalateHoldReview, remindHoldReview } from '../../server/services/hold-review.service.ts';
import { HOLD_REVIEW_TOPICS } from '../../server/services/hold.service.ts';
import { defineJob } from '../job-definition.ts';
import { IsoDay, Uuid } from './workflow-jobs.ts';

export default defineJob({
  name: 'hold-review',
  queue: '{hold-review}',
  topics: [HOLD_REVIEW_TOPICS.reminder, HOLD_REVIEW_TOPICS.due],
  payload: Type.Object({ holdId: Uuid, deadlineId: Uuid, dueOn: IsoDay, remindOn: Type.Optional(IsoDay) }),
  async handler(ctx, payload) {
    const run = ctx.outbox.topic === HOLD_REVIEW_TOPICS.due ? escalateHoldReview : remindHoldReview;
    const result = await ctx.runOnce((tx) => run(tx, { config: ctx.config }, payload));
    return result.ran ? result.value : 'already-done';
  },
});
