import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DEADLINE_POLICY,
  canExtend,
  computeDueDate,
  deadlineSchedule,
  deadlineStatus,
  extendDeadline,
  pauseDeadline,
  resolveDeadlinePolicy,
  resumeDeadline,
  startDeadline,
  type Deadline,
  type Extension,
} from '../../../server/domain/deadlines.ts';
import { isAppError } from '../../../server/domain/errors.ts';
import { createSeedCalendar } from '../../../server/domain/holidays.ts';
import type { Complexity } from '../../../server/domain/vocabulary.ts';

const vn = createSeedCalendar();

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return isAppError(e) ? e.code : 'not an AppError';
  }
  return undefined;
};

const ext = (decidedOn: string, amount = 30, decisionRef = 'QĐ 12/QĐ-UBKT'): Extension => ({
  amount,
  decidedOn,
  decisionRef,
});

describe('default rules from the Law on Denunciation', () => {
  it.each([
    ['triage', false, 'working', 7],
    ['triage', true, 'working', 10],
    ['transfer', false, 'working', 5],
    ['resolution', false, 'calendar', 30],
  ] as const)('%s (checks in several places: %s) runs %s days, %i of them', (kind, multiSite, unit, amount) => {
    const d = startDeadline(kind, '2026-03-02', DEFAULT_DEADLINE_POLICY, { multiSite });
    expect(d).toMatchObject({ kind, unit, amount, startedOn: '2026-03-02', pauses: [], extensions: [] });
  });
});

describe('computeDueDate', () => {
  it.each([
    ['a triage deadline received before Tết 2026 skips the Tết holidays', 'triage', '2026-02-12', false, '2026-03-02'],
    ['a triage deadline received before Tết 2027 skips Tết and its compensatory days', 'triage', '2027-02-03', false, '2027-02-19'],
    ['a multi-site triage deadline runs ten working days', 'triage', '2026-02-12', true, '2026-03-05'],
    ['a transfer deadline skips Hùng Kings (in lieu), 30/4 and 1/5', 'transfer', '2026-04-24', false, '2026-05-06'],
    ['a resolution deadline is thirty calendar days after acceptance', 'resolution', '2026-03-02', false, '2026-04-01'],
    ['a resolution deadline ending on Tết eve 2027 moves past the Tết break', 'resolution', '2027-01-06', false, '2027-02-11'],
    ['a resolution deadline ending on Tết 2026 (mùng 3) moves to the next working day', 'resolution', '2026-01-20', false, '2026-02-23'],
    ['a resolution deadline ending on a Sunday moves to Monday', 'resolution', '2027-01-15', false, '2027-02-15'],
  ] as const)('%s', (_rule, kind, startedOn, multiSite, expected) => {
    expect(computeDueDate(startDeadline(kind, startedOn, DEFAULT_DEADLINE_POLICY, { multiSite }), vn)).toBe(expected);
  });

  it.each([
    ['a paused triage deadline does not count the paused working days', 'triage', '2026-03-02', [{ from: '2026-03-04', to: '2026-03-06' }], '2026-03-13'],
    ['a paused resolution deadline does not count the paused calendar days', 'resolution', '2026-03-02', [{ from: '2026-03-10', to: '2026-03-15' }], '2026-04-06'],
    ['a pause can push a calendar deadline onto a weekend, which then rolls to Monday', 'resolution', '2026-03-02', [{ from: '2026-03-10', to: '2026-03-20' }], '2026-04-13'],
  ] as const)('%s', (_rule, kind, startedOn, pauses, expected) => {
    const d: Deadline = { ...startDeadline(kind, startedOn), pauses };
    expect(computeDueDate(d, vn)).toBe(expected);
  });

  it('has no due date while the case is paused', () => {
    const d = pauseDeadline(startDeadline('resolution', '2026-03-02'), '2026-03-10');
    expect(computeDueDate(d, vn)).toBeNull();
  });

  it('pausing then resuming moves the due date by the paused days', () => {
    let d = startDeadline('resolution', '2026-03-02');
    d = pauseDeadline(d, '2026-03-10');
    d = resumeDeadline(d, '2026-03-15');
    expect(d.pauses).toEqual([{ from: '2026-03-10', to: '2026-03-15' }]);
    expect(computeDueDate(d, vn)).toBe('2026-04-06');
  });

  it.each([
    ['refuses to pause a deadline that is already paused', (d: Deadline) => pauseDeadline(pauseDeadline(d, '2026-03-05'), '2026-03-06'), 'CONFLICT'],
    ['refuses to resume a deadline that is not paused', (d: Deadline) => resumeDeadline(d, '2026-03-05'), 'CONFLICT'],
    ['refuses to resume before the pause started', (d: Deadline) => resumeDeadline(pauseDeadline(d, '2026-03-05'), '2026-03-04'), 'VALIDATION_FAILED'],
  ])('%s', (_rule, act, code) => {
    expect(codeOf(() => act(startDeadline('resolution', '2026-03-02')))).toBe(code);
  });
});

