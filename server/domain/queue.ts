// The casework queue's pure parts: the keyset cursor, the deadline badge in working days,
// and the date bounds of the "due soon" and "overdue" filters.
import { addWorkingDays, isIsoDate, toDayNumber, type Calendar, type IsoDate, type Weekday } from './calendar.ts';
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

// 1970-01-01 (day 0) was a Thursday.
const weekdayOfDay = (day: number): Weekday => ((((day + 4) % 7) + 7) % 7) as Weekday;

type Exceptions = { weekendDays: ReadonlySet<Weekday>; lost: number[]; gained: number[] };
const exceptionsOf = new WeakMap<Calendar, Exceptions>();

/** Holidays on weekdays (working days lost) and make-up days on weekends (gained), as day numbers. */
function exceptions(cal: Calendar): Exceptions {
  let e = exceptionsOf.get(cal);
  if (!e) {
    const lost = [...cal.holidays].map(toDayNumber).filter((d) => !cal.weekendDays.has(weekdayOfDay(d)));
    const gained = [...cal.makeUpWorkingDays].map(toDayNumber).filter((d) => cal.weekendDays.has(weekdayOfDay(d)));
    e = { weekendDays: cal.weekendDays, lost, gained };
    exceptionsOf.set(cal, e);
  }
  return e;
}

/** Working days in (lo, hi], by arithmetic on whole weeks: the queue computes 100 badges a page. */
function workingDaysIn(e: Exceptions, lo: number, hi: number): number {
  const span = hi - lo;
  const weeks = Math.floor(span / 7);
  let count = weeks * (7 - e.weekendDays.size);
  for (let d = lo + weeks * 7 + 1; d <= hi; d += 1) if (!e.weekendDays.has(weekdayOfDay(d))) count += 1;
  for (const d of e.lost) if (d > lo && d <= hi) count -= 1;
  for (const d of e.gained) if (d > lo && d <= hi) count += 1;
  return count;
}

/**
 * Working days from today to the due day; negative once it has passed, null without a
 * deadline. Equal to calendar.ts workingDaysBetween (test/unit/queue.test.ts checks it).
 */
export const workingDaysLeft = (cal: Calendar, today: IsoDate, dueOn: IsoDate | null): number | null => {
  if (dueOn === null || dueOn === NO_DUE_DATE) return null;
  const a = toDayNumber(today);
  const b = toDayNumber(dueOn);
  const n = a <= b ? workingDaysIn(exceptions(cal), a, b) : -workingDaysIn(exceptions(cal), b, a);
  return n === 0 ? 0 : n; // never -0
};

/** The last day that still counts as "due soon" (inclusive). */
export const dueSoonUntil = (cal: Calendar, today: IsoDate): IsoDate => addWorkingDays(cal, today, DUE_SOON_WORKING_DAYS);
