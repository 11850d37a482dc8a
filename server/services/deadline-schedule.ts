// Pure: a stored deadline as the domain sees it, and the delayed jobs it should have. The
// rules themselves (due dates, reminder days, the day to escalate) are server/domain's.
import { toDayNumber, type Calendar, type IsoDate } from '../domain/calendar.ts';
import { computeDueDate, deadlineSchedule, type Deadline, type DeadlinePolicy } from '../domain/deadlines.ts';
import type { DeadlineKind } from '../domain/vocabulary.ts';
import type { DeadlineRow } from '../repositories/deadline.repository.ts';

export const DEADLINE_TOPICS = { reminder: 'deadline.reminder', due: 'deadline.due' } as const;

/** Reminders go out at the start of the working day in Vietnam; escalation at midnight of the first late day. */
export const REMINDER_HOUR_VN = 8;
const VN_OFFSET_MS = 7 * 3_600_000;

/** The instant at `hour`:00 in Vietnam (UTC+7, no daylight saving) on a calendar date. */
export function vnInstant(date: IsoDate, hour = 0): Date {
  return new Date(toDayNumber(date) * 86_400_000 + hour * 3_600_000 - VN_OFFSET_MS);
}

export function toDomainDeadline(row: Pick<DeadlineRow, 'kind' | 'unit' | 'amount' | 'startedOn' | 'pauses' | 'pausedSince' | 'extensionLog'>): Deadline {
  return {
    kind: row.kind,
    unit: row.unit,
    amount: row.amount,
    startedOn: row.startedOn,
    pauses: row.pausedSince === null ? row.pauses : [...row.pauses, { from: row.pausedSince, to: null }],
    extensions: row.extensionLog,
  };
}

/** The due date now, or null while the clock is stopped. */
export const currentDueOn = (row: DeadlineRow, cal: Calendar): IsoDate | null => computeDueDate(toDomainDeadline(row), cal);

/**
 * Whether a late deadline makes the case overdue. The reporter's reply window is the
 * reporter's time, not the staff's: missing it is reported to the staff but is no delay of theirs.
 */
export const countsAsStaffDelay = (kind: DeadlineKind): boolean => kind !== 'reporter_reply' && kind !== 'hold_review';

/** The case's columns that follow its deadlines: cases.next_due_on and cases.overdue. */
export type CaseClocks = { nextDueOn: IsoDate | null; overdue: boolean };

/**
 * A case's clocks from all its deadlines: the earliest due date of a running clock (a paused
 * one has none), and overdue while a staff clock past its escalation is still open. Computed
 * here, from rows the caller read by case id, rather than by subqueries in SQL: their cached
 * plans could scan every open deadline in the system (see refreshCaseClocks).
 */
export function caseClocks(rows: ReadonlyArray<Pick<DeadlineRow, 'kind' | 'state' | 'dueOn' | 'pausedSince' | 'escalatedAt'>>): CaseClocks {
  let nextDueOn: IsoDate | null = null;
  let overdue = false;
  for (const row of rows) {
    if (row.state !== 'open') continue;
    if (row.pausedSince === null && (nextDueOn === null || row.dueOn < nextDueOn)) nextDueOn = row.dueOn;
    if (row.escalatedAt !== null && countsAsStaffDelay(row.kind)) overdue = true;
  }
  return { nextDueOn, overdue };
}

export type DeadlineJobPayload = { deadlineId: string; caseId: string; kind: DeadlineKind; dueOn: IsoDate; remindOn?: IsoDate };

export type ScheduledDeadlineJob = {
  topic: (typeof DEADLINE_TOPICS)[keyof typeof DEADLINE_TOPICS];
  /** deadline id + kind of job + due date: the same schedule always yields the same ids. */
  dedupeKey: string;
  fireAt: Date;
  payload: DeadlineJobPayload;
};

/**
 * The reminder and escalation jobs an open, running deadline should have. A reminder whose
 * time has passed is left out (it would only arrive late); the escalation never is.
 */
export function scheduledDeadlineJobs(row: DeadlineRow, cal: Calendar, policy: DeadlinePolicy, now: Date): ScheduledDeadlineJob[] {
  if (row.state !== 'open') return [];
  const schedule = deadlineSchedule(toDomainDeadline(row), cal, policy);
  if (schedule === null) return [];
  const base = { deadlineId: row.id, caseId: row.caseId, kind: row.kind, dueOn: schedule.dueOn };
  const jobs: ScheduledDeadlineJob[] = [];
  for (const remindOn of schedule.reminders) {
    const fireAt = vnInstant(remindOn, REMINDER_HOUR_VN);
    if (fireAt.getTime() <= now.getTime()) continue;
    jobs.push({
      topic: DEADLINE_TOPICS.reminder, dedupeKey: `deadline/${row.id}/reminder/${schedule.dueOn}/${remindOn}`, fireAt,
      payload: { ...base, remindOn },
    });
  }
  jobs.push({
    topic: DEADLINE_TOPICS.due, dedupeKey: `deadline/${row.id}/escalation/${schedule.dueOn}`, fireAt: vnInstant(schedule.escalateOn), payload: base,
  });
  return jobs;
}
