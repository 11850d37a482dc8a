// Working-day calendar on date-only values. Dates are ISO 'YYYY-MM-DD' strings and all
// arithmetic runs on UTC day numbers, so no server or browser time zone can shift a day.
//
// Counting convention (Civil Code 2015 Art. 147, used by the Law on Denunciation): a
// period counted in days starts on the day AFTER the event. `addWorkingDays(cal, d, 1)`
// is the first working day after d; a deadline "within 7 working days of receipt" is
// `addWorkingDays(cal, receivedOn, 7)`, and work is on time if done on or before it.

import { AppError } from './errors.ts';
import type { DayUnit } from './vocabulary.ts';

/** A calendar date, 'YYYY-MM-DD'. */
export type IsoDate = string;

/** 0 = Sunday … 6 = Saturday, as `Date.prototype.getUTCDay`. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** A span while the clock is stopped: days d with from <= d < to; `to: null` is still open. */
export type PauseInterval = { from: IsoDate; to: IsoDate | null };

export type Calendar = {
  readonly holidays: ReadonlySet<IsoDate>;
  /** Weekend days declared working days (make-up Saturdays for a swapped day off). */
  readonly makeUpWorkingDays: ReadonlySet<IsoDate>;
  readonly weekendDays: ReadonlySet<Weekday>;
};

export type CalendarInput = {
  holidays?: Iterable<IsoDate>;
  makeUpWorkingDays?: Iterable<IsoDate>;
  weekendDays?: readonly Weekday[];
};

/** Vietnam is UTC+7 all year (no daylight saving). */
export const VIETNAM_TZ_OFFSET_MINUTES = 420;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const invalidDate = (): AppError =>
  new AppError('VALIDATION_FAILED', 'Expected a calendar date written as YYYY-MM-DD.');

export const isIsoDate = (value: unknown): value is IsoDate => {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC silently rolls 2026-02-30 into March, so require an exact round trip.
  return new Date(ms).toISOString().slice(0, 10) === value;
};

/** Days since 1970-01-01. */
export const toDayNumber = (date: IsoDate): number => {
  if (!isIsoDate(date)) throw invalidDate();
  return Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY;
};

export const fromDayNumber = (day: number): IsoDate => {
  if (!Number.isInteger(day)) throw invalidDate();
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
};

export const weekdayOf = (date: IsoDate): Weekday =>
  new Date(toDayNumber(date) * MS_PER_DAY).getUTCDay() as Weekday;

export const compareDates = (a: IsoDate, b: IsoDate): number => toDayNumber(a) - toDayNumber(b);

export const addCalendarDays = (date: IsoDate, n: number): IsoDate => {
  assertInteger(n);
  return fromDayNumber(toDayNumber(date) + n);
};

/** Signed count of calendar days from `from` to `to` (to − from). */
export const calendarDaysBetween = (from: IsoDate, to: IsoDate): number =>
  toDayNumber(to) - toDayNumber(from);

/** The calendar date in Vietnam (or another fixed offset) at a given instant. */
export const localDateOf = (instant: Date, tzOffsetMinutes = VIETNAM_TZ_OFFSET_MINUTES): IsoDate => {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw invalidDate();
  return fromDayNumber(Math.floor((ms + tzOffsetMinutes * 60_000) / MS_PER_DAY));
};

export const createCalendar = (input: CalendarInput = {}): Calendar => {
  const holidays = new Set<IsoDate>();
  for (const d of input.holidays ?? []) holidays.add(checked(d));
  const makeUpWorkingDays = new Set<IsoDate>();
  for (const d of input.makeUpWorkingDays ?? []) {
    // A date cannot be both: the table would be ambiguous, so the administrator must fix it.
    if (holidays.has(checked(d))) {
      throw new AppError('VALIDATION_FAILED', 'A date is listed both as a holiday and as a working day.');
    }
    makeUpWorkingDays.add(d);
  }
  const weekendDays = new Set<Weekday>(input.weekendDays ?? [0, 6]);
  // At least one working weekday, or counting working days would never end.
  if (weekendDays.size >= 7) throw new AppError('VALIDATION_FAILED', 'A week needs at least one working day.');
  return Object.freeze({ holidays, makeUpWorkingDays, weekendDays });
};

export const isWorkingDay = (cal: Calendar, date: IsoDate): boolean => isWorkingDayNumber(cal, toDayNumber(date));

