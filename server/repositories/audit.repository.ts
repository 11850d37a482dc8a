import { and, asc, desc, eq, gt, like, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { auditHead, auditLog } from '../../drizzle/schema/index.ts';

export type AuditRow = typeof auditLog.$inferSelect;

export async function readAuditHead(db: DbOrTx): Promise<{ lastId: number; lastHash: Uint8Array }> {
  const rows = await db.select().from(auditHead).where(eq(auditHead.id, 1));
  const head = rows[0];
  if (!head) throw new Error('audit_head row missing: migrations not applied');
  return { lastId: head.lastId, lastHash: head.lastHash };
}

export type AppendAuditInput = {
  at: Date; actorKind: string; actorId: string | null; action: string; resourceKind: string | null; resourceId: string | null;
  detail: Record<string, unknown>;
};

/** audit_append() (migration 0007): one statement locks the head, hashes, inserts and moves the head. */
export async function appendAuditRow(tx: DbOrTx, e: AppendAuditInput): Promise<number> {
  const rows = await tx.execute<{ id: string }>(sql`SELECT audit_append(${e.at.toISOString()}::timestamptz, ${e.actorKind}, ${e.actorId}::uuid,
    ${e.action}, ${e.resourceKind}, ${e.resourceId}, ${JSON.stringify(e.detail)}::jsonb) AS id`);
  return Number(rows[0]?.id);
}

/** Several entries in order, in one statement (audit_append_many, migration 0010); the last id. */
export async function appendAuditRows(tx: DbOrTx, entries: readonly AppendAuditInput[]): Promise<number> {
  const payload = entries.map((e) => ({ ...e, at: e.at.toISOString() }));
  const rows = await tx.execute<{ id: string }>(sql`SELECT audit_append_many(${JSON.stringify(payload)}::jsonb) AS id`);
  return Number(rows[0]?.id);
}

/** A stored row with, for version 2 rows, the body the database hashes (audit_body_v2 of its current columns). */
export type AuditPageRow = AuditRow & { bodyV2: string | null };

export async function readAuditPage(db: DbOrTx, afterId: number, limit: number): Promise<AuditPageRow[]> {
  return db.select({
    ...getAuditColumns(),
    bodyV2: sql<string | null>`CASE WHEN ${auditLog.hashVersion} = 2 THEN audit_body_v2(${auditLog.id}, ${auditLog.at}, ${auditLog.actorKind},
      ${auditLog.actorId}, ${auditLog.action}, ${auditLog.resourceKind}, ${auditLog.resourceId}, ${auditLog.detail}) END`,
  }).from(auditLog).where(gt(auditLog.id, afterId)).orderBy(asc(auditLog.id)).limit(limit);
}

const getAuditColumns = () => ({
  id: auditLog.id, at: auditLog.at, actorKind: auditLog.actorKind, actorId: auditLog.actorId, action: auditLog.action,
  resourceKind: auditLog.resourceKind, resourceId: auditLog.resourceId, detail: auditLog.detail, prevHash: auditLog.prevHash,
  hash: auditLog.hash, hashVersion: auditLog.hashVersion,
});

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
