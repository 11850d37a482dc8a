// Holds (tạm dừng công tác cán bộ) as the inspection lead decides them: confirm or refuse a
// proposal, renew before the review date, lift by their own decision, record a competent
// body's decision to proceed anyway. Each decision is one transaction that writes the hold,
// the action's state, the case timeline, the action's history, the review clock and the audit.
import type { Config } from '../config.ts';
import type { Db, DbOrTx, Tx } from '../db/client.ts';
import { addCalendarDays, addWorkingDays, calendarDaysBetween, compareDates, localDateOf, type Calendar, type IsoDate } from '../domain/calendar.ts';
import type { DeadlinePolicy } from '../domain/deadlines.ts';
import { AppError } from '../domain/errors.ts';
import { planHoldTransition, type HoldLiftReason, type HoldTransitionName } from '../domain/hold-lifecycle.ts';
import { actionMoveForHolds, isBlockingHold, type HoldFacts, type ProtectedReporterStatus } from '../domain/holds.ts';
import { planPersonnelTransition } from '../domain/personnel.ts';
import { decide, type Actor, type HoldResource } from '../domain/policy.ts';
import type { HoldState } from '../domain/vocabulary.ts';
import { insertCaseEvents } from '../repositories/case.repository.ts';
import {
  closeHoldDeadlines, findCaseRefAndCadre, findHold, findRecusedStaffIds, insertHoldDeadline, liftBlockingHolds, listBodyHolds, listHoldsOfAction,
  lockHold, proceedAnywayOf, updateHold, type BodyHoldItem, type HoldRecord,
} from '../repositories/hold.repository.ts';
import { enqueueOutbox } from '../repositories/outbox.repository.ts';
import { findBodyNames, insertActionEvents, lockAction, updateAction, type ActionRecord } from '../repositories/personnel.repository.ts';
import { appendAudits, type AuditEntry } from './audit.service.ts';
import { vnInstant, REMINDER_HOUR_VN } from './deadline-schedule.ts';
import { loadCalendar, loadDeadlinePolicy } from './deadline.service.ts';
import { decodeKeyset, encodeKeyset } from './personnel-cursor.ts';

export type HoldDeps = { db: Db; config: Pick<Config, 'smtpUrl'>; now?: () => Date };

export const HOLD_REVIEW_TOPICS = { reminder: 'hold.review_reminder', due: 'hold.review_due' } as const;
export type HoldReviewPayload = { holdId: string; deadlineId: string; dueOn: IsoDate; remindOn?: IsoDate };

/** The policy resource of a hold: the body whose case placed it, the cadre, the case's recusals. */
export async function loadHoldResource(db: DbOrTx, holdId: string): Promise<HoldResource & { hold: HoldRecord }> {
  const hold = await findHold(db, holdId);
  if (!hold) throw new AppError('NOT_FOUND');
  const c = await findCaseRefAndCadre(db, hold.caseId);
  return { hold, placedByBodyId: hold.placingBodyId, cadreId: c?.cadreId ?? '', recusedStaffIds: await findRecusedStaffIds(db, hold.caseId) };
}

// ── Writing one decision ────────────────────────────────────────────────────────────────

type Recorded = { hold: HoldRecord; action: ActionRecord; kind: string; actorStaffId: string | null; detail: Record<string, string | number | boolean | null | string[]>; now: Date };

/** The same decision on the case timeline (codes only), in the action's history, and as an audit entry. */
async function recordHoldDecision(tx: Tx, r: Recorded, audit: AuditEntry[], fromState?: string, toState?: string): Promise<void> {
  const today = localDateOf(r.now);
  await insertCaseEvents(tx, [{
    caseId: r.hold.caseId, kind: r.kind, actorKind: r.actorStaffId ? 'staff' : 'system', actorStaffId: r.actorStaffId, isPublic: false,
    detail: { holdId: r.hold.id, personnelActionId: r.action.id, ...r.detail }, occurredOn: today, createdAt: r.now,
    dedupeKey: `${r.kind}/${r.hold.id}/v${r.hold.version}`,
  }]);
  await insertActionEvents(tx, [{
    actionId: r.action.id, kind: r.kind, actorKind: r.actorStaffId ? 'staff' : 'system', actorStaffId: r.actorStaffId, holdId: r.hold.id,
    fromState: fromState ?? null, toState: toState ?? null, detail: r.detail, createdAt: r.now,
  }]);
  audit.push({
    actorKind: r.actorStaffId ? 'staff' : 'system', actorId: r.actorStaffId, action: r.kind, resourceKind: 'hold', resourceId: r.hold.id,
    detail: { caseId: r.hold.caseId, personnelActionId: r.action.id, ...r.detail },
  });
}