// The loops below walk day numbers: a date string per day (parsed, validated, formatted)
// cost more than the rest of a transition's deadline work. Each calendar's dates are turned
// into day numbers once; a calendar never changes after createCalendar.
const dayNumbersOf = new WeakMap<Calendar, { holidays: ReadonlySet<number>; makeUp: ReadonlySet<number> }>();

function isWorkingDayNumber(cal: Calendar, day: number): boolean {
  let days = dayNumbersOf.get(cal);
  if (!days) {
    days = { holidays: new Set([...cal.holidays].map(toDayNumber)), makeUp: new Set([...cal.makeUpWorkingDays].map(toDayNumber)) };
    dayNumbersOf.set(cal, days);
  }
  if (days.makeUp.has(day)) return true;
  if (days.holidays.has(day)) return false;
  // Day 0, 1970-01-01, was a Thursday.
  return !cal.weekendDays.has((((day + 4) % 7) + 7) % 7 as Weekday);
}

/**
 * The n-th working day after `start` (day 1 = first working day after it); a negative n
 * counts back (n = −2: the second working day before). n = 0 returns `start` unchanged.
 */
export const addWorkingDays = (cal: Calendar, start: IsoDate, n: number): IsoDate => {
  assertInteger(n);
  const step = n < 0 ? -1 : 1;
  let day = toDayNumber(start);
  for (let left = Math.abs(n); left > 0; ) {
    day += step;
    if (isWorkingDayNumber(cal, day)) left -= 1;
  }
  return fromDayNumber(day);
};

/**
 * Working days in (from, to]; when `to` is before `from`, minus the working days in
 * (to, from], so swapping the arguments flips the sign. For n >= 0 it inverts
 * `addWorkingDays`: workingDaysBetween(cal, s, addWorkingDays(cal, s, n)) === n.
 */
export const workingDaysBetween = (cal: Calendar, from: IsoDate, to: IsoDate): number => {
  const a = toDayNumber(from);
  const b = toDayNumber(to);
  const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
  let count = 0;
  for (let d = lo + 1; d <= hi; d += 1) if (isWorkingDayNumber(cal, d)) count += 1;
  return count === 0 ? 0 : sign * count; // never -0
};

/** `date` itself when it is a working day, otherwise the next working day. */
export const nextWorkingDayOnOrAfter = (cal: Calendar, date: IsoDate): IsoDate =>
  isWorkingDay(cal, date) ? date : addWorkingDays(cal, date, 1);

export const isPausedOn = (pauses: readonly PauseInterval[], date: IsoDate): boolean => {
  const d = toDayNumber(date);
  return pauses.some((p) => d >= toDayNumber(p.from) && (p.to === null || d < toDayNumber(p.to)));
};

export const assertValidPauses = (pauses: readonly PauseInterval[]): void => {
  for (const p of pauses) {
    if (p.to !== null && compareDates(p.to, p.from) < 0) {
      throw new AppError('VALIDATION_FAILED', 'A pause cannot end before it starts.');
    }
  }
  if (pauses.filter((p) => p.to === null).length > 1) {
    throw new AppError('VALIDATION_FAILED', 'Only one pause can be open at a time.');
  }
};

/**
 * Counts n days after `start` in the given unit, skipping every paused day: the day a
 * pause starts does not count, the day the case resumes does. Returns null when an open
 * pause stops the clock before the n-th day is reached (there is no due date while paused).
 */
export const addCountedDays = (
  cal: Calendar,
  start: IsoDate,
  n: number,
  unit: DayUnit,
  pauses: readonly PauseInterval[] = [],
): IsoDate | null => {
  assertInteger(n);
  if (n < 0) throw new AppError('VALIDATION_FAILED', 'A period cannot be negative.');
  assertValidPauses(pauses);
  const open = pauses.find((p) => p.to === null);
  const openFrom = open ? toDayNumber(open.from) : Number.POSITIVE_INFINITY;
  const closed = pauses.filter((p) => p.to !== null).map((p) => ({ from: toDayNumber(p.from), to: toDayNumber(p.to as IsoDate) }));
  let day = toDayNumber(start);
  for (let left = n; left > 0; ) {
    day += 1;
    if (day >= openFrom) return null;
    if (closed.some((p) => day >= p.from && day < p.to)) continue;
    if (unit === 'calendar' || isWorkingDayNumber(cal, day)) left -= 1;
  }
  return fromDayNumber(day);
};

function checked(date: IsoDate): IsoDate {
  if (!isIsoDate(date)) throw invalidDate();
  return date;
}

function assertInteger(n: number): void {
  if (!Number.isSafeInteger(n)) throw new AppError('VALIDATION_FAILED', 'A number of days must be a whole number.');
}
