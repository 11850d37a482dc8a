// Attachment rows: declared size, bytes received so far, the opaque blob key and the
// hash of the upload token. Progress moves only forward and only from the expected offset.
import { and, asc, eq, inArray, isNotNull, lt, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { attachments, cases } from '../../drizzle/schema/index.ts';

export type NewAttachment = typeof attachments.$inferInsert;
export type AttachmentState = 'uploading' | 'complete' | 'aborted';

export async function insertAttachments(tx: DbOrTx, rows: NewAttachment[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const out = await tx.insert(attachments).values(rows).returning({ id: attachments.id });
  return out.map((r) => r.id);
}

export type UploadRow = {
  id: string;
  caseId: string;
  state: AttachmentState;
  blobKey: string;
  declaredBytes: number;
  receivedBytes: number;
  uploadTokenHash: Uint8Array | null;
  expiresAt: Date | null;
  publicRef: string;
};

const uploadColumns = {
  id: attachments.id, caseId: attachments.caseId, state: attachments.state, blobKey: attachments.blobKey,
  declaredBytes: attachments.declaredBytes, receivedBytes: attachments.receivedBytes, uploadTokenHash: attachments.uploadTokenHash,
  expiresAt: attachments.expiresAt, publicRef: cases.publicRef,
};

export async function findUpload(db: DbOrTx, id: string): Promise<UploadRow | undefined> {
  const rows = await db.select(uploadColumns).from(attachments).innerJoin(cases, eq(cases.id, attachments.caseId))
    .where(eq(attachments.id, id)).limit(1);
  return rows[0] as UploadRow | undefined;
}

export async function lockUpload(tx: DbOrTx, id: string): Promise<UploadRow | undefined> {
  const rows = await tx.select(uploadColumns).from(attachments).innerJoin(cases, eq(cases.id, attachments.caseId))
    .where(eq(attachments.id, id)).limit(1).for('update', { of: attachments });
  return rows[0] as UploadRow | undefined;
}

/**
 * Records progress only if nobody moved it meanwhile (compare-and-set on the offset):
 * two racing requests for one upload cannot both advance it.
 */
export async function advanceUpload(db: DbOrTx, id: string, from: number, to: number, chunks: number): Promise<boolean> {
  const rows = await db.update(attachments)
    .set({ receivedBytes: to, chunksReceived: sql`${attachments.chunksReceived} + ${chunks}` })
    .where(and(eq(attachments.id, id), eq(attachments.receivedBytes, from), eq(attachments.state, 'uploading')))
    .returning({ id: attachments.id });
  return rows.length > 0;
}

export async function markUploadComplete(tx: DbOrTx, id: string, manifestEnvelopeId: string): Promise<void> {
  // The token has done its job; the expiry would otherwise keep a precise-ish time around.
  await tx.update(attachments).set({ state: 'complete', manifestEnvelopeId, uploadTokenHash: null, expiresAt: null })
    .where(eq(attachments.id, id));
}

export type CaseUploadTotals = { files: number; bytes: number; incomplete: number };

export async function caseUploadTotals(db: DbOrTx, caseId: string): Promise<CaseUploadTotals> {
  const rows = await db.select({
    files: sql<number>`count(*)::int`,
    bytes: sql<number>`coalesce(sum(${attachments.declaredBytes}), 0)::bigint`,
    incomplete: sql<number>`count(*) FILTER (WHERE ${attachments.state} = 'uploading')::int`,
  }).from(attachments).where(and(eq(attachments.caseId, caseId), ne(attachments.state, 'aborted')));
  const row = rows[0];
  return { files: Number(row?.files ?? 0), bytes: Number(row?.bytes ?? 0), incomplete: Number(row?.incomplete ?? 0) };
}

/** Unfinished uploads to submitted cases, past their expiry; locked against a second sweep. */
export async function lockStaleUploads(tx: DbOrTx, now: Date, limit: number): Promise<Array<{ id: string; blobKey: string }>> {
  return tx.select({ id: attachments.id, blobKey: attachments.blobKey }).from(attachments)
    .where(and(eq(attachments.state, 'uploading'), isNotNull(attachments.expiresAt), lt(attachments.expiresAt, now)))
    .orderBy(asc(attachments.expiresAt)).limit(limit).for('update', { skipLocked: true });
}

export async function deleteAttachments(tx: DbOrTx, ids: string[]): Promise<void> {
  if (ids.length > 0) await tx.delete(attachments).where(inArray(attachments.id, ids));
}

/** Which of these blob keys some attachment row still owns. */
export async function knownBlobKeys(db: DbOrTx, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.select({ blobKey: attachments.blobKey }).from(attachments).where(inArray(attachments.blobKey, keys));
  return new Set(rows.map((r) => r.blobKey));
}
