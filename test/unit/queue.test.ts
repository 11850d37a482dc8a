import { describe, expect, it } from 'vitest';
import { addCalendarDays, createCalendar, workingDaysBetween } from '../../server/domain/calendar.ts';
import { decodeQueueCursor, dueSoonUntil, encodeQueueCursor, NO_DUE_DATE, workingDaysLeft } from '../../server/domain/queue.ts';

const cal = createCalendar({ holidays: ['2026-09-02'] });

describe('queue cursor', () => {
  it('round-trips the last row’s key, including the no-deadline day', () => {
    for (const key of [{ dueOn: '2026-11-30', caseId: '0b7e5a4c-2f7d-4c55-9a49-0d0c1e4e5f60' }, { dueOn: NO_DUE_DATE, caseId: 'ffffffff-ffff-4fff-bfff-ffffffffffff' }]) {
      const cursor = encodeQueueCursor(key);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeQueueCursor(cursor)).toEqual(key);
    }
  });

  it('refuses a cursor it did not make, with VALIDATION_FAILED', () => {
    for (const bad of ['', 'x', btoa('2026-02-30|0b7e5a4c-2f7d-4c55-9a49-0d0c1e4e5f60'), btoa('2026-11-30|not-a-uuid'), btoa('2026-11-30|0b7e5a4c-2f7d-4c55-9a49-0d0c1e4e5f60|x')]) {
      expect(() => decodeQueueCursor(bad)).toThrowError(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
  });
});

describe('deadline badge', () => {
  it('counts working days left, skipping weekends and holidays, negative once overdue', () => {
    // Fri 2026-08-28 → Thu 2026-09-03: Mon 31, Tue 1, (Wed 2 is a holiday), Thu 3.
    expect(workingDaysLeft(cal, '2026-08-28', '2026-09-03')).toBe(3);
    expect(workingDaysLeft(cal, '2026-09-03', '2026-08-28')).toBe(-3);
    expect(workingDaysLeft(cal, '2026-09-03', '2026-09-03')).toBe(0);
  });

  it('agrees with the calendar’s day-by-day count, make-up Saturdays and holidays included', () => {
    const vn = createCalendar({ holidays: ['2026-09-01', '2026-09-02', '2027-02-05', '2027-02-08'], makeUpWorkingDays: ['2026-08-29', '2027-02-20'] });
    for (let i = 0; i < 400; i += 1) {
      const from = addCalendarDays('2026-08-01', (i * 37) % 250);
      const to = addCalendarDays('2026-08-01', (i * 91) % 260);
      expect(workingDaysLeft(vn, from, to)).toBe(workingDaysBetween(vn, from, to));
    }
  });

  it('has no badge without a deadline', () => {
    expect(workingDaysLeft(cal, '2026-09-03', null)).toBeNull();
    expect(workingDaysLeft(cal, '2026-09-03', NO_DUE_DATE)).toBeNull();
  });

  it('counts "due soon" as three working days ahead', () => {
    expect(dueSoonUntil(cal, '2026-08-28')).toBe('2026-09-03');
  });
});