/** Starts the review clock of a confirmed or renewed hold and writes its reminder and escalation jobs. */
export async function startHoldReview(
  tx: Tx, hold: Pick<HoldRecord, 'id' | 'placingBodyId'>, reviewOn: IsoDate, today: IsoDate, calendar: Calendar, policy: DeadlinePolicy, now: Date,
): Promise<void> {
  await closeHoldDeadlines(tx, [hold.id], 'met', now);
  const row = await insertHoldDeadline(tx, { holdId: hold.id, bodyId: hold.placingBodyId, amount: Math.max(1, calendarDaysBetween(today, reviewOn)), startedOn: today, dueOn: reviewOn });
  const base: HoldReviewPayload = { holdId: hold.id, deadlineId: row.id, dueOn: reviewOn };
  // Reminders a few working days before the review (the body's deadline policy), escalation the day after it.
  const reminders = [...new Set(policy.reminderWorkingDaysBefore.map((n) => addWorkingDays(calendar, reviewOn, -n)))]
    .filter((d) => compareDates(d, today) > 0);
  for (const remindOn of reminders) {
    const fireAt = vnInstant(remindOn, REMINDER_HOUR_VN);
    if (fireAt.getTime() <= now.getTime()) continue;
    await enqueueOutbox(tx, { topic: HOLD_REVIEW_TOPICS.reminder, dedupeKey: `hold/${hold.id}/review-reminder/${reviewOn}/${remindOn}`, payload: { ...base, remindOn }, availableAt: fireAt });
  }
  await enqueueOutbox(tx, {
    topic: HOLD_REVIEW_TOPICS.due, dedupeKey: `hold/${hold.id}/review-due/${reviewOn}`, payload: base,
    availableAt: vnInstant(addCalendarDays(reviewOn, 1)),
  });
}

/**
 * Moves the action as its holds now stand: into 'held' when a hold is in force on a pending
 * action, back to the state it was held from when none blocks it any more (or every one that
 * does has a proceed-anyway decision).
 */
export async function syncActionWithHolds(tx: Tx, actionId: string, actorStaffId: string | null, now: Date, audit: AuditEntry[]): Promise<ActionRecord> {
  const action = await lockAction(tx, actionId);
  if (!action) throw new AppError('NOT_FOUND');
  const all = await listHoldsOfAction(tx, actionId);
  const proceed = proceedAnywayOf(all);
  const transition = actionMoveForHolds(action, all, proceed);
  if (transition === null) return action;
  const notProtected: ProtectedReporterStatus = { isProtected: false };
  const facts = { action: { ...action, heldFrom: action.heldFromState }, actor: 'system' as const, today: localDateOf(now), holds: all, proceedAnyway: proceed, protectedReporter: notProtected };
  const plan = planPersonnelTransition({ ...facts, transition });
  if (!(await updateAction(tx, action.id, action.version, { state: plan.to, heldFromState: plan.heldFrom }))) throw new AppError('STALE_VERSION');
  await insertActionEvents(tx, [{ actionId, kind: plan.event.type, fromState: plan.from, toState: plan.to, actorKind: 'system', actorStaffId: null, createdAt: now, detail: {} }]);
  audit.push({ actorKind: 'system', actorId: null, action: plan.event.type, resourceKind: 'personnel_action', resourceId: actionId, detail: { fromState: plan.from, toState: plan.to, ...(actorStaffId ? { decidedBy: actorStaffId } : {}) } });
  return { ...action, state: plan.to, heldFromState: plan.heldFrom, version: action.version + 1 };
}

export type SystemLift = { liftReason: HoldLiftReason; cadreCleared?: boolean };
export type LiftedHold = { id: string; personnelActionId: string; caseId: string };

/**
 * Lifts holds for a reason the system records (the case ended, the action was withdrawn):
 * their actions are locked first, in id order (the order approval, proposals and the lead's
 * decisions lock in), then the holds still blocking are lifted, their review clocks closed,
 * each action's history written and a held action moved back where it was. The caller
 * records the lift on the case timeline; the audit entries of the moves are returned for it
 * to append after its own.
 */
