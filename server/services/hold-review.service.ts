// What the hold review jobs do when they fire: a few working days before a hold's review
// date the lead is reminded; the day after it, a hold nobody renewed is marked lapsed (it
// keeps blocking the action), recorded on the case timeline, the action's history and the
// audit log, and escalated to the lead. A job for a clock that has since moved does nothing.
import type { Config } from '../config.ts';
import type { Tx } from '../db/client.ts';
import { createCalendar, localDateOf } from '../domain/calendar.ts';
import { planHoldTransition } from '../domain/hold-lifecycle.ts';
import { insertCaseEvents } from '../repositories/case.repository.ts';
import { findCaseRefAndCadre, lockHold, lockHoldDeadline, markHoldDeadline, updateHold } from '../repositories/hold.repository.ts';
import { insertActionEvents } from '../repositories/personnel.repository.ts';
import { updateDeadline } from '../repositories/deadline.repository.ts';
import { appendAudit } from './audit.service.ts';
import type { HoldReviewPayload } from './hold.service.ts';
import { leadsOf, notifyStaff } from './notification.service.ts';

type Deps = { config: Pick<Config, 'smtpUrl'>; now?: Date };
export type HoldReviewOutcome = 'done' | 'stale';

async function current(tx: Tx, p: HoldReviewPayload) {
  // Hold before its clock: the order every hold decision locks in (action, hold, deadline),
  // so a lead renewing at the moment the job fires waits instead of deadlocking.
  const hold = await lockHold(tx, p.holdId);
  if (!hold || hold.state !== 'confirmed' || hold.reviewOn !== p.dueOn) return null;
  const deadline = await lockHoldDeadline(tx, p.deadlineId);
  if (!deadline || deadline.state !== 'open' || deadline.dueOn !== p.dueOn || deadline.holdId !== p.holdId) return null;
  const c = await findCaseRefAndCadre(tx, hold.caseId);
  return c ? { deadline, hold, c } : null;
}

export async function remindHoldReview(tx: Tx, deps: Deps, p: HoldReviewPayload): Promise<HoldReviewOutcome> {
  const found = await current(tx, p);
  if (!found) return 'stale';
  await markHoldDeadline(tx, found.deadline.id, { remindedAt: deps.now ?? new Date() });
  await notifyStaff(tx, deps.config, {
    caseRef: found.c.publicRef, kind: 'hold.review_due_soon', dedupeKey: `hold/${p.holdId}/review-reminder/${p.dueOn}/${p.remindOn ?? ''}`,
    recipients: await leadsOf(tx, found.c, found.hold.placingBodyId),
  });
  return 'done';
}

/** The review date passed without a renewal: lapsed, escalated and recorded; never lifted. */
export async function escalateHoldReview(tx: Tx, deps: Deps, p: HoldReviewPayload): Promise<HoldReviewOutcome> {
  const found = await current(tx, p);
  if (!found) return 'stale';
  const { deadline, hold, c } = found;
  const now = deps.now ?? new Date();
  const today = localDateOf(now);
  const plan = planHoldTransition(hold, 'lapse', { today, calendar: createCalendar() });
  await updateHold(tx, hold.id, hold.version, { state: plan.to });
  await updateDeadline(tx, deadline.id, { state: 'missed', escalatedAt: now, closedAt: now });
  const detail = { holdId: hold.id, personnelActionId: hold.personnelActionId, reviewOn: p.dueOn, fromState: plan.from, toState: plan.to };
  await insertCaseEvents(tx, [{
    caseId: c.id, kind: 'hold.review_missed', actorKind: 'system', isPublic: false, detail, occurredOn: today, createdAt: now,
    dedupeKey: `hold.review_missed/${hold.id}/${p.dueOn}`,
  }]);
  await insertActionEvents(tx, [{
    actionId: hold.personnelActionId, kind: 'hold.review_missed', actorKind: 'system', holdId: hold.id, fromState: null, toState: null,
    detail: { reviewOn: p.dueOn }, createdAt: now,
  }]);
  const recipients = await leadsOf(tx, c, hold.placingBodyId);
  await notifyStaff(tx, deps.config, { caseRef: c.publicRef, kind: 'hold.review_missed', dedupeKey: `hold/${hold.id}/review-missed/${p.dueOn}`, recipients });
  await appendAudit(tx, {
    actorKind: 'system', action: 'hold.review_missed', resourceKind: 'hold', resourceId: hold.id,
    detail: { ...detail, caseId: c.id, notified: recipients.length },
  });
  return 'done';
}
