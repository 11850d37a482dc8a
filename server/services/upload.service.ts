// Resumable uploads of encrypted evidence. Each request appends whole secretstream chunks
// at the offset the server has recorded; bytes are streamed to the blob store (never held
// whole in memory) and made durable before the new offset is committed, so the database
// never claims bytes that a crash lost.
import { timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { AppError } from '../domain/errors.ts';
import { BlobLimitError, BlobWriteError, type BlobStore } from '../blobs/blob-store.ts';
import { UPLOAD_MAX_REQUEST_BYTES, type CompleteUploadResponse, type UploadStatusResponse } from '../schemas/intake.ts';
import { insertEnvelopes, isCasePending } from '../repositories/case.repository.ts';
import { advanceUpload, findUpload, lockUpload, markUploadComplete, type UploadRow } from '../repositories/attachment.repository.ts';
import { enqueueOutbox } from '../repositories/outbox.repository.ts';
import { appendAudit } from './audit.service.ts';
import {
  CIPHERTEXT_CHUNK, decodeBase64Url, decodeTextEnvelope, floorToChunkBoundary, hashUploadToken, isChunkBoundary, startOfDay, vnToday,
} from './intake-codec.ts';

export type UploadDeps = { db: Db; blobs: BlobStore; config: Pick<Config, 'uploads'> };

// One request at a time per upload in this process; the offset compare-and-set catches the rest.
const busy = new Set<string>();

const status = (row: Pick<UploadRow, 'receivedBytes' | 'declaredBytes' | 'state'>): UploadStatusResponse =>
  ({ receivedBytes: row.receivedBytes, ciphertextBytes: row.declaredBytes, state: row.state });

/** Unknown id, wrong token and expired upload all read as NOT_FOUND. */
async function authorize(db: Db, attachmentId: string, tokenB64: string): Promise<UploadRow> {
  const token = decodeBase64Url(tokenB64, 'x-upload-token');
  const row = await findUpload(db, attachmentId);
  const expected = row?.uploadTokenHash ? Buffer.from(row.uploadTokenHash) : Buffer.alloc(32);
  const matches = timingSafeEqual(Buffer.from(hashUploadToken(token)), expected);
  if (!row || !row.uploadTokenHash || !matches) throw new AppError('NOT_FOUND');
  if (row.expiresAt !== null && row.expiresAt.getTime() < Date.now()) throw new AppError('NOT_FOUND');
  return row;
}

export async function getUploadStatus(deps: UploadDeps, attachmentId: string, token: string): Promise<UploadStatusResponse> {
  return status(await authorize(deps.db, attachmentId, token));
}

export async function appendUpload(
  deps: UploadDeps, attachmentId: string, token: string, offset: number, source: AsyncIterable<Uint8Array>,
): Promise<UploadStatusResponse> {
  const row = await authorize(deps.db, attachmentId, token);
  if (row.state !== 'uploading') throw new AppError('CONFLICT', 'This upload is finished.', { reason: 'not_uploading', receivedBytes: row.receivedBytes });
  if (offset !== row.receivedBytes) {
    throw new AppError('CONFLICT', 'Resume from the offset the server has.', { reason: 'offset', receivedBytes: row.receivedBytes });
  }
  if (busy.has(row.id)) throw new AppError('CONFLICT', 'Another request is uploading this file.', { reason: 'busy', receivedBytes: row.receivedBytes });
  busy.add(row.id);
  try {
    const maxBytes = Math.min(UPLOAD_MAX_REQUEST_BYTES, row.declaredBytes - offset);
    let written: number;
    try {
      written = await deps.blobs.writeAt(row.blobKey, offset, source, { maxBytes });
    } catch (err) {
      if (err instanceof BlobLimitError) {
        throw new AppError('LIMIT_EXCEEDED', 'More bytes than this request or file allows.', { limit: 'request_bytes', max: maxBytes });
      }
      if (err instanceof BlobWriteError) {
        // The connection dropped: keep the whole chunks that arrived, so the retry resumes there.
        const kept = floorToChunkBoundary(offset + err.written, row.declaredBytes);
        if (kept > offset) await advanceUpload(deps.db, row.id, offset, kept, chunkCount(offset, kept));
        throw new AppError('BAD_REQUEST', 'The upload was interrupted.', { receivedBytes: Math.max(kept, offset) });
      }
      throw err;
    }
    const end = offset + written;
    const kept = isChunkBoundary(end, row.declaredBytes) ? end : floorToChunkBoundary(end, row.declaredBytes);
    if (kept > offset && !(await advanceUpload(deps.db, row.id, offset, kept, chunkCount(offset, kept)))) {
      const now = await findUpload(deps.db, row.id);
      throw new AppError('CONFLICT', 'Resume from the offset the server has.', { reason: 'offset', receivedBytes: now?.receivedBytes ?? offset });
    }
    if (kept !== end) {
      throw new AppError('VALIDATION_FAILED', 'Send whole encrypted chunks; the server kept the complete ones.', {
        reason: 'partial_chunk', receivedBytes: kept,
      });
    }
    return { receivedBytes: kept, ciphertextBytes: row.declaredBytes, state: 'uploading' };
  } finally {
    busy.delete(row.id);
  }
}

function chunkCount(from: number, to: number): number {
  return Math.max(0, Math.ceil(to / CIPHERTEXT_CHUNK) - Math.ceil(from / CIPHERTEXT_CHUNK));
}

export async function completeUpload(deps: UploadDeps, attachmentId: string, token: string, manifestB64: string): Promise<CompleteUploadResponse> {
  const manifest = decodeTextEnvelope(manifestB64, '/manifest');
  const row = await authorize(deps.db, attachmentId, token);
  if (row.state !== 'uploading') throw new AppError('CONFLICT', 'This upload is finished.', { reason: 'not_uploading', receivedBytes: row.receivedBytes });
  if (row.receivedBytes !== row.declaredBytes) {
    throw new AppError('CONFLICT', 'Not every byte has arrived yet.', {
      reason: 'incomplete', receivedBytes: row.receivedBytes, ciphertextBytes: row.declaredBytes,
    });
  }
  const stored = await deps.blobs.size(row.blobKey);
  if (stored === null || stored < row.declaredBytes) throw new AppError('CONFLICT', 'Not every byte has arrived yet.', { reason: 'incomplete', receivedBytes: stored ?? 0 });
  if (stored > row.declaredBytes) await deps.blobs.truncate(row.blobKey, row.declaredBytes);

  const day = vnToday();
  await deps.db.transaction(async (tx) => {
    const locked = await lockUpload(tx, row.id);
    if (!locked || locked.state !== 'uploading') throw new AppError('CONFLICT', 'This upload is finished.', { reason: 'not_uploading' });
    const [envelopeId] = await insertEnvelopes(tx, [{ caseId: row.caseId, part: 'manifest', formatVersion: 1, ciphertext: manifest, createdAt: startOfDay(day) }]);
    if (!envelopeId) throw new Error('manifest insert returned nothing');
    await markUploadComplete(tx, row.id, envelopeId);
    // A file added to a case already received is news for the staff handling it.
    if (!(await isCasePending(tx, row.caseId))) {
      await enqueueOutbox(tx, { topic: 'case.evidence_added', dedupeKey: `case/${row.caseId}/evidence/${row.id}`, payload: { caseId: row.caseId, attachmentId: row.id } });
      await appendAudit(tx, { actorKind: 'reporter', action: 'case.evidence_added', resourceKind: 'case', resourceId: row.caseId, detail: { attachmentId: row.id } });
    }
  });
  return { attachmentId: row.id, state: 'complete' };
}
