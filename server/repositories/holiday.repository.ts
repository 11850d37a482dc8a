// The holiday calendar: public holidays (solar, lunar, compensatory) and make-up working days.
import { and, asc, eq, gte, lte } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { holidays } from '../../drizzle/schema/index.ts';

export type HolidayKind = 'solar' | 'lunar' | 'compensatory' | 'makeup';

export type HolidayRow = {
  day: string;
  nameVi: string;
  nameEn: string;
  kind: HolidayKind;
  isWorkingDay: boolean;
};

const columns = { day: holidays.day, nameVi: holidays.nameVi, nameEn: holidays.nameEn, kind: holidays.kind, isWorkingDay: holidays.isWorkingDay };

/** The whole table: a few dozen rows a year, read for every deadline computation. */
export async function listHolidays(db: DbOrTx, range: { from?: string; to?: string } = {}): Promise<HolidayRow[]> {
  const rows = await db.select(columns).from(holidays)
    .where(and(range.from ? gte(holidays.day, range.from) : undefined, range.to ? lte(holidays.day, range.to) : undefined))
    .orderBy(asc(holidays.day));
  return rows as HolidayRow[];
}

export async function upsertHoliday(tx: DbOrTx, row: HolidayRow, updatedBy: string): Promise<void> {
  await tx.insert(holidays).values({ ...row, updatedBy })
    .onConflictDoUpdate({ target: holidays.day, set: { nameVi: row.nameVi, nameEn: row.nameEn, kind: row.kind, isWorkingDay: row.isWorkingDay, updatedBy } });
}

export async function deleteHoliday(tx: DbOrTx, day: string): Promise<boolean> {
  const rows = await tx.delete(holidays).where(eq(holidays.day, day)).returning({ day: holidays.day });
  return rows.length > 0;
}
