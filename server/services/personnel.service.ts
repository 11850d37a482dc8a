// Personnel actions as the Organization Board records and moves them. Approval and
// execution check the action's holds inside the same transaction, after locking the action
// row that every hold placement locks too. The personnel officer sees that a hold exists,
// its review date and the body that placed it, never the case behind it.
import type { Config } from '../config.ts';
import type { Db, DbOrTx, Tx } from '../db/client.ts';
import { isIsoDate, localDateOf, type IsoDate } from '../domain/calendar.ts';
import { AppError, isAppError } from '../domain/errors.ts';
import { caseHoldsNewActions, isAdverseAction, type ProtectedReporterStatus } from '../domain/holds.ts';
import { planPersonnelTransition } from '../domain/personnel.ts';
import type { Actor, PersonnelResource } from '../domain/policy.ts';
import type { HoldState, PersonnelActionKind, PersonnelActionState } from '../domain/vocabulary.ts';
import { handlingBodyFor } from '../domain/case-bodies.ts';
import { listRoutedBodies } from '../repositories/case-event.repository.ts';
import { insertCaseEvents } from '../repositories/case.repository.ts';
import { insertProposedHold, listHoldsOfAction, proceedAnywayOf } from '../repositories/hold.repository.ts';
import {
  countComments, findAction, findBodyNames, findCadre, insertAction, insertActionEvents, listActionEvents, listActions,
  listBlockingHoldSummaries, listRunningCasesOfCadre, lockAction, lockCadre, updateAction, type ActionListItem, type ActionRecord, type HoldSummary,
} from '../repositories/personnel.repository.ts';
import { appendAudits, type AuditEntry } from './audit.service.ts';
import { liftHoldsBySystem } from './hold.service.ts';
import { decodeKeyset, encodeKeyset, type Keyset } from './personnel-cursor.ts';
import { leadsOf, notifyStaff } from './notification.service.ts';

export type PersonnelDeps = { db: Db; config: Pick<Config, 'smtpUrl'>; now?: () => Date };

/** The policy resource of an action: its recording body, its cadre, the bodies that placed holds. */
export async function loadActionResource(db: DbOrTx, actionId: string): Promise<PersonnelResource> {
  const action = await findAction(db, actionId);
  if (!action) throw new AppError('NOT_FOUND');
  const holds = await listHoldsOfAction(db, actionId);
  return { ownerBodyId: action.proposingBodyId, cadreId: action.cadreId, holdBodyIds: [...new Set(holds.map((h) => h.placingBodyId))] };
}

// ── Views ───────────────────────────────────────────────────────────────────────────────

export type HoldBadge = {
  id: string; state: HoldState; reviewOn: string | null; proceedAnyway: boolean;
  placingBody: { id: string; nameVi: string; nameEn: string };
};

export type ActionView = {
  id: string; kind: PersonnelActionKind; state: PersonnelActionState; version: number; positionTitle: string; proposedOn: string;
  noticeUntil: string | null; decisionRef: string | null; heldFromState: PersonnelActionState | null; commentCount: number;
  proposingBodyId: string; reviewOutcome: 'no_objection' | 'objection' | null; reviewRef: string | null;
  needsReview: boolean;
  cadre: { id: string; fullName: string; position: string; unitName: string; clearedAt: string | null };
  holds: HoldBadge[];
};

async function badgesOf(db: DbOrTx, summaries: readonly HoldSummary[]): Promise<Map<string, HoldBadge[]>> {
  const names = await findBodyNames(db, summaries.map((s) => s.placingBodyId));
  const out = new Map<string, HoldBadge[]>();
  for (const s of summaries) {
    const body = names.get(s.placingBodyId);
    const badge: HoldBadge = {
      id: s.id, state: s.state, reviewOn: s.reviewOn, proceedAnyway: s.proceedAnyway,
      placingBody: { id: s.placingBodyId, nameVi: body?.nameVi ?? '', nameEn: body?.nameEn ?? '' },
    };
    out.set(s.actionId, [...(out.get(s.actionId) ?? []), badge]);
  }
  return out;
}

