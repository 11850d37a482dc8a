// The signed-in member's own notifications (server/routes/notifications): a page at a time
// with the unread count, and marking them read. They name a case and what happened, never
// its content, so nothing here needs the keys.
import { apiGet, apiPost } from '$lib/api';
import { m } from '$lib/paraglide/messages';
import { formatDateTime } from './labels';
import type { Page } from './types';

export type StaffNotification = {
  id: string;
  kind: string;
  label: { vi: string; en: string };
  caseRef: string | null;
  createdAt: string;
  readAt: string | null;
};

export type NotificationPage = Page<StaffNotification> & { unread: number };

export const NOTIFICATION_PAGE_SIZE = 25;

export const listNotifications = (cursor: string | null, limit = NOTIFICATION_PAGE_SIZE, signal?: AbortSignal): Promise<NotificationPage> =>
  apiGet<NotificationPage>('/api/notifications', { query: { cursor, limit }, signal });

/** The unread count alone: the server counts it on every page, so ask for the smallest one. */
export const countUnread = async (signal?: AbortSignal): Promise<number> => (await listNotifications(null, 1, signal)).unread;

export const markNotificationRead = (id: string): Promise<{ ok: true }> =>
  apiPost<{ ok: true }>(`/api/notifications/${encodeURIComponent(id)}/read`);

export const markAllNotificationsRead = (): Promise<{ ok: true; marked: number }> =>
  apiPost<{ ok: true; marked: number }>('/api/notifications/read-all');

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [['day', 86_400], ['hour', 3_600], ['minute', 60]];

/** "5 phút trước" for the last week, then the local date and time. */
export function whenText(iso: string, locale: string, now = Date.now()): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 60) return m.notify_just_now();
  if (seconds >= 7 * 86_400) return formatDateTime(iso, locale);
  const rtf = new Intl.RelativeTimeFormat(locale === 'en' ? 'en-GB' : 'vi-VN', { numeric: 'auto' });
  const [unit, size] = UNITS.find(([, s]) => seconds >= s) ?? ['minute', 60];
  return rtf.format(-Math.floor(seconds / size), unit);
}
