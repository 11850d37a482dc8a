// In-app notifications for staff and the people they go to. A notification names a case by
// its reference and a kind code, never its content.
import { and, desc, eq, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { reusableInsert } from '../db/reusable.ts';
import { bodies, caseRecusals, jobRuns, notifications, staff } from '../../drizzle/schema/index.ts';
import type { Role } from '../domain/vocabulary.ts';

export type NewNotification = { staffId: string; bodyId: string | null; kind: string; caseRef: string | null; dedupeKey: string };

export type Recipient = { staffId: string; bodyId: string; email: string | null };

/** Inserts what is new; a (staff, dedupe key) pair seen before is skipped. Returns the new rows. */
export async function insertNotifications(tx: DbOrTx, rows: readonly NewNotification[]): Promise<Array<{ id: string; staffId: string }>> {
  if (rows.length === 0) return [];
  return insertNotificationRows(tx, rows);
}

const insertNotificationRows = reusableInsert('insert_notifications', (db, rows: NewNotification[]) => db.insert(notifications).values(rows)
  .onConflictDoNothing({ target: [notifications.staffId, notifications.dedupeKey] })
  .returning({ id: notifications.id, staffId: notifications.staffId }));

/**
 * Active members of the bodies in the given roles, leaving out anyone the case is about
 * (a staff member never hears of a case about themselves) and anyone recused from it.
 */
export async function findCaseStaff(
  db: DbOrTx,
  opts: { bodyIds?: readonly string[]; staffIds?: readonly string[]; roles: readonly Role[]; caseId: string; cadreId: string | null },
): Promise<Recipient[]> {
  if (!opts.bodyIds?.length && !opts.staffIds?.length) return [];
  return db.select({ staffId: staff.id, bodyId: staff.bodyId, email: staff.email }).from(staff)
    .where(and(
      opts.bodyIds?.length ? inArray(staff.bodyId, [...opts.bodyIds]) : undefined,
      opts.staffIds?.length ? inArray(staff.id, [...opts.staffIds]) : undefined,
      inArray(staff.role, [...opts.roles]), eq(staff.active, true),
      notSelf(opts.cadreId),
      sql`NOT EXISTS (SELECT 1 FROM ${caseRecusals} WHERE ${caseRecusals.caseId} = ${opts.caseId} AND ${caseRecusals.staffId} = ${staff.id})`,
    ));
}

/** The body's designated lead, if set and active. */
export async function findDesignatedLead(db: DbOrTx, bodyId: string, cadreId: string | null): Promise<Recipient | undefined> {
  const rows = await db.select({ staffId: staff.id, bodyId: staff.bodyId, email: staff.email }).from(bodies)
    .innerJoin(staff, eq(staff.id, bodies.leadStaffId))
    .where(and(eq(bodies.id, bodyId), eq(staff.active, true), eq(staff.bodyId, bodyId), notSelf(cadreId))).limit(1);
  return rows[0];
}

function notSelf(cadreId: string | null): SQL | undefined {
  return cadreId === null ? undefined : or(isNull(staff.cadreId), ne(staff.cadreId, cadreId));
}

export type NotificationItem = { id: string; kind: string; caseRef: string | null; createdAt: Date; readAt: Date | null };

// The cursor carries milliseconds (a JS Date); ordering and comparing at that precision keeps pages exact.
const createdMs = sql`date_trunc('milliseconds', ${notifications.createdAt})`;

export async function listNotificationsPage(
  db: DbOrTx, staffId: string, opts: { before: { createdAt: Date; id: string } | null; limit: number; unreadOnly: boolean },
): Promise<NotificationItem[]> {
  return db.select({ id: notifications.id, kind: notifications.kind, caseRef: notifications.caseRef, createdAt: notifications.createdAt, readAt: notifications.readAt })
    .from(notifications)
    .where(and(
      eq(notifications.staffId, staffId),
      opts.unreadOnly ? isNull(notifications.readAt) : undefined,
      opts.before ? sql`(${createdMs}, ${notifications.id}) < (${opts.before.createdAt.toISOString()}::timestamptz, ${opts.before.id}::uuid)` : undefined,
    ))
    .orderBy(desc(createdMs), desc(notifications.id))
    .limit(opts.limit);
}

export async function countUnread(db: DbOrTx, staffId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(notifications)
    .where(and(eq(notifications.staffId, staffId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** Marks one of the staff member's own notifications read; false when it is not theirs or unknown. */
export async function markRead(db: DbOrTx, staffId: string, id: string): Promise<boolean> {
  const rows = await db.update(notifications).set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), eq(notifications.staffId, staffId))).returning({ id: notifications.id });
  return rows.length > 0;
}

export async function markAllRead(db: DbOrTx, staffId: string): Promise<number> {
  const rows = await db.update(notifications).set({ readAt: sql`now()` })
    .where(and(eq(notifications.staffId, staffId), isNull(notifications.readAt))).returning({ id: notifications.id });
  return rows.length;
}

export type EmailTarget = { id: string; kind: string; caseRef: string | null; email: string | null; active: boolean; emailedAt: Date | null };

export async function findEmailTarget(db: DbOrTx, id: string): Promise<EmailTarget | undefined> {
  const rows = await db.select({
    id: notifications.id, kind: notifications.kind, caseRef: notifications.caseRef, email: staff.email, active: staff.active,
    emailedAt: notifications.emailedAt,
  }).from(notifications).innerJoin(staff, eq(staff.id, notifications.staffId)).where(eq(notifications.id, id)).limit(1);
  return rows[0];
}

export async function markEmailed(tx: DbOrTx, id: string): Promise<void> {
  await tx.update(notifications).set({ emailedAt: sql`now()` }).where(and(eq(notifications.id, id), isNull(notifications.emailedAt)));
}

/** The e-mail ledger in job_runs: a retry after runOnce skipped the handler must not mail twice. */
export async function readEmailLedger(db: DbOrTx, key: string): Promise<'sending' | 'sent' | null> {
  const rows = await db.select({ result: jobRuns.result }).from(jobRuns).where(eq(jobRuns.jobKey, key)).limit(1);
  const state = (rows[0]?.result as { state?: unknown } | null | undefined)?.state;
  return state === 'sending' || state === 'sent' ? state : null;
}

export async function writeEmailLedger(db: DbOrTx, key: string, state: 'sending' | 'sent'): Promise<void> {
  await db.insert(jobRuns).values({ jobKey: key, result: { state } })
    .onConflictDoUpdate({ target: jobRuns.jobKey, set: { result: { state }, finishedAt: sql`now()` } });
}
