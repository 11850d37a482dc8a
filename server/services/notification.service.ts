// Staff notifications: who hears of a case event, the in-app row (one per person and event,
// whichever worker gets there first), and the outbox row that e-mails it when mail is on.
import type { Config } from '../config.ts';
import type { DbOrTx } from '../db/client.ts';
import { decide, ROLE_BODY_KINDS } from '../domain/policy.ts';
import { ROLES, type Role } from '../domain/vocabulary.ts';
import {
  countUnread, findCaseStaff, findDesignatedLead, insertNotifications, listNotificationsPage, markAllRead, markRead,
  type NotificationItem, type Recipient,
} from '../repositories/notification.repository.ts';
import { enqueueOutbox } from '../repositories/outbox.repository.ts';
import { AppError } from '../domain/errors.ts';

export const EMAIL_TOPIC = 'notification.email';

/**
 * The roles that work cases, asked of the access policy rather than listed again: whoever
 * may list their own body's cases. Administrators, auditors and personnel officers never do.
 */
export const CASE_ROLES: readonly Role[] = ROLES.filter((role) => decide({
  staffId: 'x', role, bodyId: 'b', bodyKind: ROLE_BODY_KINDS[role][0] ?? 'administration', bodyLevel: 'city', bodyJurisdiction: 'j', cadreId: null,
}, 'case.list', { bodyId: 'b' }).allowed);

export type CaseRef = { id: string; publicRef: string; cadreId: string | null };

export function caseStaffOf(db: DbOrTx, c: CaseRef, who: { bodyIds?: readonly string[]; staffIds?: readonly string[] }): Promise<Recipient[]> {
  return findCaseStaff(db, { ...who, roles: CASE_ROLES, caseId: c.id, cadreId: c.cadreId });
}

/**
 * Who an escalation goes to: the body's designated lead, else its inspection leads, else
 * (a Front desk has no lead role) its reviewers.
 */
export async function leadsOf(db: DbOrTx, c: CaseRef, bodyId: string): Promise<Recipient[]> {
  const lead = await findDesignatedLead(db, bodyId, c.cadreId);
  if (lead) return [lead];
  for (const role of ['inspection_lead', 'front_reviewer'] as const) {
    const found = await findCaseStaff(db, { bodyIds: [bodyId], roles: [role], caseId: c.id, cadreId: c.cadreId });
    if (found.length > 0) return found;
  }
  return [];
}

export type NotifyInput = { caseRef: string | null; kind: string; dedupeKey: string; recipients: readonly Recipient[] };

/** Writes the notifications that are new, and for each an e-mail job when mail is configured. */
export async function notifyStaff(tx: DbOrTx, config: Pick<Config, 'smtpUrl'>, input: NotifyInput): Promise<number> {
  const unique = [...new Map(input.recipients.map((r) => [r.staffId, r])).values()];
  const inserted = await insertNotifications(tx, unique.map((r) => ({
    staffId: r.staffId, bodyId: r.bodyId, kind: input.kind, caseRef: input.caseRef, dedupeKey: input.dedupeKey,
  })));
  if (config.smtpUrl !== null) {
    const withEmail = new Set(unique.filter((r) => r.email).map((r) => r.staffId));
    for (const n of inserted) {
      if (withEmail.has(n.staffId)) await enqueueOutbox(tx, { topic: EMAIL_TOPIC, dedupeKey: `email/${n.id}`, payload: { notificationId: n.id } });
    }
  }
  return inserted.length;
}

export type NotificationPage = { items: NotificationItem[]; nextCursor: string | null; unread: number };

const encodeCursor = (n: NotificationItem): string => Buffer.from(`${n.createdAt.toISOString()}|${n.id}`).toString('base64url');

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(createdAt.getTime())) {
    throw new AppError('VALIDATION_FAILED', undefined, { fields: ['/cursor'] });
  }
  return { createdAt, id };
}

export async function listMyNotifications(
  db: DbOrTx, staffId: string, opts: { cursor?: string | undefined; limit: number; unreadOnly: boolean },
): Promise<NotificationPage> {
  const before = opts.cursor ? decodeCursor(opts.cursor) : null;
  const [rows, unread] = await Promise.all([
    listNotificationsPage(db, staffId, { before, limit: opts.limit + 1, unreadOnly: opts.unreadOnly }),
    countUnread(db, staffId),
  ]);
  const items = rows.slice(0, opts.limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > opts.limit && last ? encodeCursor(last) : null, unread };
}

export async function markMyNotificationRead(db: DbOrTx, staffId: string, id: string): Promise<void> {
  // Someone else's notification reads as unknown: ids do not reveal who was told what.
  if (!(await markRead(db, staffId, id))) throw new AppError('NOT_FOUND');
}

export const markAllMyNotificationsRead = (db: DbOrTx, staffId: string): Promise<number> => markAllRead(db, staffId);