describe('extensions', () => {
  it.each([
    ['normal', 0, false],
    ['complex', 0, true],
    ['complex', 1, false],
    ['especially_complex', 0, true],
    ['especially_complex', 1, true],
    ['especially_complex', 2, false],
  ] as const)('canExtend(%s, %i extensions so far) is %s', (complexity, soFar, expected) => {
    expect(canExtend(complexity, soFar)).toBe(expected);
  });

  const accepted = () => startDeadline('resolution', '2026-03-02');

  it('a complex case is extended once by thirty days (and rolls past 1/5 and the weekend)', () => {
    const d = extendDeadline(accepted(), ext('2026-03-25'), 'complex', vn);
    expect(d.extensions).toHaveLength(1);
    expect(computeDueDate(d, vn)).toBe('2026-05-04');
  });

  it('a complex case refuses a second extension', () => {
    const once = extendDeadline(accepted(), ext('2026-03-25'), 'complex', vn);
    expect(codeOf(() => extendDeadline(once, ext('2026-04-20'), 'complex', vn))).toBe('LIMIT_EXCEEDED');
  });

  it('an especially complex case is extended twice and refuses a third', () => {
    const c: Complexity = 'especially_complex';
    const twice = extendDeadline(extendDeadline(accepted(), ext('2026-03-25'), c, vn), ext('2026-04-20'), c, vn);
    expect(computeDueDate(twice, vn)).toBe('2026-06-01');
    expect(codeOf(() => extendDeadline(twice, ext('2026-05-20'), c, vn))).toBe('LIMIT_EXCEEDED');
  });

  it('a normal case cannot be extended', () => {
    expect(codeOf(() => extendDeadline(accepted(), ext('2026-03-25'), 'normal', vn))).toBe('LIMIT_EXCEEDED');
  });

  it.each([
    ['refuses an extension longer than thirty days', ext('2026-03-25', 31), 'VALIDATION_FAILED'],
    ['refuses an extension of zero days', ext('2026-03-25', 0), 'VALIDATION_FAILED'],
    ['refuses an extension without a decision reference', ext('2026-03-25', 30, '  '), 'VALIDATION_FAILED'],
    ['refuses an extension decided before acceptance', ext('2026-03-01'), 'VALIDATION_FAILED'],
    ['refuses an extension decided after the deadline lapsed', ext('2026-04-02'), 'UNPROCESSABLE'],
  ])('%s', (_rule, extension, code) => {
    expect(codeOf(() => extendDeadline(accepted(), extension, 'complex', vn))).toBe(code);
  });

  it('accepts an extension decided on the due date itself', () => {
    expect(extendDeadline(accepted(), ext('2026-04-01', 15), 'complex', vn).extensions).toHaveLength(1);
  });

  it('refuses to extend a triage deadline (the law gives it no extension)', () => {
    expect(codeOf(() => extendDeadline(startDeadline('triage', '2026-03-02'), ext('2026-03-03', 5), 'complex', vn))).toBe(
      'UNPROCESSABLE',
    );
  });
});

