// Seed for the administrator-maintained holiday table (a DB table at runtime). Only the
// first rows: each year the government decides the exact Tết days and any day swaps, and
// the administrator edits the table when its decision differs from what is seeded here.
//
// Legal basis: Labour Code 2019 (45/2019/QH14) Art. 112 — New Year 1 day, Tết 5 days,
// Hùng Kings 1 day (10th of the 3rd lunar month), 30/4, 1/5, National Day 2 days (2/9 and
// one adjacent day); a holiday falling on a weekly day off is compensated on the next
// working day. Lunar dates were computed with the astronomical algorithm used for the
// Vietnamese calendar (Hồ Ngọc Đức, UTC+7), cross-checked against known years
// (Tết 2024-02-10, 2025-01-29; Hùng Kings 2024-04-18, 2025-04-07).

import { createCalendar, type Calendar, type IsoDate } from './calendar.ts';

export type HolidayKind = 'solar' | 'lunar' | 'compensatory';

export type HolidaySeed = { date: IsoDate; nameVi: string; nameEn: string; kind: HolidayKind };

/** A weekend day worked to make up for a swapped day off. */
export type MakeUpWorkingDaySeed = { date: IsoDate; nameVi: string; nameEn: string };

const tet = (date: IsoDate, lunarDayVi: string, lunarDayEn: string): HolidaySeed => ({
  date,
  nameVi: `Tết Nguyên Đán (${lunarDayVi})`,
  nameEn: `Lunar New Year (${lunarDayEn})`,
  kind: 'lunar',
});

export const VN_HOLIDAYS_SEED: readonly HolidaySeed[] = [
  // --- 2026: as decided (New Year: 12729/VPCP-KGVX; Tết and National Day: Ministry of
  // Home Affairs notice of Oct 2025). Tết Bính Ngọ is Tue 17 Feb; 16 Feb is 29 Chạp (eve).
  { date: '2026-01-01', nameVi: 'Tết Dương lịch', nameEn: "New Year's Day", kind: 'solar' },
  { date: '2026-01-02', nameVi: 'Nghỉ hoán đổi Tết Dương lịch (làm bù thứ Bảy 10/01)', nameEn: "New Year's swapped day off (worked on Sat 10 Jan)", kind: 'compensatory' },
  // 14–15 and 21–22 Feb are weekends inside the nine-day break; no swap was needed.
  tet('2026-02-16', '29 tháng Chạp, Giao thừa', "New Year's Eve"),
  tet('2026-02-17', 'mùng 1', 'day 1'),
  tet('2026-02-18', 'mùng 2', 'day 2'),
  tet('2026-02-19', 'mùng 3', 'day 3'),
  tet('2026-02-20', 'mùng 4', 'day 4'),
  { date: '2026-04-26', nameVi: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', nameEn: "Hùng Kings' Commemoration", kind: 'lunar' },
  { date: '2026-04-27', nameVi: 'Nghỉ bù Giỗ Tổ Hùng Vương', nameEn: "Hùng Kings' Commemoration (in lieu of Sunday)", kind: 'compensatory' },
  { date: '2026-04-30', nameVi: 'Ngày Giải phóng miền Nam, thống nhất đất nước', nameEn: 'Reunification Day', kind: 'solar' },
  { date: '2026-05-01', nameVi: 'Ngày Quốc tế Lao động', nameEn: 'International Labour Day', kind: 'solar' },
  { date: '2026-08-31', nameVi: 'Nghỉ hoán đổi dịp Quốc khánh (làm bù thứ Bảy 22/8)', nameEn: 'National Day swapped day off (worked on Sat 22 Aug)', kind: 'compensatory' },
  { date: '2026-09-01', nameVi: 'Quốc khánh (ngày liền kề)', nameEn: 'National Day (adjacent day)', kind: 'solar' },
  { date: '2026-09-02', nameVi: 'Quốc khánh', nameEn: 'National Day', kind: 'solar' },

  // --- 2027: PROVISIONAL, not yet decided by the government when this was written.
  { date: '2027-01-01', nameVi: 'Tết Dương lịch', nameEn: "New Year's Day", kind: 'solar' },
  // Tết Đinh Mùi is Sat 6 Feb; 5 Feb is 29 Chạp (eve). Modelled on 2024 (Tết also on a
  // Saturday): off from the day before the eve to mùng 5, the two weekend days of the
  // five Tết days compensated on the following Tuesday and Wednesday.
  tet('2027-02-04', '28 tháng Chạp', 'day before the eve'),
  tet('2027-02-05', '29 tháng Chạp, Giao thừa', "New Year's Eve"),
  tet('2027-02-06', 'mùng 1', 'day 1'),
  tet('2027-02-07', 'mùng 2', 'day 2'),
  tet('2027-02-08', 'mùng 3', 'day 3'),
  { date: '2027-02-09', nameVi: 'Nghỉ bù Tết Nguyên Đán (mùng 4)', nameEn: 'Lunar New Year, in lieu (day 4)', kind: 'compensatory' },
  { date: '2027-02-10', nameVi: 'Nghỉ bù Tết Nguyên Đán (mùng 5)', nameEn: 'Lunar New Year, in lieu (day 5)', kind: 'compensatory' },
  { date: '2027-04-16', nameVi: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', nameEn: "Hùng Kings' Commemoration", kind: 'lunar' },
  { date: '2027-04-30', nameVi: 'Ngày Giải phóng miền Nam, thống nhất đất nước', nameEn: 'Reunification Day', kind: 'solar' },
  { date: '2027-05-01', nameVi: 'Ngày Quốc tế Lao động', nameEn: 'International Labour Day', kind: 'solar' },
  { date: '2027-05-03', nameVi: 'Nghỉ bù Ngày Quốc tế Lao động', nameEn: 'International Labour Day (in lieu of Saturday)', kind: 'compensatory' },
  // 2 Sep is a Thursday; the adjacent day is assumed to be Friday 3 Sep (to be confirmed).
  { date: '2027-09-02', nameVi: 'Quốc khánh', nameEn: 'National Day', kind: 'solar' },
  { date: '2027-09-03', nameVi: 'Quốc khánh (ngày liền kề)', nameEn: 'National Day (adjacent day)', kind: 'solar' },
];

export const VN_MAKE_UP_WORKING_DAYS_SEED: readonly MakeUpWorkingDaySeed[] = [
  { date: '2026-01-10', nameVi: 'Làm bù cho ngày nghỉ 02/01', nameEn: 'Worked in exchange for 2 Jan' },
  { date: '2026-08-22', nameVi: 'Làm bù cho ngày nghỉ 31/8', nameEn: 'Worked in exchange for 31 Aug' },
];

/** The calendar the seed describes; the server builds the same from the DB table. */
export const createSeedCalendar = (): Calendar =>
  createCalendar({
    holidays: VN_HOLIDAYS_SEED.map((h) => h.date),
    makeUpWorkingDays: VN_MAKE_UP_WORKING_DAYS_SEED.map((d) => d.date),
  });
