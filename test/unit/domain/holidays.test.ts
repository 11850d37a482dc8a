import { describe, expect, it } from 'vitest';
import { isIsoDate, weekdayOf } from '../../../server/domain/calendar.ts';
import { VN_HOLIDAYS_SEED, VN_MAKE_UP_WORKING_DAYS_SEED } from '../../../server/domain/holidays.ts';

const byDate = new Map(VN_HOLIDAYS_SEED.map((h) => [h.date, h]));

describe('Vietnamese holiday seed', () => {
  it('lists each date once, as a real YYYY-MM-DD date', () => {
    for (const h of VN_HOLIDAYS_SEED) expect(isIsoDate(h.date), h.date).toBe(true);
    expect(byDate.size).toBe(VN_HOLIDAYS_SEED.length);
  });

  it.each([
    ['2026-01-01', 'solar'],
    ['2026-02-17', 'lunar'],
    ['2026-04-26', 'lunar'],
    ['2026-04-27', 'compensatory'],
    ['2026-04-30', 'solar'],
    ['2026-05-01', 'solar'],
    ['2026-09-01', 'solar'],
    ['2026-09-02', 'solar'],
    ['2027-01-01', 'solar'],
    ['2027-02-06', 'lunar'],
    ['2027-04-16', 'lunar'],
    ['2027-04-30', 'solar'],
    ['2027-05-01', 'solar'],
    ['2027-05-03', 'compensatory'],
    ['2027-09-02', 'solar'],
  ])('%s is a %s holiday', (date, kind) => {
    expect(byDate.get(date)?.kind).toBe(kind);
  });

  it.each([
    ['2026-02-17', 'Tết 2026 (lunar 1/1 Bính Ngọ)'],
    ['2027-02-06', 'Tết 2027 (lunar 1/1 Đinh Mùi)'],
  ])('%s is named as mùng 1 Tết: %s', (date) => {
    expect(byDate.get(date)?.nameVi).toContain('mùng 1');
  });

  it.each([
    ['2026-04-26', "Hùng Kings' Day 2026 (lunar 10/3)"],
    ['2027-04-16', "Hùng Kings' Day 2027 (lunar 10/3)"],
  ])('%s is %s', (date) => {
    expect(byDate.get(date)?.nameVi).toContain('Hùng Vương');
  });

  it('has at least five Tết days each year', () => {
    for (const year of ['2026', '2027']) {
      const tet = VN_HOLIDAYS_SEED.filter((h) => h.date.startsWith(year) && h.nameEn.startsWith('Lunar New Year'));
      expect(tet.length, year).toBeGreaterThanOrEqual(5);
    }
  });

  it('gives National Day two days each year (2 September and an adjacent day)', () => {
    for (const year of ['2026', '2027']) {
      const days = VN_HOLIDAYS_SEED.filter((h) => h.date.startsWith(year) && h.nameEn.startsWith('National Day ('))
        .concat(VN_HOLIDAYS_SEED.filter((h) => h.date === `${year}-09-02`))
        .map((h) => h.date);
      expect(days, year).toContain(`${year}-09-02`);
      expect(days.some((d) => d === `${year}-09-01` || d === `${year}-09-03`), year).toBe(true);
    }
  });

  it('puts every compensatory day off on a weekday (a day off on a weekend compensates nothing)', () => {
    for (const h of VN_HOLIDAYS_SEED.filter((x) => x.kind === 'compensatory')) {
      expect([1, 2, 3, 4, 5], h.date).toContain(weekdayOf(h.date));
    }
  });

  it('puts every make-up working day on a weekend and never on a holiday', () => {
    for (const d of VN_MAKE_UP_WORKING_DAYS_SEED) {
      expect([0, 6], d.date).toContain(weekdayOf(d.date));
      expect(byDate.has(d.date), d.date).toBe(false);
    }
  });
});
