import { and, asc, desc, eq, gt, like, lt } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { auditHead, auditLog } from '../../drizzle/schema/index.ts';

export type AuditRow = typeof auditLog.$inferSelect;

/** Locks the chain head for the rest of the transaction: appends are strictly ordered. */
export async function lockAuditHead(tx: DbOrTx): Promise<{ lastId: number; lastHash: Uint8Array }> {
  const rows = await tx.select().from(auditHead).where(eq(auditHead.id, 1)).for('update');
  const head = rows[0];
  if (!head) throw new Error('audit_head row missing: migrations not applied');
  return { lastId: head.lastId, lastHash: head.lastHash };
}

export async function readAuditHead(db: DbOrTx): Promise<{ lastId: number; lastHash: Uint8Array }> {
  const rows = await db.select().from(auditHead).where(eq(auditHead.id, 1));
  const head = rows[0];
  if (!head) throw new Error('audit_head row missing: migrations not applied');
  return { lastId: head.lastId, lastHash: head.lastHash };
}

export async function insertAuditRow(tx: DbOrTx, row: typeof auditLog.$inferInsert & { id: number }): Promise<void> {
  await tx.insert(auditLog).values(row);
  await tx.update(auditHead).set({ lastId: row.id, lastHash: row.hash }).where(eq(auditHead.id, 1));
}

export async function readAuditPage(db: DbOrTx, afterId: number, limit: number): Promise<AuditRow[]> {
  return db.select().from(auditLog).where(gt(auditLog.id, afterId)).orderBy(asc(auditLog.id)).limit(limit);
}

export type AuditFilter = { beforeId: number | null; limit: number; action?: string; actorId?: string };

/** Newest first, keyset by id; `action` matches exactly or as a prefix ending in '.' ("auth."). */
export async function readAuditPageDesc(db: DbOrTx, filter: AuditFilter): Promise<AuditRow[]> {
  const conditions = [
    filter.beforeId === null ? undefined : lt(auditLog.id, filter.beforeId),
    filter.action === undefined ? undefined
      : filter.action.endsWith('.') ? like(auditLog.action, `${filter.action.replace(/[\\%_]/g, '\\$&')}%`) : eq(auditLog.action, filter.action),
    filter.actorId === undefined ? undefined : eq(auditLog.actorId, filter.actorId),
  ].filter((c) => c !== undefined);
  return db.select().from(auditLog).where(conditions.length > 0 ? and(...conditions) : undefined).orderBy(desc(auditLog.id)).limit(filter.limit);
}
