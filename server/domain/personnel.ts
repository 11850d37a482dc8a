// The personnel action state machine: draft → public_notice → pending_decision → approved
// → executed, or withdrawn. A confirmed hold parks a pending action in 'held' and release
// puts it back where it was. Approval and execution always pass the hold check.

import { compareDates, isIsoDate, type IsoDate } from './calendar.ts';
import { AppError } from './errors.ts';
import {
  checkApproval,
  type HoldFacts,
  type PersonnelActionFacts,
  type ProceedAnywayDecision,
  type ProtectedReporterStatus,
} from './holds.ts';
import type { PersonnelActionState } from './vocabulary.ts';

export const PERSONNEL_TRANSITION_NAMES = [
  'publish_notice',
  'submit_for_decision',
  'approve',
  'execute',
  'withdraw',
  'hold',
  'release',
] as const;
export type PersonnelTransitionName = (typeof PERSONNEL_TRANSITION_NAMES)[number];

type PersonnelTransitionDef = {
  from: readonly PersonnelActionState[];
  /** 'held_from' goes back to the state the action was in when it was held. */
  to: PersonnelActionState | 'held_from';
  /** hold and release follow hold decisions; staff never make them directly. */
  isSystemOnly: boolean;
  checksHolds: boolean;
};

export const PERSONNEL_TRANSITIONS: Record<PersonnelTransitionName, PersonnelTransitionDef> = {
  publish_notice: { from: ['draft'], to: 'public_notice', isSystemOnly: false, checksHolds: false },
  submit_for_decision: { from: ['draft', 'public_notice'], to: 'pending_decision', isSystemOnly: false, checksHolds: false },
  approve: { from: ['pending_decision'], to: 'approved', isSystemOnly: false, checksHolds: true },
  execute: { from: ['approved'], to: 'executed', isSystemOnly: false, checksHolds: true },
  withdraw: {
    from: ['draft', 'public_notice', 'pending_decision', 'held', 'approved'],
    to: 'withdrawn',
    isSystemOnly: false,
    checksHolds: false,
  },
  hold: { from: ['draft', 'public_notice', 'pending_decision'], to: 'held', isSystemOnly: true, checksHolds: false },
  release: { from: ['held'], to: 'held_from', isSystemOnly: true, checksHolds: true },
};

export type PersonnelActionRecord = PersonnelActionFacts & {
  /** Last day of the public comment period. */
  noticeUntil: IsoDate | null;
  heldFrom: PersonnelActionState | null;
};

export type PersonnelPlanInput = {
  action: PersonnelActionRecord;
  transition: string;
  actor: 'staff' | 'system';
  today: IsoDate;
  /** Every hold on this action, whatever its state. */
  holds: readonly HoldFacts[];
  proceedAnyway: readonly ProceedAnywayDecision[];
  protectedReporter: ProtectedReporterStatus;
  params?: { noticeUntil?: IsoDate };
};

export type PersonnelPlan = {
  transition: PersonnelTransitionName;
  from: PersonnelActionState;
  to: PersonnelActionState;
  heldFrom: PersonnelActionState | null;
  noticeUntil: IsoDate | null;
  /** Holds passed by a proceed-anyway decision: the audit entry names each. */
  overriddenHoldIds: string[];
  event: { type: string };
};

const isName = (n: string): n is PersonnelTransitionName =>
  (PERSONNEL_TRANSITION_NAMES as readonly string[]).includes(n);

const notNow = (message: string, actionId: string): never => {
  throw new AppError('INVALID_TRANSITION', message, { personnelActionId: actionId });
};

/** Plans one move of a personnel action; throws ACTION_HELD or REVIEW_REQUIRED from the hold check. */
export const planPersonnelTransition = (input: PersonnelPlanInput): PersonnelPlan => {
  const { action, transition: name, today } = input;
  if (!isName(name)) return notNow(`There is no personnel action transition named '${name}'.`, action.id);
  const def = PERSONNEL_TRANSITIONS[name];
  if (def.isSystemOnly && input.actor !== 'system') {
    throw new AppError('FORBIDDEN', `'${name}' follows a hold decision and is not made by hand.`, {
      personnelActionId: action.id,
    });
  }
  if (!isIsoDate(today)) throw new AppError('VALIDATION_FAILED', 'Expected the date written as YYYY-MM-DD.');

  // The hold check runs before the state check, so a held action's refusal names the hold.
  let overriddenHoldIds: string[] = [];
  if (def.checksHolds) {
    const reporter: ProtectedReporterStatus = name === 'release' ? { isProtected: false } : input.protectedReporter;
    overriddenHoldIds = checkApproval(action, input.holds, input.proceedAnyway, reporter).overriddenHoldIds;
  }
  if (!def.from.includes(action.state)) {
    notNow(`A personnel action cannot be '${name}' from '${action.state}'; possible from: ${def.from.join(', ')}.`, action.id);
  }

  let noticeUntil = action.noticeUntil;
  let heldFrom = action.heldFrom;
  let to: PersonnelActionState;
  if (def.to === 'held_from') {
    if (heldFrom === null) return notNow('The action does not record the state it was held in.', action.id);
    to = heldFrom;
    heldFrom = null;
  } else {
    to = def.to;
  }

  switch (name) {
    case 'publish_notice': {
      const until = input.params?.noticeUntil;
      if (until === undefined || !isIsoDate(until) || compareDates(until, today) <= 0) {
        throw new AppError('VALIDATION_FAILED', 'A public notice needs a last day of comment after today.', {
          personnelActionId: action.id,
        });
      }
      noticeUntil = until;
      break;
    }
    case 'submit_for_decision':
      // Comments are open until the end of the notice's last day.
      if (action.state === 'public_notice' && noticeUntil !== null && compareDates(today, noticeUntil) <= 0) {
        notNow(`The public comment period runs until ${noticeUntil}; submit it for decision after that.`, action.id);
      }
      break;
    case 'hold':
      if (!input.holds.some((h) => h.personnelActionId === action.id && (h.state === 'confirmed' || h.state === 'lapsed'))) {
        notNow('An action is put on hold only by a confirmed hold.', action.id);
      }
      heldFrom = action.state;
      break;
    default:
      break;
  }

  return { transition: name, from: action.state, to, heldFrom, noticeUntil, overriddenHoldIds, event: { type: `personnel.${name}` } };
};
