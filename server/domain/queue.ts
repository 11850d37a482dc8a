// The casework queue's pure parts: the keyset cursor, the deadline badge in working days,
// and the date bounds of the "due soon" and "overdue" filters.
import { addWorkingDays, isIsoDate, workingDaysBetween, type Calendar, type IsoDate } from './calendar.ts';
import { AppError } from './errors.ts';

/** No deadline sorts last: case_bodies.queue_due_on stores NULL as this day. */
export const NO_DUE_DATE: IsoDate = '9999-12-31';
/** "Due soon": the next deadline falls within this many working days. */
export const DUE_SOON_WORKING_DAYS = 3;
export const QUEUE_PAGE_DEFAULT = 50;
export const QUEUE_PAGE_MAX = 100;

export type QueueKey = { dueOn: IsoDate; caseId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque to clients: base64url of "dueOn|caseId", the last row of the page. */
// ASCII only, so btoa/atob serve in Node and the browser alike (domain code has no Buffer).
export const encodeQueueCursor = (key: QueueKey): string =>
  btoa(`${key.dueOn}|${key.caseId}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const fromCursor = (cursor: string): string => {
  try {
    return atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    return '';
  }
};

export const decodeQueueCursor = (cursor: string): QueueKey => {
  const [dueOn, caseId, extra] = fromCursor(cursor).split('|');
  if (extra !== undefined || !isIsoDate(dueOn) || caseId === undefined || !UUID.test(caseId)) {
    throw new AppError('VALIDATION_FAILED', 'The page cursor is not valid. Start again from the first page.');
  }
  return { dueOn, caseId };
};

/** Working days from today to the due day; negative once it has passed, null without a deadline. */
export const workingDaysLeft = (cal: Calendar, today: IsoDate, dueOn: IsoDate | null): number | null =>
  dueOn === null || dueOn === NO_DUE_DATE ? null : workingDaysBetween(cal, today, dueOn);

/** The last day that still counts as "due soon" (inclusive). */
export const dueSoonUntil = (cal: Calendar, today: IsoDate): IsoDate => addWorkingDays(cal, today, DUE_SOON_WORKING_DAYS);
