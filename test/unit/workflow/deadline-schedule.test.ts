// The delayed jobs a stored deadline should have: ids from the deadline, its kind of job and
// its due date; fire times in Vietnamese time; reminders over Tết; nothing while paused.
import { describe, expect, it } from 'vitest';
import { createSeedCalendar } from '../../../server/domain/holidays.ts';
import { DEFAULT_DEADLINE_POLICY } from '../../../server/domain/deadlines.ts';
import type { DeadlineRow } from '../../../server/repositories/deadline.repository.ts';
import {
  caseClocks, countsAsStaffDelay, currentDueOn, scheduledDeadlineJobs, toDomainDeadline, vnInstant,
} from '../../../server/services/deadline-schedule.ts';

const cal = createSeedCalendar();

const row = (over: Partial<DeadlineRow> = {}): DeadlineRow => ({
  id: 'd-1', caseId: 'c-1', bodyId: null, kind: 'triage', unit: 'working', amount: 7, startedOn: '2026-02-10', dueOn: '2026-02-26',
  pausedSince: null, pauses: [], extensionLog: [], state: 'open', remindedAt: null, escalatedAt: null, ...over,
});

describe('vnInstant', () => {
  it('is midnight (or the given hour) in Vietnam, UTC+7', () => {
    expect(vnInstant('2026-02-27').toISOString()).toBe('2026-02-26T17:00:00.000Z');
    expect(vnInstant('2026-02-24', 8).toISOString()).toBe('2026-02-24T01:00:00.000Z');
  });
});

describe('scheduledDeadlineJobs', () => {
  const early = new Date('2026-02-01T00:00:00Z');

  it('a triage clock started before Tết is due after it, reminds two working days before and escalates the next day', () => {
    // 7 working days from Tue 10 Feb 2026: 11, 12, 13, then the weekend, Tết (16–20 Feb) and
    // the next weekend, then 23, 24, 25, 26.
    expect(currentDueOn(row(), cal)).toBe('2026-02-26');
    const jobs = scheduledDeadlineJobs(row(), cal, DEFAULT_DEADLINE_POLICY, early);
    expect(jobs.map((j) => [j.topic, j.dedupeKey, j.fireAt.toISOString()])).toEqual([
      // Two working days before 26 Feb is Tue 24 Feb, 08:00 in Hanoi.
      ['deadline.reminder', 'deadline/d-1/reminder/2026-02-26/2026-02-24', '2026-02-24T01:00:00.000Z'],
      ['deadline.due', 'deadline/d-1/escalation/2026-02-26', '2026-02-26T17:00:00.000Z'],
    ]);
    expect(jobs[1]?.payload).toEqual({ deadlineId: 'd-1', caseId: 'c-1', kind: 'triage', dueOn: '2026-02-26' });
  });

  it('the same deadline always yields the same job ids, and a new due date new ones', () => {
    const a = scheduledDeadlineJobs(row(), cal, DEFAULT_DEADLINE_POLICY, early).map((j) => j.dedupeKey);
    expect(scheduledDeadlineJobs(row(), cal, DEFAULT_DEADLINE_POLICY, early).map((j) => j.dedupeKey)).toEqual(a);
    const extended = row({ kind: 'resolution', unit: 'calendar', amount: 30, extensionLog: [{ amount: 30, decidedOn: '2026-02-12', decisionRef: 'QĐ 1' }] });
    const b = scheduledDeadlineJobs(extended, cal, DEFAULT_DEADLINE_POLICY, early).map((j) => j.dedupeKey);
    expect(b.some((k) => a.includes(k))).toBe(false);
  });

  it('leaves out a reminder whose time has passed, never the escalation', () => {
    const late = new Date('2026-03-10T00:00:00Z');
    const jobs = scheduledDeadlineJobs(row(), cal, DEFAULT_DEADLINE_POLICY, late);
    expect(jobs.map((j) => j.topic)).toEqual(['deadline.due']);
  });

  it('has no job while paused or once closed', () => {
    expect(scheduledDeadlineJobs(row({ pausedSince: '2026-02-12' }), cal, DEFAULT_DEADLINE_POLICY, early)).toEqual([]);
    expect(scheduledDeadlineJobs(row({ state: 'met' }), cal, DEFAULT_DEADLINE_POLICY, early)).toEqual([]);
  });

  it('a closed pause moves the due date by the paused working days', () => {
    // Paused Thu 12 Feb, resumed Mon 23 Feb: of those days only 12 and 13 Feb were working
    // days, so the due date moves two working days, from Thu 26 Feb over the weekend to Mon 2 Mar.
    const resumed = row({ pauses: [{ from: '2026-02-12', to: '2026-02-23' }] });
    expect(currentDueOn(resumed, cal)).toBe('2026-03-02');
    expect(toDomainDeadline(row({ pausedSince: '2026-02-12' })).pauses).toEqual([{ from: '2026-02-12', to: null }]);
  });
});

describe('countsAsStaffDelay', () => {
  it('the reporter\'s reply window is not the staff\'s delay; the statutory clocks are', () => {
    expect(countsAsStaffDelay('triage')).toBe(true);
    expect(countsAsStaffDelay('resolution')).toBe(true);
    expect(countsAsStaffDelay('reporter_reply')).toBe(false);
  });
});

describe('caseClocks', () => {
  it('is the earliest due date of a running clock: closed and paused clocks have none', () => {
    expect(caseClocks([])).toEqual({ nextDueOn: null, overdue: false });
    expect(caseClocks([
      row({ kind: 'triage', dueOn: '2026-03-10' }),
      row({ kind: 'resolution', dueOn: '2026-03-02', pausedSince: '2026-02-20' }),
      row({ kind: 'transfer', dueOn: '2026-03-01', state: 'met' }),
      row({ kind: 'reporter_reply', dueOn: '2026-03-05' }),
    ])).toEqual({ nextDueOn: '2026-03-05', overdue: false });
    expect(caseClocks([row({ pausedSince: '2026-02-20' })])).toEqual({ nextDueOn: null, overdue: false });
  });

  it('is overdue while an escalated staff clock is open, not for the reporter\'s reply window or a closed clock', () => {
    const escalatedAt = new Date('2026-02-27T00:00:00Z');
    expect(caseClocks([row({ escalatedAt })]).overdue).toBe(true);
    // Paused after escalation: still late, though its clock is not running.
    expect(caseClocks([row({ escalatedAt, pausedSince: '2026-03-01' })])).toEqual({ nextDueOn: null, overdue: true });
    expect(caseClocks([row({ kind: 'reporter_reply', escalatedAt })]).overdue).toBe(false);
    expect(caseClocks([row({ escalatedAt, state: 'missed' })]).overdue).toBe(false);
  });
});
