// Ciphertext for the staff browser: the case's envelopes and this body's wraps of K, the
// evidence blobs, notes written under K, and grants of K to another body. Every read of
// content is an audit entry (ids only).
import type { Db } from '../db/client.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { AppError } from '../domain/errors.ts';
import { holdsCaseKeys, type Actor } from '../domain/policy.ts';
import type { ContentResponse } from '../schemas/casework.ts';
import { findBodyBrief, findCompleteAttachment, insertBodyWrap, listBodyWraps, listCaseAttachments, listContentEnvelopes } from '../repositories/casework.repository.ts';
import { insertEnvelopes } from '../repositories/case.repository.ts';
import { listBodyKeyVersions } from '../repositories/keys.repository.ts';
import { appendAudit } from './audit.service.ts';
import { decodeBase64Url, decodeTextEnvelope } from './intake-codec.ts';
import type { LoadedCase } from './casework.service.ts';

const b64 = (v: Uint8Array | null): string | null => (v === null ? null : Buffer.from(v).toString('base64url'));

export async function readContent(db: Db, actor: Actor, res: LoadedCase): Promise<ContentResponse> {
  const [envelopes, wraps, files] = await Promise.all([
    listContentEnvelopes(db, res.caseId), listBodyWraps(db, res.caseId, 'case', [actor.bodyId]), listCaseAttachments(db, res.caseId),
  ]);
  await db.transaction((tx) => appendAudit(tx, {
    actorKind: 'staff', actorId: actor.staffId, action: 'case.content_read', resourceKind: 'case', resourceId: res.caseId,
    detail: { envelopes: envelopes.length },
  }));
  return {
    envelopes: envelopes.map((e) => ({
      id: e.id, part: e.part, formatVersion: e.formatVersion, ciphertext: b64(e.ciphertext) ?? '', serverSealed: e.serverSealed,
      authorStaffId: e.authorStaffId, authorName: e.authorName, signature: b64(e.signature), signerPublicKey: b64(e.signerPublicKey),
      createdAt: e.createdAt.toISOString(),
    })),
    keyWraps: wraps.map((w) => ({ keyKind: 'case' as const, bodyId: w.bodyId, bodyKeyVersion: w.bodyKeyVersion, sealedKey: b64(w.sealedKey) ?? '' })),
    attachments: files.map((f) => ({ ...f, declaredBytes: Number(f.declaredBytes) })),
  };
}

/** The blob as stored (secretstream ciphertext); the audit entry is written before it streams. */
export async function openAttachment(deps: { db: Db; blobs: BlobStore }, actor: Actor, res: LoadedCase, attachmentId: string) {
  const file = await findCompleteAttachment(deps.db, res.caseId, attachmentId);
  if (!file) throw new AppError('NOT_FOUND');
  await deps.db.transaction((tx) => appendAudit(tx, {
    actorKind: 'staff', actorId: actor.staffId, action: 'case.attachment_read', resourceKind: 'case', resourceId: res.caseId, detail: { attachmentId },
  }));
  return { bytes: Number(file.receivedBytes), stream: deps.blobs.read(file.blobKey) };
}

export async function addNote(db: Db, actor: Actor, res: LoadedCase, ciphertext: string): Promise<string> {
  const bytes = decodeTextEnvelope(ciphertext, '/ciphertext');
  return db.transaction(async (tx) => {
    const [id] = await insertEnvelopes(tx, [{ caseId: res.caseId, part: 'note', formatVersion: 1, ciphertext: bytes, authorStaffId: actor.staffId }]);
    if (!id) throw new Error('note not stored');
    await appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'case.note_added', resourceKind: 'case', resourceId: res.caseId, detail: { envelopeId: id } });
    return id;
  });
}

/** K sealed in the browser to another body's published key version; audited. */
export async function grantCaseKey(db: Db, actor: Actor, res: LoadedCase, grant: { bodyId: string; bodyKeyVersion: number; sealedKey: string }): Promise<boolean> {
  // K goes only to an active body whose members may hold keys: never to the personnel desk or administration.
  const target = await findBodyBrief(db, grant.bodyId);
  if (!target?.active || !holdsCaseKeys(target.kind)) {
    throw new AppError('VALIDATION_FAILED', 'Grant the case key only to an active Front or inspection body.', { field: 'bodyId' });
  }
  const versions = await listBodyKeyVersions(db, grant.bodyId);
  const version = versions.find((v) => v.version === grant.bodyKeyVersion);
  if (!version || version.signature === null || version.retiredAt !== null) {
    throw new AppError('VALIDATION_FAILED', 'Seal the case key to the body’s current published key.', { field: 'bodyKeyVersion' });
  }
  const sealedKey = decodeBase64Url(grant.sealedKey, '/sealedKey');
  return db.transaction(async (tx) => {
    const added = await insertBodyWrap(tx, { caseId: res.caseId, bodyId: grant.bodyId, bodyKeyVersion: grant.bodyKeyVersion, sealedKey, grantedBy: actor.staffId });
    if (added) {
      await appendAudit(tx, {
        actorKind: 'staff', actorId: actor.staffId, action: 'case.key_granted', resourceKind: 'case', resourceId: res.caseId,
        detail: { bodyId: grant.bodyId, bodyKeyVersion: grant.bodyKeyVersion },
      });
    }
    return added;
  });
}