export async function liftHoldsBySystem(
  tx: Tx, candidates: readonly Pick<HoldFacts, 'id' | 'personnelActionId'>[], lift: SystemLift, now: Date,
): Promise<{ lifted: LiftedHold[]; moveAudit: AuditEntry[] }> {
  const actionIds = [...new Set(candidates.map((h) => h.personnelActionId))].sort();
  for (const id of actionIds) await lockAction(tx, id);
  const lifted = await liftBlockingHolds(tx, candidates.map((h) => h.id), lift.liftReason, now);
  await closeHoldDeadlines(tx, lifted.map((h) => h.id), 'cancelled', now);
  await insertActionEvents(tx, lifted.map((h) => ({
    actionId: h.personnelActionId, kind: 'hold.lifted', actorKind: 'system' as const, holdId: h.id, createdAt: now,
    detail: { liftReason: lift.liftReason, ...(lift.cadreCleared === undefined ? {} : { cadreCleared: lift.cadreCleared }) },
  })));
  const moveAudit: AuditEntry[] = [];
  for (const id of [...new Set(lifted.map((h) => h.personnelActionId))].sort()) await syncActionWithHolds(tx, id, null, now, moveAudit);
  return { lifted, moveAudit };
}

export type HoldDecisionInput =
  | { decision: 'confirm'; legalBasis: string; scope: string; reviewOn?: IsoDate | undefined; expectedVersion?: number | undefined }
  | { decision: 'refuse'; reason: string; expectedVersion?: number | undefined }
  | { decision: 'renew'; reason: string; reviewOn?: IsoDate | undefined; expectedVersion?: number | undefined }
  | { decision: 'lift'; reason: string; expectedVersion?: number | undefined }
  | { decision: 'proceed_anyway'; decisionRef: string; bodyId: string; expectedVersion?: number | undefined };

export type HoldView = {
  id: string; state: HoldState; reviewOn: string | null; renewals: number; version: number; caseId: string; personnelActionId: string;
  proceedAnywayRef: string | null;
};

const view = (h: HoldRecord): HoldView => ({
  id: h.id, state: h.state, reviewOn: h.reviewOn, renewals: h.renewals, version: h.version, caseId: h.caseId,
  personnelActionId: h.personnelActionId, proceedAnywayRef: h.proceedAnywayRef,
});

/** One decision of the inspection lead on one hold; the policy check has run on its resource. */
export async function decideHold(deps: HoldDeps, actor: Actor, holdId: string, input: HoldDecisionInput): Promise<HoldView> {
  const now = deps.now?.() ?? new Date();
  const today = localDateOf(now);
  return deps.db.transaction(async (tx) => {
    // The action first, then the hold: the same order as approval and the proposal job.
    const peek = await findHold(tx, holdId);
    if (!peek) throw new AppError('NOT_FOUND');
    const action = await lockAction(tx, peek.personnelActionId);
    const hold = await lockHold(tx, holdId);
    if (!hold || !action) throw new AppError('NOT_FOUND');
    if (input.expectedVersion !== undefined && input.expectedVersion !== hold.version) throw new AppError('STALE_VERSION', undefined, { version: hold.version });
    const audit: AuditEntry[] = [];
    const calendar = await loadCalendar(tx);
    const policy = await loadDeadlinePolicy(tx, hold.placingBodyId);
    let next: HoldRecord;

    if (input.decision === 'proceed_anyway') {
      if (!isBlockingHold(hold.state)) throw new AppError('INVALID_TRANSITION', `Hold ${hold.id} is ${hold.state}: nothing to proceed past.`, { holdId: hold.id });
      const ref = input.decisionRef.trim();
      if (ref === '') throw new AppError('VALIDATION_FAILED', 'A decision to proceed anyway needs its reference.', { holdId: hold.id });
      if ((await findBodyNames(tx, [input.bodyId])).size === 0) throw new AppError('VALIDATION_FAILED', 'The deciding body is unknown.', { fields: ['/bodyId'] });
      await mustUpdate(tx, hold, { proceedAnywayRef: ref, proceedAnywayBodyId: input.bodyId, proceedAnywayAt: now, proceedAnywayBy: actor.staffId });
      next = { ...hold, proceedAnywayRef: ref, proceedAnywayBodyId: input.bodyId, version: hold.version + 1 };
      await recordHoldDecision(tx, { hold, action, kind: 'hold.proceed_anyway_recorded', actorStaffId: actor.staffId, now, detail: { decidingBodyId: input.bodyId } }, audit);
    } else {
      const name: HoldTransitionName = input.decision;
      const plan = planHoldTransition(hold, name, {
        today, calendar, policy,
        ...(input.decision === 'confirm' ? { legalBasis: input.legalBasis, scope: input.scope } : { reason: input.reason }),
        ...(input.decision === 'lift' ? { liftReason: 'lead_decision' as HoldLiftReason } : {}),
        ...((input.decision === 'confirm' || input.decision === 'renew') && input.reviewOn ? { reviewOn: input.reviewOn } : {}),
      });
      const patch = {
        state: plan.to, reviewOn: plan.reviewOn, decidedBy: actor.staffId, decidedAt: now,
        ...(input.decision === 'confirm' ? { legalBasis: input.legalBasis.trim(), scope: input.scope.trim() } : { decisionReason: input.reason.trim() }),
        ...(input.decision === 'renew' ? { renewals: hold.renewals + 1 } : {}),
        ...(input.decision === 'lift' ? { liftReason: 'lead_decision', liftedAt: now } : {}),
      };
      await mustUpdate(tx, hold, patch);
      next = { ...hold, ...patch, version: hold.version + 1 } as HoldRecord;
      if (plan.reviewOn && (input.decision === 'confirm' || input.decision === 'renew')) {
        await startHoldReview(tx, hold, plan.reviewOn, today, calendar, policy, now);
      } else {
        await closeHoldDeadlines(tx, [hold.id], 'cancelled', now);
      }
      await recordHoldDecision(tx, {
        hold, action, kind: `hold.${PAST[input.decision]}`, actorStaffId: actor.staffId, now,
        detail: { fromState: plan.from, toState: plan.to, reviewOn: plan.reviewOn, ...(input.decision === 'lift' ? { liftReason: 'lead_decision' } : {}) },
      }, audit);
    }
    await syncActionWithHolds(tx, action.id, actor.staffId, now, audit);
    await appendAudits(tx, audit);
    return view(next);
  });
}

