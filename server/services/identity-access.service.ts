// Opening the reporter's identity takes two people: a recorded reason from the requester
// and the approval of a custodian (the body's lead, or at a Front desk another reviewer);
// then, for IDENTITY_ACCESS_HOURS, the requester may fetch the sealed identity part.
// Every step is an audit entry with ids and codes only.
import type { Db } from '../db/client.ts';
import { IDENTITY_ACCESS_HOURS } from '../domain/case-actions.ts';
import { AppError } from '../domain/errors.ts';
import { assertAllowed, decide, type Actor } from '../domain/policy.ts';
import type { IdentityRequest, IdentityResponse } from '../schemas/casework.ts';
import { findIdentityEnvelope, hasIdentityEnvelope, listBodyWraps } from '../repositories/casework.repository.ts';
import { insertEnvelopes } from '../repositories/case.repository.ts';
import {
  decideIdentityRequest, findIdentityRequest, findLatestRequestBy, insertIdentityRequest, listPendingForCases, type IdentityRequestRow,
} from '../repositories/identity-access.repository.ts';
import { appendAudit } from './audit.service.ts';
import { decodeTextEnvelope } from './intake-codec.ts';
import { decodeKeyset, encodeKeyset } from './personnel-cursor.ts';
import { loadCaseResource } from './inbox-staff.service.ts';
import type { LoadedCase } from './casework.service.ts';

export function toIdentityRequest(r: IdentityRequestRow, now = new Date()): IdentityRequest {
  const expired = r.state === 'approved' && (r.expiresAt === null || r.expiresAt <= now);
  return {
    id: r.id, publicRef: r.publicRef, state: expired ? 'expired' : r.state, reasonCode: r.reasonCode,
    requestedBy: { id: r.requestedBy, displayName: r.requestedByName },
    decidedBy: r.decidedBy ? { id: r.decidedBy, displayName: r.decidedByName ?? '' } : null,
    createdAt: r.createdAt.toISOString(), decidedAt: r.decidedAt?.toISOString() ?? null, expiresAt: r.expiresAt?.toISOString() ?? null,
  };
}

export async function requestIdentity(
  db: Db, actor: Actor, res: LoadedCase, input: { reasonCode: string; reasonCiphertext?: string | undefined }, now = new Date(),
): Promise<IdentityRequest> {
  if (!(await hasIdentityEnvelope(db, res.caseId))) throw new AppError('NOT_FOUND', 'The reporter left no identity with this report.');
  const mine = await findLatestRequestBy(db, res.caseId, actor.staffId);
  if (mine && (mine.state === 'pending' || toIdentityRequest(mine, now).state === 'approved')) {
    throw new AppError('CONFLICT', 'You already have an open request for this case.', { reason: 'ALREADY_REQUESTED' });
  }
  const reason = input.reasonCiphertext ? decodeTextEnvelope(input.reasonCiphertext, '/reasonCiphertext') : null;
  const id = await db.transaction(async (tx) => {
    // Free text is content: it lives in a note envelope under K, the request keeps its id.
    const [envelopeId] = reason
      ? await insertEnvelopes(tx, [{ caseId: res.caseId, part: 'note', formatVersion: 1, ciphertext: reason, authorStaffId: actor.staffId }])
      : [null];
    const requestId = await insertIdentityRequest(tx, {
      caseId: res.caseId, requestedBy: actor.staffId, bodyId: actor.bodyId, reasonCode: input.reasonCode, reasonEnvelopeId: envelopeId ?? null, createdAt: now,
    });
    await appendAudit(tx, {
      actorKind: 'staff', actorId: actor.staffId, action: 'case.identity_requested', resourceKind: 'case', resourceId: res.caseId,
      detail: { requestId, reasonCode: input.reasonCode },
    });
    return requestId;
  });
  const row = await findIdentityRequest(db, id);
  if (!row) throw new Error('request not stored');
  return toIdentityRequest(row, now);
}

/** The case resource for deciding this request: the request is the one under decision. */
async function resourceForDecision(db: Db, r: IdentityRequestRow) {
  const res = await loadCaseResource(db, r.publicRef, { requestedBy: r.requestedBy, reasonRecorded: true, approvedBy: null });
  return res;
}

const isTimestamp = (s: string): boolean => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s);

/**
 * A page of pending requests the actor may decide. The page is cut before the policy filter,
 * so a page may hold fewer than `limit` items while nextCursor still leads on.
 */
export async function listDecidableRequests(
  db: Db, actor: Actor, after: string | undefined, limit: number, now = new Date(),
): Promise<{ items: IdentityRequest[]; nextCursor: string | null }> {
  const cursor = decodeKeyset(after, isTimestamp);
  const rows = await listPendingForCases(db, actor.bodyId, actor.staffId, cursor ? { createdAt: new Date(cursor.key), id: cursor.id } : null, limit + 1);
  const page = rows.slice(0, limit);
  const items: IdentityRequest[] = [];
  for (const r of page) {
    if (decide(actor, 'case.approve_identity_access', await resourceForDecision(db, r)).allowed) items.push(toIdentityRequest(r, now));
  }
  const last = page[page.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeKeyset(last.createdAt.toISOString(), last.id) : null };
}

export async function decideRequest(db: Db, actor: Actor, requestId: string, verdict: 'approved' | 'refused', now = new Date()): Promise<IdentityRequest> {
  const r = await findIdentityRequest(db, requestId);
  if (!r) throw new AppError('NOT_FOUND');
  assertAllowed(decide(actor, 'case.approve_identity_access', await resourceForDecision(db, r)));
  const expiresAt = verdict === 'approved' ? new Date(now.getTime() + IDENTITY_ACCESS_HOURS * 3_600_000) : null;
  await db.transaction(async (tx) => {
    if (!(await decideIdentityRequest(tx, requestId, { state: verdict, decidedBy: actor.staffId, decidedAt: now, expiresAt }))) {
      throw new AppError('CONFLICT', 'This request was decided already.', { reason: 'ALREADY_DECIDED' });
    }
    await appendAudit(tx, {
      actorKind: 'staff', actorId: actor.staffId, action: `case.identity_access_${verdict}`, resourceKind: 'case', resourceId: r.caseId,
      detail: { requestId, requestedBy: r.requestedBy },
    });
  });
  const after = await findIdentityRequest(db, requestId);
  if (!after) throw new Error('request vanished');
  return toIdentityRequest(after, now);
}

/** For the requester with an approved, unexpired request (decide 'case.read_identity'). */
export async function readIdentity(db: Db, actor: Actor, res: LoadedCase): Promise<IdentityResponse> {
  const envelope = await findIdentityEnvelope(db, res.caseId);
  if (!envelope) throw new AppError('NOT_FOUND');
  const wraps = await listBodyWraps(db, res.caseId, 'identity', [actor.bodyId]);
  await db.transaction((tx) => appendAudit(tx, {
    actorKind: 'staff', actorId: actor.staffId, action: 'case.identity_read', resourceKind: 'case', resourceId: res.caseId,
    detail: { envelopeId: envelope.id },
  }));
  return {
    envelope: { ciphertext: Buffer.from(envelope.ciphertext).toString('base64url'), formatVersion: envelope.formatVersion },
    keyWraps: wraps.map((w) => ({ bodyId: w.bodyId, bodyKeyVersion: w.bodyKeyVersion, sealedKey: Buffer.from(w.sealedKey).toString('base64url') })),
  };
}
