// Administrators keep the holiday calendar: public holidays and the weekend days worked in
// exchange (make-up working days). Running deadlines pick a change up at the next
// reconcile pass, which recomputes their due dates and reschedules their jobs.
import type { Db } from '../db/client.ts';
import { isIsoDate } from '../domain/calendar.ts';
import { AppError } from '../domain/errors.ts';
import type { Actor } from '../domain/policy.ts';
import { deleteHoliday, listHolidays, upsertHoliday, type HolidayKind, type HolidayRow } from '../repositories/holiday.repository.ts';
import { invalidateCalendar } from './deadline.service.ts';
import { appendAudit } from './audit.service.ts';

export type HolidayInput = { nameVi: string; nameEn: string; kind: HolidayKind };

function checkDay(day: string): void {
  if (!isIsoDate(day)) throw new AppError('VALIDATION_FAILED', 'Expected a calendar date written as YYYY-MM-DD.', { fields: ['/day'] });
}

export async function listCalendar(db: Db, year?: number): Promise<HolidayRow[]> {
  return listHolidays(db, year === undefined ? {} : { from: `${year}-01-01`, to: `${year}-12-31` });
}

/** Sets one day. A make-up day is a working day; every other kind is a day off. */
export async function putHoliday(db: Db, actor: Actor, day: string, input: HolidayInput): Promise<HolidayRow> {
  checkDay(day);
  const row: HolidayRow = { day, nameVi: input.nameVi.trim(), nameEn: input.nameEn.trim(), kind: input.kind, isWorkingDay: input.kind === 'makeup' };
  if (row.nameVi === '' || row.nameEn === '') throw new AppError('VALIDATION_FAILED', 'A holiday needs its name in Vietnamese and in English.');
  await db.transaction(async (tx) => {
    await upsertHoliday(tx, row, actor.staffId);
    await appendAudit(tx, {
      actorKind: 'staff', actorId: actor.staffId, action: 'holiday.set', resourceKind: 'holiday', resourceId: day,
      detail: { kind: row.kind, isWorkingDay: row.isWorkingDay },
    });
  });
  invalidateCalendar();
  return row;
}

export async function removeHoliday(db: Db, actor: Actor, day: string): Promise<void> {
  checkDay(day);
  await db.transaction(async (tx) => {
    if (!(await deleteHoliday(tx, day))) throw new AppError('NOT_FOUND');
    await appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'holiday.deleted', resourceKind: 'holiday', resourceId: day });
  });
  invalidateCalendar();
}
