// Deletes what an unfinished intake left behind: submissions whose uploads never finished
// (24 h), unfinished uploads added to filed cases, and blobs no row refers to (a crash
// between writing a blob and committing its row). Safe to run twice or concurrently.
import type { Db } from '../db/client.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { deleteCases, lockStalePendingCases } from '../repositories/case.repository.ts';
import { deleteAttachments, knownBlobKeys, lockStaleUploads } from '../repositories/attachment.repository.ts';
import { appendAudit } from './audit.service.ts';

export type CleanupResult = { cases: number; attachments: number; orphanBlobs: number };

const ORPHAN_AGE_MS = 24 * 3_600_000;

export async function cleanupStaleIntake(deps: { db: Db; blobs: BlobStore }, now = new Date(), batch = 200): Promise<CleanupResult> {
  const result: CleanupResult = { cases: 0, attachments: 0, orphanBlobs: 0 };
  for (;;) {
    const removed = await deps.db.transaction(async (tx) => {
      const caseIds = await lockStalePendingCases(tx, now, batch);
      const caseBlobs = await deleteCases(tx, caseIds);
      const uploads = await lockStaleUploads(tx, now, batch);
      await deleteAttachments(tx, uploads.map((u) => u.id));
      if (caseIds.length + uploads.length > 0) {
        // Counts only: the deleted submissions were never received, so no case id is kept.
        await appendAudit(tx, { actorKind: 'system', action: 'intake.stale_deleted', detail: { submissions: caseIds.length, uploads: uploads.length } });
      }
      return { cases: caseIds.length, attachments: uploads.length, blobs: [...caseBlobs, ...uploads.map((u) => u.blobKey)] };
    });
    // After the commit: a crash here leaves orphan blobs, which the sweep below removes next time.
    await Promise.all(removed.blobs.map((key) => deps.blobs.delete(key)));
    result.cases += removed.cases;
    result.attachments += removed.attachments;
    if (removed.cases < batch && removed.attachments < batch) break;
  }
  result.orphanBlobs = await sweepOrphanBlobs(deps, new Date(now.getTime() - ORPHAN_AGE_MS));
  return result;
}

async function sweepOrphanBlobs(deps: { db: Db; blobs: BlobStore }, before: Date): Promise<number> {
  let removed = 0;
  let page: string[] = [];
  const flush = async (): Promise<void> => {
    const known = await knownBlobKeys(deps.db, page);
    const orphans = page.filter((k) => !known.has(k));
    await Promise.all(orphans.map((k) => deps.blobs.delete(k)));
    removed += orphans.length;
    page = [];
  };
  for await (const key of deps.blobs.listOlderThan(before)) {
    page.push(key);
    if (page.length >= 500) await flush();
  }
  if (page.length > 0) await flush();
  return removed;
}
