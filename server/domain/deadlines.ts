// Deadline rules and arithmetic. A deadline stores its unit and amount as they were when
// it started, so a later change of a body's configuration never moves a running deadline.
//
// Defaults come from the Law on Denunciation 2018: triage within 7 working days of
// receipt, 10 when checks span several places (Art. 24); transfer of what is outside
// competence within 5 working days, telling the reporter (Art. 24); resolution within 30
// days of acceptance, extended once by up to 30 days for a complex case and twice for an
// especially complex one, each by a recorded decision (Art. 30).

import {
  addCalendarDays,
  addCountedDays,
  addWorkingDays,
  assertValidPauses,
  calendarDaysBetween,
  compareDates,
  isIsoDate,
  nextWorkingDayOnOrAfter,
  workingDaysBetween,
  type Calendar,
  type IsoDate,
  type PauseInterval,
} from './calendar.ts';
import { AppError } from './errors.ts';
import type { Complexity, DayUnit, DeadlineKind } from './vocabulary.ts';

export type DeadlineRule = {
  unit: DayUnit;
  amount: number;
  /** Longer period when checks span several places (triage: 10 working days). */
  multiSiteAmount?: number;
  /** Most days one extension may add; absent means the deadline cannot be extended. */
  extensionAmount?: number;
};

export type DeadlinePolicy = {
  rules: Record<DeadlineKind, DeadlineRule>;
  maxExtensions: Record<Complexity, number>;
  /** Reminders go out this many working days before the due date. */
  reminderWorkingDaysBefore: readonly number[];
  /** A deadline is 'due_soon' when at most this many working days are left. */
  dueSoonWorkingDays: number;
};

/** A body's configuration: any field given replaces the default. */
export type DeadlinePolicyOverrides = {
  rules?: Partial<Record<DeadlineKind, Partial<DeadlineRule>>>;
  maxExtensions?: Partial<Record<Complexity, number>>;
  reminderWorkingDaysBefore?: readonly number[];
  dueSoonWorkingDays?: number;
};

export type Extension = { amount: number; decidedOn: IsoDate; decisionRef: string };

export type Deadline = {
  kind: DeadlineKind;
  unit: DayUnit;
  amount: number;
  startedOn: IsoDate;
  pauses: readonly PauseInterval[];
  extensions: readonly Extension[];
};

export type DeadlineStatusValue = 'ok' | 'due_soon' | 'overdue' | 'paused';

export type DeadlineStatus = {
  status: DeadlineStatusValue;
  /** null while the clock is stopped. */
  dueOn: IsoDate | null;
  /** Working days in (today, dueOn]; negative once overdue (working days past due). */
  workingDaysLeft: number | null;
  calendarDaysLeft: number | null;
};

export type DeadlineSchedule = { dueOn: IsoDate; reminders: IsoDate[]; escalateOn: IsoDate };

const STATUTORY: Record<DeadlineKind, DeadlineRule> = Object.freeze({
  triage: Object.freeze({ unit: 'working', amount: 7, multiSiteAmount: 10 }),
  transfer: Object.freeze({ unit: 'working', amount: 5 }),
  resolution: Object.freeze({ unit: 'calendar', amount: 30, extensionAmount: 30 }),
  // Not set by the law: how long a reporter has to answer a question before a reminder
  // and escalation, and how often a hold must be renewed (DESIGN: every 30 days).
  reporter_reply: Object.freeze({ unit: 'working', amount: 10 }),
  hold_review: Object.freeze({ unit: 'calendar', amount: 30 }),
});
const STATUTORY_KINDS: ReadonlySet<DeadlineKind> = new Set(['triage', 'transfer', 'resolution']);
const STATUTORY_MAX_EXTENSIONS: Record<Complexity, number> = Object.freeze({
  normal: 0,
  complex: 1,
  especially_complex: 2,
});

export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = Object.freeze({
  rules: STATUTORY,
  maxExtensions: STATUTORY_MAX_EXTENSIONS,
  reminderWorkingDaysBefore: [2],
  dueSoonWorkingDays: 2,
});