const toView = (a: ActionListItem, holds: HoldBadge[]): ActionView => ({
  id: a.id, kind: a.kind, state: a.state, version: a.version, positionTitle: a.positionTitle, proposedOn: a.proposedOn,
  noticeUntil: a.noticeUntil, decisionRef: a.decisionRef, heldFromState: a.heldFromState, commentCount: a.commentCount,
  proposingBodyId: a.proposingBodyId, reviewOutcome: a.reviewOutcome, reviewRef: a.reviewRef,
  needsReview: a.protectedReporter && isAdverseAction(a.kind),
  cadre: { id: a.cadreId, fullName: a.cadreName, position: a.cadrePosition, unitName: a.cadreUnit, clearedAt: a.cadreClearedAt?.toISOString() ?? null },
  holds,
});

const toAfter = (k: Keyset | null) => (k ? { proposedOn: k.key, id: k.id } : null);

export async function listBodyActions(
  db: DbOrTx, actor: Actor, q: { state?: PersonnelActionState | undefined; cadreId?: string | undefined; after?: string | undefined; limit: number },
): Promise<{ items: ActionView[]; nextCursor: string | null }> {
  const rows = await listActions(db, {
    bodyId: actor.bodyId, ...(q.state ? { state: q.state } : {}), ...(q.cadreId ? { cadreId: q.cadreId } : {}), after: toAfter(decodeKeyset(q.after, isIsoDate)), limit: q.limit + 1,
  });
  // An action about the officer themselves is never shown to them.
  const page = rows.slice(0, q.limit).filter((r) => actor.cadreId === null || r.cadreId !== actor.cadreId);
  const badges = await badgesOf(db, await listBlockingHoldSummaries(db, page.map((r) => r.id)));
  const last = rows.slice(0, q.limit).at(-1);
  return { items: page.map((r) => toView(r, badges.get(r.id) ?? [])), nextCursor: rows.length > q.limit && last ? encodeKeyset(last.proposedOn, last.id) : null };
}

export type ActionHistoryItem = { id: number; kind: string; fromState: string | null; toState: string | null; actorKind: string; holdId: string | null; at: string; detail: Record<string, unknown> };


export async function getActionDetail(db: DbOrTx, actionId: string): Promise<ActionView & { history: ActionHistoryItem[] }> {
  const action = await findAction(db, actionId);
  if (!action) throw new AppError('NOT_FOUND');
  const cadre = await findCadre(db, action.cadreId);
  if (!cadre) throw new AppError('NOT_FOUND');
  const badges = await badgesOf(db, await listBlockingHoldSummaries(db, [action.id]));
  const history = await listActionEvents(db, action.id, 0, 200);
  const item: ActionListItem = {
    ...action, cadreName: cadre.fullName, cadrePosition: cadre.position, cadreUnit: cadre.unitName, cadreClearedAt: cadre.clearedAt,
    protectedReporter: cadre.protectedReporter, commentCount: await countComments(db, action.id),
  };
  return {
    ...toView(item, badges.get(action.id) ?? []),
    history: history.map((e) => ({
      id: e.id, kind: e.kind, fromState: e.fromState, toState: e.toState, actorKind: e.actorKind, holdId: e.holdId, at: e.createdAt.toISOString(),
      // The response schema's HistoryDetail is the allow-list: hold codes and dates, never the case behind a hold.
      detail: e.detail,
    })),
  };
}

// ── Recording and moving ────────────────────────────────────────────────────────────────

export type NewActionInput = { cadreId: string; kind: PersonnelActionKind; positionTitle: string; proposedOn: IsoDate };

/**
 * Records a draft action. When a running inspection of the cadre would have held it, a hold
 * is proposed on it in the same transaction: a proposed hold already blocks approval, and
 * the action itself becomes 'held' only once the inspection lead confirms (a decision of a
 * competent body, never an automatic effect).
 */
