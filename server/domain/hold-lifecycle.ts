// The life of one hold: proposed by the workflow, confirmed or refused by the inspection
// lead, renewed before each review date, lifted with a recorded reason. A review nobody
// made escalates; it never lifts the hold by itself.

import { calendarDaysBetween, compareDates, isIsoDate, type Calendar, type IsoDate } from './calendar.ts';
import { DEFAULT_DEADLINE_POLICY, computeDueDate, startDeadline, type DeadlinePolicy } from './deadlines.ts';
import { AppError } from './errors.ts';
import type { HoldFacts } from './holds.ts';
import type { HoldState } from './vocabulary.ts';

export const HOLD_TRANSITION_NAMES = ['confirm', 'refuse', 'renew', 'lift', 'lapse'] as const;
export type HoldTransitionName = (typeof HOLD_TRANSITION_NAMES)[number];

export const HOLD_LIFT_REASONS = ['cleared', 'case_terminated', 'case_withdrawn', 'case_dismissed', 'lead_decision', 'action_withdrawn'] as const;
export type HoldLiftReason = (typeof HOLD_LIFT_REASONS)[number];

type HoldTransitionDef = { from: readonly HoldState[]; to: HoldState; isSystemOnly: boolean };

export const HOLD_TRANSITIONS: Record<HoldTransitionName, HoldTransitionDef> = {
  confirm: { from: ['proposed'], to: 'confirmed', isSystemOnly: false },
  refuse: { from: ['proposed'], to: 'refused', isSystemOnly: false },
  // Renewing a lapsed hold is how the escalation is answered.
  renew: { from: ['confirmed', 'lapsed'], to: 'confirmed', isSystemOnly: false },
  lift: { from: ['proposed', 'confirmed', 'lapsed'], to: 'lifted', isSystemOnly: false },
  lapse: { from: ['confirmed'], to: 'lapsed', isSystemOnly: true },
};

export type HoldTransitionParams = {
  /** The day the decision is recorded (Vietnamese calendar date). */
  today: IsoDate;
  /** Legal basis of the hold (document and article), required to confirm. */
  legalBasis?: string;
  /** What the hold covers, required to confirm. */
  scope?: string;
  /** Why: required to refuse, renew and lift by the lead's own decision. */
  reason?: string;
  liftReason?: HoldLiftReason;
  calendar: Calendar;
  /** The body's deadline policy; its hold_review rule sets the review period. */
  policy?: DeadlinePolicy;
  /** An earlier review date the lead chooses (confirm, renew); never later than the policy's period. */
  reviewOn?: IsoDate;
};

export type HoldTransitionPlan = {
  transition: HoldTransitionName;
  from: HoldState;
  to: HoldState;
  /** The review date after the move (unchanged unless confirmed or renewed). */
  reviewOn: IsoDate | null;
  event: { type: string; liftReason?: HoldLiftReason };
  /** Tell the body's lead: a review was missed. */
  escalate: boolean;
};

/** The next review date: the hold_review period of the deadline policy (30 calendar days by default). */
export const computeHoldReviewOn = (
  from: IsoDate,
  calendar: Calendar,
  policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
): IsoDate => {
  const due = computeDueDate(startDeadline('hold_review', from, policy), calendar);
  // A fresh deadline has no pause, so it always has a due date.
  if (due === null) throw new AppError('INTERNAL', 'A new hold review date could not be computed.');
  return due;
};

const PAST: Record<HoldTransitionName, string> = {
  confirm: 'confirmed',
  refuse: 'refused',
  renew: 'renewed',
  lift: 'lifted',
  lapse: 'marked lapsed',
};

const filled = (v: string | undefined): boolean => v !== undefined && v.trim() !== '';

const invalid = (message: string, holdId: string): never => {
  throw new AppError('VALIDATION_FAILED', message, { holdId });
};