/**
 * Applies a body's overrides to the defaults. A body may shorten the statutory periods
 * but never lengthen them, change their unit or allow more extensions than the law.
 */
export const resolveDeadlinePolicy = (
  overrides: DeadlinePolicyOverrides = {},
  base: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): DeadlinePolicy => {
  const rules = { ...base.rules };
  for (const [kind, o] of Object.entries(overrides.rules ?? {}) as [DeadlineKind, Partial<DeadlineRule>][]) {
    const rule: DeadlineRule = { ...base.rules[kind], ...o };
    positive(rule.amount);
    if (rule.multiSiteAmount !== undefined) positive(rule.multiSiteAmount);
    if (rule.extensionAmount !== undefined) positive(rule.extensionAmount);
    if (STATUTORY_KINDS.has(kind)) withinLaw(rule, STATUTORY[kind]);
    rules[kind] = rule;
  }
  const maxExtensions = { ...base.maxExtensions, ...overrides.maxExtensions };
  for (const c of Object.keys(maxExtensions) as Complexity[]) {
    const n = maxExtensions[c];
    if (!Number.isInteger(n) || n < 0 || n > STATUTORY_MAX_EXTENSIONS[c]) refuse('Too many extensions for this complexity.');
  }
  const reminderWorkingDaysBefore = overrides.reminderWorkingDaysBefore ?? base.reminderWorkingDaysBefore;
  reminderWorkingDaysBefore.forEach(positive);
  const dueSoonWorkingDays = overrides.dueSoonWorkingDays ?? base.dueSoonWorkingDays;
  if (!Number.isInteger(dueSoonWorkingDays) || dueSoonWorkingDays < 0) refuse('The due-soon window must be zero or more days.');
  return Object.freeze({ rules, maxExtensions, reminderWorkingDaysBefore, dueSoonWorkingDays });
};

/** A new running deadline, freezing the unit and amount the policy gives today. */
export const startDeadline = (
  kind: DeadlineKind,
  startedOn: IsoDate,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
  options: { multiSite?: boolean } = {},
): Deadline => {
  if (!isIsoDate(startedOn)) refuse('Expected a calendar date written as YYYY-MM-DD.');
  const rule = policy.rules[kind];
  const amount = options.multiSite && rule.multiSiteAmount !== undefined ? rule.multiSiteAmount : rule.amount;
  return { kind, unit: rule.unit, amount, startedOn, pauses: [], extensions: [] };
};

/**
 * The last day on which the work is on time, or null while an open pause stops the clock.
 * Paused days do not count. For calendar-day periods a due date on a weekend or holiday
 * moves to the next working day (Civil Code 2015 Art. 148(5)).
 */
export const computeDueDate = (deadline: Deadline, cal: Calendar): IsoDate | null => {
  const total = deadline.amount + deadline.extensions.reduce((sum, e) => sum + e.amount, 0);
  const due = addCountedDays(cal, deadline.startedOn, total, deadline.unit, deadline.pauses);
  if (due === null) return null;
  return deadline.unit === 'calendar' ? nextWorkingDayOnOrAfter(cal, due) : due;
};

export const canExtend = (
  complexity: Complexity,
  extensionsSoFar: number,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): boolean => extensionsSoFar < policy.maxExtensions[complexity];

/** Records an extension decision, refusing what the law or the body's policy does not allow. */
export const extendDeadline = (
  deadline: Deadline,
  extension: Extension,
  complexity: Complexity,
  cal: Calendar,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): Deadline => {
  const limit = policy.rules[deadline.kind].extensionAmount;
  if (limit === undefined) throw new AppError('UNPROCESSABLE', 'This kind of deadline cannot be extended.');
  if (!canExtend(complexity, deadline.extensions.length, policy)) {
    throw new AppError('LIMIT_EXCEEDED', 'No further extension is allowed for this case.', {
      extensionsSoFar: deadline.extensions.length,
      maxExtensions: policy.maxExtensions[complexity],
    });
  }
  if (!Number.isInteger(extension.amount) || extension.amount < 1 || extension.amount > limit) {
    throw new AppError('VALIDATION_FAILED', 'An extension must be between 1 day and the allowed maximum.', { max: limit });
  }
  if (extension.decisionRef.trim() === '') refuse('An extension needs the reference of its decision.');
  if (!isIsoDate(extension.decidedOn) || compareDates(extension.decidedOn, deadline.startedOn) < 0) {
    refuse('An extension cannot be decided before the deadline started.');
  }
  // The decision must be taken while the period still runs; a lapsed deadline stays overdue.
  const due = computeDueDate(deadline, cal);
  if (due !== null && compareDates(extension.decidedOn, due) > 0) {
    throw new AppError('UNPROCESSABLE', 'The deadline had already passed when the extension was decided.');
  }
  return { ...deadline, extensions: [...deadline.extensions, { ...extension, decisionRef: extension.decisionRef.trim() }] };
};