const PAST = { confirm: 'confirmed', refuse: 'refused', renew: 'renewed', lift: 'lifted' } as const;

async function mustUpdate(tx: Tx, hold: HoldRecord, patch: Parameters<typeof updateHold>[3]): Promise<void> {
  if (!(await updateHold(tx, hold.id, hold.version, patch))) throw new AppError('STALE_VERSION', undefined, { version: hold.version });
}

// ── The lead's list ─────────────────────────────────────────────────────────────────────

export type LeadHoldItem = {
  id: string; state: HoldState; version: number; reviewOn: string | null; renewals: number; proposedAt: string; decidedAt: string | null;
  legalBasis: string | null; scope: string | null; proceedAnywayRef: string | null;
  case: { id: string; publicRef: string };
  cadre: { id: string; fullName: string; position: string };
  action: { id: string; kind: string; state: string; positionTitle: string; proposingBodyId: string };
};

function afterOf(cursor: string | undefined): { proposedAt: string; id: string } | null {
  const k = decodeKeyset(cursor, (key) => !Number.isNaN(Date.parse(key)));
  return k ? { proposedAt: k.key, id: k.id } : null;
}

/** The holds of the lead's body: proposals to decide, holds in force to renew or lift. */
export async function listHoldsForLead(
  db: DbOrTx, actor: Actor, q: { state?: HoldState | 'open' | undefined; after?: string | undefined; limit: number },
): Promise<{ items: LeadHoldItem[]; nextCursor: string | null }> {
  const states: HoldState[] = q.state === undefined || q.state === 'open' ? ['proposed', 'confirmed', 'lapsed'] : [q.state];
  const rows = await listBodyHolds(db, { bodyId: actor.bodyId, states, after: afterOf(q.after), limit: q.limit + 1 });
  // Self-concerned and recused rows are left out, as the policy says for each one.
  const visible = (r: BodyHoldItem) => decide(actor, 'hold.confirm', { placedByBodyId: r.placingBodyId, cadreId: r.cadreId, recusedStaffIds: r.recusedStaffIds }).allowed;
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.filter(visible).map((r) => ({
      id: r.id, state: r.state, version: r.version, reviewOn: r.reviewOn, renewals: r.renewals, proposedAt: r.proposedAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null, legalBasis: r.legalBasis, scope: r.scope, proceedAnywayRef: r.proceedAnywayRef,
      case: { id: r.caseId, publicRef: r.casePublicRef }, cadre: { id: r.cadreId, fullName: r.cadreName, position: r.cadrePosition },
      action: { id: r.personnelActionId, kind: r.actionKind, state: r.actionState, positionTitle: r.positionTitle, proposingBodyId: r.proposingBodyId },
    })),
    nextCursor: rows.length > q.limit && last ? encodeKeyset(last.proposedAt.toISOString(), last.id) : null,
  };
}