export async function createAction(deps: PersonnelDeps, actor: Actor, input: NewActionInput): Promise<ActionView & { history: ActionHistoryItem[] }> {
  const now = deps.now?.() ?? new Date();
  const id = await deps.db.transaction(async (tx) => {
    // Locked as a case's hold proposal locks it: a case accepted at this moment is seen below.
    const cadre = await lockCadre(tx, input.cadreId);
    if (!cadre) throw new AppError('VALIDATION_FAILED', 'The cadre is not in the directory.', { fields: ['/cadreId'] });
    if (cadre.managingJurisdictionCode !== actor.bodyJurisdiction) {
      throw new AppError('FORBIDDEN', 'This cadre is managed by another level; its personnel actions are recorded there.', { reason: 'NOT_OWN_BODY' });
    }
    const action = await insertAction(tx, {
      cadreId: cadre.id, kind: input.kind, state: 'draft', proposingBodyId: actor.bodyId, positionTitle: input.positionTitle.trim(),
      proposedOn: input.proposedOn, createdBy: actor.staffId, createdAt: now, updatedAt: now,
    });
    const audit: AuditEntry[] = [{ actorKind: 'staff', actorId: actor.staffId, action: 'personnel.created', resourceKind: 'personnel_action', resourceId: action.id, detail: { cadreId: cadre.id, kind: input.kind } }];
    await insertActionEvents(tx, [{ actionId: action.id, kind: 'personnel.created', toState: 'draft', actorKind: 'staff', actorStaffId: actor.staffId, createdAt: now, detail: {} }]);
    await proposeHoldsOnNewAction(tx, deps, action, now, audit);
    await appendAudits(tx, audit);
    return action.id;
  });
  return getActionDetail(deps.db, id);
}

async function proposeHoldsOnNewAction(tx: Tx, deps: PersonnelDeps, action: ActionRecord, now: Date, audit: AuditEntry[]): Promise<void> {
  const today = localDateOf(now);
  for (const c of await listRunningCasesOfCadre(tx, action.cadreId)) {
    if (!caseHoldsNewActions({ caseId: c.id, cadreId: c.cadreId, isAnonymous: c.isAnonymous, isCorroborated: c.isCorroborated, state: c.state, signsOfViolation: c.signsOfViolation, wasAccepted: c.wasAccepted })) continue;
    const placingBodyId = handlingBodyFor(await listRoutedBodies(tx, c.id), c.state, c.resumeState);
    if (!placingBodyId) continue;
    const holdId = await insertProposedHold(tx, action.id, c.id, placingBodyId);
    if (!holdId) continue;
    await insertActionEvents(tx, [{ actionId: action.id, kind: 'hold.proposed', actorKind: 'system', holdId, detail: { placingBodyId }, createdAt: now }]);
    await insertCaseEvents(tx, [{
      caseId: c.id, kind: 'holds.proposed', actorKind: 'system', isPublic: false, occurredOn: today, createdAt: now,
      dedupeKey: `holds.proposed/action/${action.id}`, detail: { holdIds: [holdId], personnelActionIds: [action.id], onNewAction: true },
    }]);
    await notifyStaff(tx, deps.config, {
      caseRef: c.publicRef, kind: 'hold.proposed', dedupeKey: `case/${c.id}/holds.proposed/action/${action.id}`,
      recipients: await leadsOf(tx, { id: c.id, publicRef: c.publicRef, cadreId: c.cadreId }, placingBodyId),
    });
    audit.push({ actorKind: 'system', action: 'hold.proposed', resourceKind: 'case', resourceId: c.id, detail: { holdIds: [holdId], personnelActionId: action.id } });
  }
}

export type MoveInput = {
  transition: 'publish_notice' | 'submit_for_decision' | 'approve' | 'execute' | 'withdraw';
  expectedVersion?: number | undefined;
  noticeUntil?: IsoDate | undefined;
  decisionRef?: string | undefined;
};

/**
 * One move of an action by the personnel officer. The action row is locked before its holds
 * are read, so a hold placed at the same moment is either seen here or placed after the
 * move (and then finds the action no longer pending).
 */