/** The policy's review date, or an earlier one the lead chose (after today, never later). */
const chooseReviewOn = (holdId: string, params: HoldTransitionParams): IsoDate => {
  const latest = computeHoldReviewOn(params.today, params.calendar, params.policy);
  if (params.reviewOn === undefined) return latest;
  if (!isIsoDate(params.reviewOn) || compareDates(params.reviewOn, params.today) <= 0 || compareDates(params.reviewOn, latest) > 0) {
    invalid(`The review date must fall after today and no later than ${latest}.`, holdId);
  }
  return params.reviewOn;
};

/** Plans one move of a hold, refusing moves from the wrong state or without what they require. */
export const planHoldTransition = (
  hold: HoldFacts,
  name: HoldTransitionName,
  params: HoldTransitionParams,
): HoldTransitionPlan => {
  const def = HOLD_TRANSITIONS[name];
  if (!isIsoDate(params.today)) invalid('Expected the date written as YYYY-MM-DD.', hold.id);
  if (!def.from.includes(hold.state)) {
    throw new AppError(
      'INVALID_TRANSITION',
      `Hold ${hold.id} cannot be ${PAST[name]} while it is ${hold.state}.`,
      { holdId: hold.id, from: hold.state, transition: name },
    );
  }
  let reviewOn = hold.reviewOn;
  const event: HoldTransitionPlan['event'] = { type: `hold.${name}` };
  switch (name) {
    case 'confirm':
      if (!filled(params.legalBasis) || !filled(params.scope)) {
        invalid('Confirming a hold needs its legal basis and its scope.', hold.id);
      }
      reviewOn = chooseReviewOn(hold.id, params);
      break;
    case 'refuse':
      if (!filled(params.reason)) invalid('Refusing a proposed hold needs a reason.', hold.id);
      break;
    case 'renew':
      if (!filled(params.reason)) invalid('Renewing a hold needs a reason.', hold.id);
      // The period counts from the renewal: each renewal is a fresh review.
      reviewOn = chooseReviewOn(hold.id, params);
      break;
    case 'lift':
      if (params.liftReason === undefined || !(HOLD_LIFT_REASONS as readonly string[]).includes(params.liftReason)) {
        invalid(`Lifting a hold needs a reason code: ${HOLD_LIFT_REASONS.join(', ')}.`, hold.id);
      }
      if (params.liftReason === 'lead_decision' && !filled(params.reason)) {
        invalid('Lifting a hold by the lead’s own decision needs a stated reason.', hold.id);
      }
      event.liftReason = params.liftReason as HoldLiftReason;
      break;
    case 'lapse':
      if (hold.reviewOn !== null && compareDates(params.today, hold.reviewOn) <= 0) {
        throw new AppError('INVALID_TRANSITION', `Hold ${hold.id} is not due for review until ${hold.reviewOn}.`, {
          holdId: hold.id,
          reviewOn: hold.reviewOn,
        });
      }
      break;
  }
  return { transition: name, from: hold.state, to: def.to, reviewOn, event, escalate: name === 'lapse' };
};

export type HoldReviewStatus =
  | { status: 'inactive' }
  | { status: 'not_due'; daysLeft: number }
  | { status: 'remind'; daysLeft: number }
  | { status: 'escalate'; daysOverdue: number };

/**
 * What the daily review job does with a hold. Past its review date a hold escalates (and
 * is marked lapsed); it is never lifted for want of a review.
 */
export const holdReviewStatus = (
  hold: Pick<HoldFacts, 'state' | 'reviewOn'>,
  today: IsoDate,
  remindDaysBefore = 5,
): HoldReviewStatus => {
  if (hold.state !== 'confirmed' && hold.state !== 'lapsed') return { status: 'inactive' };
  // A hold in force without a review date is a data fault: someone must look at it now.
  if (hold.reviewOn === null) return { status: 'escalate', daysOverdue: 0 };
  const daysLeft = calendarDaysBetween(today, hold.reviewOn);
  if (daysLeft < 0) return { status: 'escalate', daysOverdue: -daysLeft };
  if (hold.state === 'lapsed') return { status: 'escalate', daysOverdue: 0 };
  return daysLeft <= remindDaysBefore ? { status: 'remind', daysLeft } : { status: 'not_due', daysLeft };
};