describe('per-body policy', () => {
  it('a body may shorten the triage deadline', () => {
    const policy = resolveDeadlinePolicy({ rules: { triage: { amount: 5 } } });
    const d = startDeadline('triage', '2026-03-02', policy);
    expect(d.amount).toBe(5);
    expect(computeDueDate(d, vn)).toBe('2026-03-09');
    expect(startDeadline('triage', '2026-03-02', policy, { multiSite: true }).amount).toBe(10);
  });

  it('a body may set its own reply window for reporters, in calendar days', () => {
    const policy = resolveDeadlinePolicy({ rules: { reporter_reply: { unit: 'calendar', amount: 15 } } });
    expect(startDeadline('reporter_reply', '2026-03-02', policy)).toMatchObject({ unit: 'calendar', amount: 15 });
  });

  it.each([
    ['lengthen triage beyond seven working days', { rules: { triage: { amount: 8 } } }],
    ['count triage in calendar days', { rules: { triage: { unit: 'calendar' } } }],
    ['lengthen resolution extensions beyond thirty days', { rules: { resolution: { extensionAmount: 45 } } }],
    ['allow a complex case two extensions', { maxExtensions: { complex: 2 } }],
    ['set a period of zero days', { rules: { hold_review: { amount: 0 } } }],
    ['set a reminder at zero days', { reminderWorkingDaysBefore: [0] }],
  ] as const)('a body may not %s', (_what, overrides) => {
    expect(codeOf(() => resolveDeadlinePolicy(overrides))).toBe('VALIDATION_FAILED');
  });

  it('a running deadline keeps the amount it started with when the policy changes', () => {
    const d = startDeadline('triage', '2026-03-02');
    resolveDeadlinePolicy({ rules: { triage: { amount: 3 } } });
    expect(computeDueDate(d, vn)).toBe('2026-03-11');
  });
});

describe('reminders and escalation', () => {
  it('reminds two working days before due and escalates the day after', () => {
    expect(deadlineSchedule(startDeadline('triage', '2026-02-12'), vn)).toEqual({
      dueOn: '2026-03-02',
      reminders: ['2026-02-26'],
      escalateOn: '2026-03-03',
    });
  });

  it('counts reminder days back over Tết and drops any on or before the start', () => {
    const policy = resolveDeadlinePolicy({ reminderWorkingDaysBefore: [7, 6, 1] });
    expect(deadlineSchedule(startDeadline('triage', '2026-02-12'), vn, policy)?.reminders).toEqual([
      '2026-02-13',
      '2026-02-27',
    ]);
  });

  it('has no schedule while paused', () => {
    expect(deadlineSchedule(pauseDeadline(startDeadline('triage', '2026-03-02'), '2026-03-03'), vn)).toBeNull();
  });
});

describe('deadlineStatus', () => {
  const triage = startDeadline('triage', '2026-03-02'); // due Wed 2026-03-11
  it.each([
    ['2026-03-02', 'ok', 7, 9],
    ['2026-03-06', 'ok', 3, 5],
    ['2026-03-09', 'due_soon', 2, 2],
    ['2026-03-11', 'due_soon', 0, 0],
    ['2026-03-12', 'overdue', -1, -1],
    ['2026-03-16', 'overdue', -3, -5],
  ] as const)('on %s a triage due 2026-03-11 is %s with %i working days left', (today, status, working, calendar) => {
    expect(deadlineStatus(triage, today, vn)).toEqual({
      status,
      dueOn: '2026-03-11',
      workingDaysLeft: working,
      calendarDaysLeft: calendar,
    });
  });

  it.each([
    ['2026-02-13', 'ok', 6],
    ['2026-02-25', 'ok', 3],
    ['2026-02-26', 'due_soon', 2],
  ] as const)('across Tết only working days count: on %s it is %s with %i left', (today, status, left) => {
    const s = deadlineStatus(startDeadline('triage', '2026-02-12'), today, vn);
    expect(s.status).toBe(status);
    expect(s.workingDaysLeft).toBe(left);
  });

  it('a paused deadline is neither due soon nor overdue', () => {
    const d = pauseDeadline(triage, '2026-03-10');
    expect(deadlineStatus(d, '2026-03-20', vn)).toEqual({
      status: 'paused',
      dueOn: null,
      workingDaysLeft: null,
      calendarDaysLeft: null,
    });
  });

  it('the due-soon window is configurable', () => {
    const policy = resolveDeadlinePolicy({ dueSoonWorkingDays: 3 });
    expect(deadlineStatus(triage, '2026-03-06', vn, policy).status).toBe('due_soon');
  });
});