export async function moveAction(deps: PersonnelDeps, actor: Actor, actionId: string, input: MoveInput): Promise<ActionView & { history: ActionHistoryItem[] }> {
  const now = deps.now?.() ?? new Date();
  await deps.db.transaction(async (tx) => {
    const action = await lockAction(tx, actionId);
    if (!action) throw new AppError('NOT_FOUND');
    if (input.expectedVersion !== undefined && input.expectedVersion !== action.version) throw new AppError('STALE_VERSION', undefined, { version: action.version });
    const holds = await listHoldsOfAction(tx, actionId);
    const cadre = await findCadre(tx, action.cadreId);
    const reporter: ProtectedReporterStatus = cadre?.protectedReporter
      ? { isProtected: true, review: action.reviewOutcome && action.reviewRef ? { outcome: action.reviewOutcome, reference: action.reviewRef } : null }
      : { isProtected: false };
    let plan;
    try {
      plan = planPersonnelTransition({
        action: { ...action, heldFrom: action.heldFromState }, transition: input.transition, actor: 'staff', today: localDateOf(now),
        holds, proceedAnyway: proceedAnywayOf(holds), protectedReporter: reporter,
        ...(input.noticeUntil ? { params: { noticeUntil: input.noticeUntil } } : {}),
      });
    } catch (err) {
      // The refusal names the hold, its review date and the body that placed it (never its case).
      if (isAppError(err) && err.code === 'ACTION_HELD') {
        const placing = holds.find((h) => h.id === err.details?.['holdId'])?.placingBodyId ?? null;
        const body = placing ? (await findBodyNames(tx, [placing])).get(placing) : undefined;
        throw new AppError('ACTION_HELD', err.message, {
          ...err.details, placingBodyId: placing, placingBodyNameVi: body?.nameVi ?? null, placingBodyNameEn: body?.nameEn ?? null,
        });
      }
      throw err;
    }
    const decisionRef = input.decisionRef?.trim() || null;
    if (!(await updateAction(tx, action.id, action.version, {
      state: plan.to, noticeUntil: plan.noticeUntil, heldFromState: plan.heldFrom,
      ...(decisionRef && (plan.transition === 'approve' || plan.transition === 'execute') ? { decisionRef } : {}),
    }))) throw new AppError('STALE_VERSION', undefined, { version: action.version });
    const detail = {
      ...(plan.noticeUntil && plan.transition === 'publish_notice' ? { noticeUntil: plan.noticeUntil } : {}),
      ...(decisionRef ? { decisionRef } : {}),
      ...(plan.overriddenHoldIds.length > 0 ? { overriddenHoldIds: plan.overriddenHoldIds } : {}),
    };
    await insertActionEvents(tx, [{ actionId, kind: plan.event.type, fromState: plan.from, toState: plan.to, actorKind: 'staff', actorStaffId: actor.staffId, createdAt: now, detail }]);
    const audit: AuditEntry[] = [{
      actorKind: 'staff', actorId: actor.staffId, action: plan.event.type, resourceKind: 'personnel_action', resourceId: actionId,
      detail: { fromState: plan.from, toState: plan.to, ...detail },
    }];
    // A held action let through by a proceed-anyway decision: audited on its own, naming each
    // hold, and on the case timeline so the inspection body sees its hold was passed.
    for (const holdId of plan.overriddenHoldIds) {
      const caseId = holds.find((h) => h.id === holdId)?.caseId;
      const used = { holdId, personnelActionId: actionId, transition: plan.transition };
      if (caseId) {
        await insertCaseEvents(tx, [{
          caseId, kind: 'hold.proceed_anyway_used', actorKind: 'system', isPublic: false, occurredOn: localDateOf(now), createdAt: now,
          dedupeKey: `hold.proceed_anyway_used/${holdId}/${plan.transition}`, detail: used,
        }]);
      }
      audit.push({ actorKind: 'staff', actorId: actor.staffId, action: 'hold.proceed_anyway_used', resourceKind: 'hold', resourceId: holdId, detail: used });
    }
    if (plan.transition === 'withdraw') await liftHoldsOfWithdrawn(tx, action, now, audit);
    await appendAudits(tx, audit);
  });
  return getActionDetail(deps.db, actionId);
}

/** A withdrawn action needs no hold: its holds are lifted with that reason, on each case's timeline too. */
async function liftHoldsOfWithdrawn(tx: Tx, action: ActionRecord, now: Date, audit: AuditEntry[]): Promise<void> {
  const today = localDateOf(now);
  const { lifted, moveAudit } = await liftHoldsBySystem(tx, await listHoldsOfAction(tx, action.id), { liftReason: 'action_withdrawn' }, now);
  for (const h of lifted) {
    const detail = { holdId: h.id, personnelActionId: action.id, liftReason: 'action_withdrawn' };
    await insertCaseEvents(tx, [{
      caseId: h.caseId, kind: 'hold.lifted', actorKind: 'system', isPublic: false, occurredOn: today, createdAt: now,
      dedupeKey: `hold.lifted/${h.id}/action_withdrawn`, detail,
    }]);
    audit.push({ actorKind: 'system', action: 'hold.lifted', resourceKind: 'hold', resourceId: h.id, detail: { caseId: h.caseId, ...detail } });
  }
  audit.push(...moveAudit);
}
