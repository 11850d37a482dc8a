import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addCountedDays,
  addWorkingDays,
  calendarDaysBetween,
  createCalendar,
  isIsoDate,
  isWorkingDay,
  localDateOf,
  nextWorkingDayOnOrAfter,
  weekdayOf,
  workingDaysBetween,
  type PauseInterval,
} from '../../../server/domain/calendar.ts';
import { isAppError } from '../../../server/domain/errors.ts';
import type { DayUnit } from '../../../server/domain/vocabulary.ts';
import { createSeedCalendar } from '../../../server/domain/holidays.ts';

const plain = createCalendar();
const vn = createSeedCalendar();

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return isAppError(e) ? e.code : 'not an AppError';
  }
  return undefined;
};

describe('dates', () => {
  it.each([
    ['2026-02-17', true],
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['2026-2-17', false],
    ['2026-02-17T00:00:00Z', false],
    ['', false],
  ])('isIsoDate(%j) is %s: only real YYYY-MM-DD dates are accepted', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it('refuses an impossible date with VALIDATION_FAILED instead of rolling it over', () => {
    expect(codeOf(() => addCalendarDays('2026-02-30', 1))).toBe('VALIDATION_FAILED');
  });

  it.each([
    ['2026-02-28', 1, '2026-03-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2026-03-02', 30, '2026-04-01'],
  ])('addCalendarDays(%s, %i) is %s across months, years and leap days', (start, n, expected) => {
    expect(addCalendarDays(start, n)).toBe(expected);
    expect(calendarDaysBetween(start, expected)).toBe(n);
  });

  it.each([
    ['2026-02-17', 2],
    ['2027-02-06', 6],
    ['2026-04-26', 0],
  ])('weekdayOf(%s) is %i (0 = Sunday)', (date, expected) => {
    expect(weekdayOf(date)).toBe(expected);
  });
});

describe('localDateOf: the Vietnamese calendar date of an instant (UTC+7)', () => {
  it.each([
    ['2026-02-16T16:59:59.999Z', '2026-02-16'],
    ['2026-02-16T17:00:00.000Z', '2026-02-17'],
    ['2026-12-31T16:59:59Z', '2026-12-31'],
    ['2026-12-31T17:00:00Z', '2027-01-01'],
    ['2026-03-01T00:30:00Z', '2026-03-01'],
  ])('%s falls on %s in Vietnam', (instant, expected) => {
    expect(localDateOf(new Date(instant))).toBe(expected);
  });

  it('uses the offset it is given (UTC at 0)', () => {
    expect(localDateOf(new Date('2026-02-16T17:00:00Z'), 0)).toBe('2026-02-16');
  });

  it('refuses an invalid instant', () => {
    expect(codeOf(() => localDateOf(new Date('nope')))).toBe('VALIDATION_FAILED');
  });
});

describe('working days', () => {
  it.each([
    ['2026-03-06', true, 'Friday'],
    ['2026-03-07', false, 'Saturday'],
    ['2026-03-08', false, 'Sunday'],
    ['2026-03-09', true, 'Monday'],
  ])('%s is a working day: %s (%s) on a calendar without holidays', (date, expected) => {
    expect(isWorkingDay(plain, date)).toBe(expected);
  });

  it.each([
    ['2026-02-16', false, 'Tết eve 2026, a Monday'],
    ['2026-02-17', false, 'Tết 2026 (mùng 1), a Tuesday'],
    ['2026-02-23', true, 'first working day after Tết 2026'],
    ['2026-04-26', false, 'Hùng Kings 2026, a Sunday'],
    ['2026-04-27', false, 'Hùng Kings 2026 compensatory Monday'],
    ['2027-04-16', false, 'Hùng Kings 2027, a Friday (lunar 10/3)'],
    ['2027-02-10', false, 'Tết 2027 compensatory Wednesday'],
    ['2027-02-11', true, 'first working day after Tết 2027'],
    ['2026-01-10', true, 'make-up Saturday for 2 Jan 2026'],
    ['2026-08-22', true, 'make-up Saturday for 31 Aug 2026'],
    ['2026-08-31', false, 'swapped day off before National Day 2026'],
    ['2026-09-03', true, 'the Thursday after National Day 2026'],
  ])('%s is a working day: %s (%s)', (date, expected) => {
    expect(isWorkingDay(vn, date)).toBe(expected);
  });

  it.each([
    ['2026-03-06', 1, '2026-03-09', 'Friday + 1 is the next Monday'],
    ['2026-03-07', 1, '2026-03-09', 'a Saturday start counts from Monday'],
    ['2026-03-05', 7, '2026-03-16', 'seven working days skip one weekend'],
    ['2026-03-09', -2, '2026-03-05', 'negative n counts back over the weekend'],
    ['2026-03-07', 0, '2026-03-07', 'zero returns the start unchanged'],
  ])('addWorkingDays(%s, %i) is %s: %s', (start, n, expected) => {
    expect(addWorkingDays(plain, start, n)).toBe(expected);
  });

  it.each([
    ['2026-02-12', 7, '2026-03-02', 'received before Tết 2026: the nine-day break is skipped'],
    ['2027-02-03', 7, '2027-02-19', 'received before Tết 2027: Tết and its compensatory days are skipped'],
    ['2026-04-24', 5, '2026-05-06', 'Hùng Kings (in lieu), 30/4 and 1/5 are skipped'],
    ['2026-08-21', 1, '2026-08-22', 'a make-up Saturday counts'],
    ['2026-08-28', 2, '2026-09-04', 'National Day 2026 (31/8–2/9) is skipped'],
  ])('with Vietnamese holidays, addWorkingDays(%s, %i) is %s: %s', (start, n, expected) => {
    expect(addWorkingDays(vn, start, n)).toBe(expected);
  });

  it('the same count without holidays lands earlier (the holidays matter)', () => {
    expect(addWorkingDays(plain, '2026-02-12', 7)).toBe('2026-02-23');
  });

  it.each([
    ['2026-02-12', '2026-03-02', 7],
    ['2026-03-02', '2026-02-12', -7],
    ['2026-03-02', '2026-03-02', 0],
    ['2026-02-13', '2026-02-22', 0],
    ['2026-02-22', '2026-02-13', 0],
  ])('workingDaysBetween(%s, %s) is %i: counts (from, to]', (from, to, expected) => {
    expect(workingDaysBetween(vn, from, to)).toBe(expected);
  });

  it('workingDaysBetween inverts addWorkingDays and flips sign when swapped, over two years of starts', () => {
    for (let d = '2026-01-01'; d < '2028-01-01'; d = addCalendarDays(d, 1)) {
      for (const n of [0, 1, 5, 7, 10, 30]) {
        const end = addWorkingDays(vn, d, n);
        expect(workingDaysBetween(vn, d, end), `${d} + ${n}`).toBe(n);
        expect(workingDaysBetween(vn, end, d), `${end} back to ${d}`).toBe(0 - n);
      }
    }
  });

  it.each([
    ['2026-02-14', '2026-02-23'],
    ['2026-03-09', '2026-03-09'],
  ])('nextWorkingDayOnOrAfter(%s) is %s', (date, expected) => {
    expect(nextWorkingDayOnOrAfter(vn, date)).toBe(expected);
  });
});

describe('createCalendar', () => {
  it('refuses a date listed both as holiday and make-up working day', () => {
    expect(codeOf(() => createCalendar({ holidays: ['2026-08-22'], makeUpWorkingDays: ['2026-08-22'] }))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('refuses a malformed holiday date', () => {
    expect(codeOf(() => createCalendar({ holidays: ['17/02/2026'] }))).toBe('VALIDATION_FAILED');
  });

  it('refuses a week without working days (counting would never end)', () => {
    expect(codeOf(() => createCalendar({ weekendDays: [0, 1, 2, 3, 4, 5, 6] }))).toBe('VALIDATION_FAILED');
  });

  it('supports a Sunday-only weekend', () => {
    const cal = createCalendar({ weekendDays: [0] });
    expect(isWorkingDay(cal, '2026-03-07')).toBe(true);
    expect(addWorkingDays(cal, '2026-03-06', 2)).toBe('2026-03-09');
  });
});

describe('addCountedDays: paused days stop the clock', () => {
  const none: PauseInterval[] = [];
  it.each<[DayUnit, string, number, PauseInterval[], string, string]>([
    ['working', '2026-03-02', 5, none, '2026-03-09', 'no pause: five working days'],
    ['working', '2026-03-02', 5, [{ from: '2026-03-04', to: '2026-03-06' }], '2026-03-11', 'Wed–Thu paused: two more days'],
    ['working', '2026-03-02', 5, [{ from: '2026-03-04', to: '2026-03-04' }], '2026-03-09', 'resumed the same day: nothing lost'],
    ['working', '2026-03-02', 5, [{ from: '2026-03-07', to: '2026-03-09' }], '2026-03-09', 'a weekend pause costs nothing'],
    ['working', '2026-03-02', 5, [{ from: '2026-03-20', to: null }], '2026-03-09', 'an open pause after the due date does not move it'],
    ['calendar', '2026-03-01', 10, none, '2026-03-11', 'no pause: ten calendar days'],
    ['calendar', '2026-03-01', 10, [{ from: '2026-03-05', to: '2026-03-08' }], '2026-03-14', 'three paused days add three'],
    [
      'calendar',
      '2026-03-01',
      10,
      [
        { from: '2026-03-03', to: '2026-03-04' },
        { from: '2026-03-06', to: '2026-03-08' },
      ],
      '2026-03-14',
      'several pauses add up',
    ],
  ])('%s unit from %s + %i with pauses %j is %s: %s', (unit, start, n, pauses, expected) => {
    expect(addCountedDays(vn, start, n, unit, pauses)).toBe(expected);
  });

  it('returns null while an open pause stops the clock before the period ends', () => {
    expect(addCountedDays(vn, '2026-03-02', 5, 'working', [{ from: '2026-03-04', to: null }])).toBeNull();
  });

  it('refuses a pause that ends before it starts', () => {
    const pauses = [{ from: '2026-03-06', to: '2026-03-04' }];
    expect(codeOf(() => addCountedDays(vn, '2026-03-02', 5, 'working', pauses))).toBe('VALIDATION_FAILED');
  });

  it('refuses two open pauses', () => {
    const pauses = [
      { from: '2026-03-04', to: null },
      { from: '2026-03-06', to: null },
    ];
    expect(codeOf(() => addCountedDays(vn, '2026-03-02', 5, 'working', pauses))).toBe('VALIDATION_FAILED');
  });
});