/** Stops the clock from `on` (that day does not count). */
export const pauseDeadline = (deadline: Deadline, on: IsoDate): Deadline => {
  if (deadline.pauses.some((p) => p.to === null)) throw new AppError('CONFLICT', 'The deadline is already paused.');
  const last = deadline.pauses.at(-1);
  if (last?.to && compareDates(on, last.to) < 0) refuse('A pause cannot start before the previous one ended.');
  const pauses = [...deadline.pauses, { from: on, to: null }];
  assertValidPauses(pauses);
  return { ...deadline, pauses };
};

/** Restarts the clock on `on` (that day counts again). */
export const resumeDeadline = (deadline: Deadline, on: IsoDate): Deadline => {
  const open = deadline.pauses.findIndex((p) => p.to === null);
  if (open < 0) throw new AppError('CONFLICT', 'The deadline is not paused.');
  const pauses = deadline.pauses.map((p, i) => (i === open ? { from: p.from, to: on } : p));
  assertValidPauses(pauses);
  return { ...deadline, pauses };
};

/**
 * Reminder days (working days before due, never on or before the start) and the day to
 * escalate: the first day the work is overdue. Null while the clock is stopped.
 */
export const deadlineSchedule = (
  deadline: Deadline,
  cal: Calendar,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): DeadlineSchedule | null => {
  const dueOn = computeDueDate(deadline, cal);
  if (dueOn === null) return null;
  const reminders = [...new Set(policy.reminderWorkingDaysBefore.map((n) => addWorkingDays(cal, dueOn, -n)))]
    .filter((d) => compareDates(d, deadline.startedOn) > 0)
    .sort(compareDates);
  return { dueOn, reminders, escalateOn: addCalendarDays(dueOn, 1) };
};

/** Where a deadline stands on `today` (the Vietnamese calendar date, see `localDateOf`). */
export const deadlineStatus = (
  deadline: Deadline,
  today: IsoDate,
  cal: Calendar,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): DeadlineStatus => {
  const dueOn = computeDueDate(deadline, cal);
  if (dueOn === null) return { status: 'paused', dueOn: null, workingDaysLeft: null, calendarDaysLeft: null };
  const workingDaysLeft = workingDaysBetween(cal, today, dueOn);
  const calendarDaysLeft = calendarDaysBetween(today, dueOn);
  const status: DeadlineStatusValue =
    calendarDaysLeft < 0 ? 'overdue' : workingDaysLeft <= policy.dueSoonWorkingDays ? 'due_soon' : 'ok';
  return { status, dueOn, workingDaysLeft, calendarDaysLeft };
};

function positive(n: number): void {
  if (!Number.isInteger(n) || n < 1) refuse('A number of days must be a whole number above zero.');
}

function withinLaw(rule: DeadlineRule, law: DeadlineRule): void {
  if (rule.unit !== law.unit) refuse('The unit of a statutory deadline cannot be changed.');
  const over = (value: number | undefined, max: number | undefined) =>
    value !== undefined && (max === undefined || value > max);
  if (rule.amount > law.amount || over(rule.multiSiteAmount, law.multiSiteAmount) || over(rule.extensionAmount, law.extensionAmount)) {
    refuse('A body may shorten a statutory deadline but not lengthen it.');
  }
}

function refuse(message: string): never {
  throw new AppError('VALIDATION_FAILED', message);
}
