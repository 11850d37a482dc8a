// Staff replies to the reporter, and the case resource the access policy decides them on.
import type { Db } from '../db/client.ts';
import { AppError } from '../domain/errors.ts';
import { phaseOf } from '../domain/case-states.ts';
import type { CaseResource } from '../domain/policy-actions.ts';
import type { StaffMessageResponse } from '../schemas/intake.ts';
import { findCaseAccess, findResumeState, lockCaseById } from '../repositories/case.repository.ts';
import { insertMessage } from '../repositories/message.repository.ts';
import { appendAudit } from './audit.service.ts';
import { decodeTextEnvelope, vnToday } from './intake-codec.ts';

/**
 * The policy's view of a case. The handling body is the Front intake desk while the case
 * is at the intake stage, then the body it was forwarded or routed to for inspection.
 * An unknown reference and a pending submission are both NOT_FOUND.
 */
export async function loadCaseResource(
  db: Db, publicRef: string, identityAccess: CaseResource['identityAccess'] = null,
): Promise<CaseResource & { caseId: string }> {
  const c = await findCaseAccess(db, publicRef);
  if (!c || c.pendingUntil !== null) throw new AppError('NOT_FOUND');
  const resumeState = c.resumeState ?? (c.state === 'needs_info' ? await findResumeState(db, c.id) : null);
  const phase = phaseOf(c.state, resumeState);
  const pick = (roles: string[]): string | null => [...c.routed].reverse().find((r) => roles.includes(r.role))?.bodyId ?? null;
  const handlingBodyId = phase === 'intake' ? pick(['intake']) : phase === 'inspection' ? (pick(['forwarded']) ?? pick(['inspection'])) : null;
  return {
    caseId: c.id, bodyIds: c.keyBodyIds, handlingBodyId, cadreId: c.cadreId, recusedStaffIds: c.recusedStaffIds,
    state: c.state, resumeState, identityAccess,
  };
}

export async function sendStaffMessage(
  deps: { db: Db }, input: { caseId: string; staffId: string; ciphertext: string; isQuestion: boolean },
): Promise<StaffMessageResponse> {
  const ciphertext = decodeTextEnvelope(input.ciphertext, '/ciphertext');
  return deps.db.transaction(async (tx) => {
    const c = await lockCaseById(tx, input.caseId);
    if (!c) throw new AppError('NOT_FOUND');
    const day = vnToday();
    const id = await insertMessage(tx, {
      caseId: c.id, direction: 'to_reporter', authorStaffId: input.staffId, formatVersion: 1, ciphertext, isQuestion: input.isQuestion, sentOn: day,
    });
    await appendAudit(tx, {
      actorKind: 'staff', actorId: input.staffId, action: 'case.message_reporter', resourceKind: 'case', resourceId: c.id,
      detail: { messageId: id, isQuestion: input.isQuestion },
    });
    return { id, sentOn: day, state: c.state };
  });
}
