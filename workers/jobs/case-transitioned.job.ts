// After any transition: propose or lift holds as planned, notify whoever's desk the case
// reached, and put the delayed jobs of the deadlines it started, resumed or extended into Redis.
import { Type } from 'typebox';
import { reactToTransition } from '../../server/services/workflow.service.ts';
import { defineJob } from '../job-definition.ts';
import { syncCaseDeadlineJobs } from '../reconcile-steps.ts';
import { schedulerDeps, Uuid } from './workflow-jobs.ts';

export default defineJob({
  name: 'case-transitioned',
  queue: '{case-transitioned}',
  topics: ['case.transitioned'],
  payload: Type.Object({
    caseId: Uuid,
    transition: Type.String({ maxLength: 40 }),
    toState: Type.String({ maxLength: 40 }),
    version: Type.Optional(Type.Integer({ minimum: 1 })),
    actorKind: Type.Optional(Type.String({ maxLength: 20 })),
    targetBodyId: Type.Optional(Uuid),
    investigatorIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
    proposeHolds: Type.Optional(Type.Boolean()),
    /** How many clocks the transition changed; absent from rows written by other paths. */
    deadlineChanges: Type.Optional(Type.Integer({ minimum: 0 })),
    liftHolds: Type.Optional(Type.Union([Type.Null(), Type.Union([
      Type.Object({
        lift: Type.Literal(true),
        liftReason: Type.Union([Type.Literal('cleared'), Type.Literal('case_terminated'), Type.Literal('case_withdrawn'), Type.Literal('case_dismissed')]),
        cadreCleared: Type.Boolean(),
      }),
      Type.Object({ lift: Type.Literal(false), keepFor: Type.Literal('organization_board') }),
    ])])),
  }),
  effectsInRunOnce: true,
  async handler(ctx, payload) {
    await ctx.runOnce((tx) => reactToTransition(tx, { config: ctx.config }, payload));
    // A move that changed no clock needs no new delayed job (stopped clocks' jobs just find them stopped).
    if (payload.deadlineChanges !== 0) await syncCaseDeadlineJobs(schedulerDeps(ctx), payload.caseId);
  },
});
