// Retaliation watch. When an identified reporter is a cadre in the directory, the inspection
// lead handling the case marks them protected; every adverse personnel action about them
// then needs the inspection committee's review before it can be approved.
//
// Privacy: the link between the case and the reporter is checked here and not stored. The
// cadre row keeps only the protecting body; the audit entry names the cadre, not the case,
// so nobody can read "this cadre reported that case" from the database.
import type { Db, DbOrTx } from '../db/client.ts';
import { AppError } from '../domain/errors.ts';
import { isIsoDate } from '../domain/calendar.ts';
import { ADVERSE_ACTION_KINDS, isAdverseAction, isUndecided } from '../domain/holds.ts';
import { assertAllowed, decide, type Actor } from '../domain/policy.ts';
import { findCaseRow } from '../repositories/case-event.repository.ts';
import { findCaseRefAndCadre } from '../repositories/hold.repository.ts';
import { findAction, findCadre, insertActionEvents, lockAction, lockCadre, markCadreProtected, updateAction } from '../repositories/personnel.repository.ts';
import { listProtectedAdverseActions, type AdverseActionRow } from '../repositories/personnel-review.repository.ts';
import { appendAudit } from './audit.service.ts';
import { decodeKeyset, encodeKeyset } from './personnel-cursor.ts';
import { loadCaseResource } from './inbox-staff.service.ts';

export type RetaliationDeps = { db: Db; now?: () => Date };

/** Marks the reporter of a case the lead handles, a cadre in the directory, as protected. */
export async function protectReporter(deps: RetaliationDeps, actor: Actor, input: { publicRef: string; cadreId: string }): Promise<{ cadreId: string; protectedReporter: true }> {
  const now = deps.now?.() ?? new Date();
  const caseResource = await loadCaseResource(deps.db, input.publicRef);
  // Only a lead who may act on the case (its handling body, not recused, not about themselves).
  assertAllowed(decide(actor, 'case.assign', caseResource));
  const c = await findCaseRefAndCadre(deps.db, caseResource.caseId);
  const isAnonymous = await caseIsAnonymous(deps.db, caseResource.caseId);
  if (!c || isAnonymous) throw new AppError('UNPROCESSABLE', 'Only an identified reporter can be marked protected.', { reason: 'ANONYMOUS_REPORTER' });
  if (c.cadreId === input.cadreId) throw new AppError('UNPROCESSABLE', 'The reporter cannot be the cadre the case is about.', { reason: 'CADRE_OF_CASE' });
  assertAllowed(decide(actor, 'hold.protect_reporter', { placedByBodyId: caseResource.handlingBodyId ?? '', cadreId: input.cadreId, recusedStaffIds: caseResource.recusedStaffIds }));
  await deps.db.transaction(async (tx) => {
    const cadre = await lockCadre(tx, input.cadreId);
    if (!cadre) throw new AppError('VALIDATION_FAILED', 'The cadre is not in the directory.', { fields: ['/cadreId'] });
    await markCadreProtected(tx, cadre.id, actor.bodyId, now);
    await appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'cadre.protected_reporter', resourceKind: 'cadre', resourceId: cadre.id, detail: { bodyId: actor.bodyId } });
  });
  return { cadreId: input.cadreId, protectedReporter: true };
}

async function caseIsAnonymous(db: DbOrTx, caseId: string): Promise<boolean> {
  return (await findCaseRow(db, caseId))?.isAnonymous ?? true;
}

export async function loadReviewResource(db: DbOrTx, actionId: string) {
  const action = await findAction(db, actionId);
  if (!action) throw new AppError('NOT_FOUND');
  const cadre = await findCadre(db, action.cadreId);
  if (!cadre) throw new AppError('NOT_FOUND');
  return { placedByBodyId: cadre.protectedByBodyId ?? '', cadreId: cadre.id, recusedStaffIds: [] as string[] };
}

/** The inspection committee's review of an adverse action about a protected reporter. */
export async function reviewAdverseAction(
  deps: RetaliationDeps, actor: Actor, actionId: string, input: { outcome: 'no_objection' | 'objection'; reference: string },
): Promise<{ id: string; reviewOutcome: 'no_objection' | 'objection'; reviewRef: string; version: number }> {
  const now = deps.now?.() ?? new Date();
  const reference = input.reference.trim();
  if (reference === '') throw new AppError('VALIDATION_FAILED', 'A review needs its reference.', { fields: ['/reference'] });
  return deps.db.transaction(async (tx) => {
    const action = await lockAction(tx, actionId);
    if (!action) throw new AppError('NOT_FOUND');
    const cadre = await findCadre(tx, action.cadreId);
    if (!cadre?.protectedReporter || !isAdverseAction(action.kind)) {
      throw new AppError('UNPROCESSABLE', 'Only an adverse action about a protected reporter is reviewed.', { reason: 'NOT_WATCHED' });
    }
    if (!isUndecided(action.state)) {
      throw new AppError('INVALID_TRANSITION', `The action is already ${action.state}.`, { personnelActionId: action.id });
    }
    if (!(await updateAction(tx, action.id, action.version, { reviewOutcome: input.outcome, reviewRef: reference, reviewedBy: actor.staffId, reviewedAt: now }))) {
      throw new AppError('STALE_VERSION');
    }
    await insertActionEvents(tx, [{ actionId, kind: 'personnel.reviewed', actorKind: 'staff', actorStaffId: actor.staffId, detail: { outcome: input.outcome }, createdAt: now }]);
    await appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'personnel.reviewed', resourceKind: 'personnel_action', resourceId: actionId, detail: { outcome: input.outcome } });
    return { id: actionId, reviewOutcome: input.outcome, reviewRef: reference, version: action.version + 1 };
  });
}

/** The lead's list: adverse, undecided actions about reporters their body protects, a page at a time. */
export async function listAdverseForReview(
  db: DbOrTx, actor: Actor, q: { after?: string | undefined; limit: number },
): Promise<{ items: AdverseActionRow[]; nextCursor: string | null }> {
  const after = decodeKeyset(q.after, isIsoDate);
  const rows = await listProtectedAdverseActions(db, {
    bodyId: actor.bodyId, kinds: ADVERSE_ACTION_KINDS, after: after ? { proposedOn: after.key, id: after.id } : null, limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  // An action about the lead themselves is left out, as the policy leaves out self-concerned cases.
  return {
    items: page.filter((r) => actor.cadreId === null || r.cadreId !== actor.cadreId),
    nextCursor: rows.length > q.limit && last ? encodeKeyset(last.proposedOn, last.id) : null,
  };
}
