// Holds (tạm dừng công tác cán bộ) on a cadre's pending personnel actions: when they are
// proposed, what they block, and when they are lifted. The hold's own life (confirm,
// renew, lapse) is in hold-lifecycle.ts.

import { AppError } from './errors.ts';
import type {
  CaseState,
  ConclusionOutcome,
  HoldState,
  PersonnelActionKind,
  PersonnelActionState,
} from './vocabulary.ts';

export type HoldFacts = {
  id: string;
  state: HoldState;
  personnelActionId: string;
  caseId: string;
  /** YYYY-MM-DD, the next review; null until the hold is confirmed (as in the holds table). */
  reviewOn: string | null;
};

export type PersonnelActionFacts = {
  id: string;
  cadreId: string;
  kind: PersonnelActionKind;
  state: PersonnelActionState;
};

/** A recorded decision by a competent body to let one held action through despite one hold. */
export type ProceedAnywayDecision = {
  holdId: string;
  personnelActionId: string;
  /** The competent body's decision reference (number and date of the document). */
  decisionRef: string;
};

/**
 * Retaliation watch. A protected reporter's adverse actions need a review by the
 * inspection committee; the review either finds no objection or objects.
 */
export type ProtectedReporterStatus =
  | { isProtected: false }
  | { isProtected: true; review: { outcome: 'no_objection' | 'objection'; reference: string } | null };

/** Only actions not yet decided can be held; a decided one is for the Organization Board. */
export const HOLDABLE_ACTION_STATES = ['draft', 'public_notice', 'pending_decision'] as const satisfies readonly PersonnelActionState[];

/** Actions still awaiting a decision, held or not: what the retaliation watch reviews. */
export const UNDECIDED_ACTION_STATES = [...HOLDABLE_ACTION_STATES, 'held'] as const satisfies readonly PersonnelActionState[];

/**
 * Holds that block approval and execution. A proposed hold already blocks: between the
 * proposal and the lead's decision the action must not slip through. A lapsed hold still
 * blocks: a missed review escalates, it never lifts the hold by itself.
 */
export const BLOCKING_HOLD_STATES = ['proposed', 'confirmed', 'lapsed'] as const satisfies readonly HoldState[];

/** Holds in force: decided by the lead (or lapsed awaiting the escalated review); they park a pending action in 'held'. */
export const IN_FORCE_HOLD_STATES = ['confirmed', 'lapsed'] as const satisfies readonly HoldState[];

/**
 * Adverse actions watched for a protected reporter. Rotation is included: moving a
 * reporter to a distant post is a classic way to retaliate, and the review costs little.
 */
export const ADVERSE_ACTION_KINDS = [
  'demotion',
  'transfer',
  'rotation',
  'discipline',
  'removal_from_planning',
] as const satisfies readonly PersonnelActionKind[];

export const isHoldable = (state: PersonnelActionState): boolean =>
  (HOLDABLE_ACTION_STATES as readonly PersonnelActionState[]).includes(state);

export const isBlockingHold = (state: HoldState): boolean =>
  (BLOCKING_HOLD_STATES as readonly HoldState[]).includes(state);

export const isUndecided = (state: PersonnelActionState): boolean =>
  (UNDECIDED_ACTION_STATES as readonly PersonnelActionState[]).includes(state);

export const isInForce = (state: HoldState): boolean =>
  (IN_FORCE_HOLD_STATES as readonly HoldState[]).includes(state);

export const isAdverseAction = (kind: PersonnelActionKind): boolean =>
  (ADVERSE_ACTION_KINDS as readonly PersonnelActionKind[]).includes(kind);

export type CaseHoldFacts = {
  caseId: string;
  cadreId: string | null;
  isAnonymous: boolean;
  /** The inspection body recorded evidence of its own beyond the report. */
  isCorroborated: boolean;
};

/** An anonymous report alone never places a hold (DESIGN: personnel actions and holds). */
export const restsOnAnonymousReportAlone = (facts: Pick<CaseHoldFacts, 'isAnonymous' | 'isCorroborated'>): boolean =>
  facts.isAnonymous && !facts.isCorroborated;

/**
 * The pending actions of the case's cadre that should get a proposed hold. An action that
 * already has a hold from this case, in any state, is skipped: the job can run twice, and
 * the holds table keeps one hold per action and case.
 */
export const proposeHolds = (
  facts: CaseHoldFacts,
  pendingActions: readonly PersonnelActionFacts[],
  existingHolds: readonly HoldFacts[] = [],
): PersonnelActionFacts[] => {
  if (facts.cadreId === null || restsOnAnonymousReportAlone(facts)) return [];
  const alreadyHeld = new Set(existingHolds.filter((h) => h.caseId === facts.caseId).map((h) => h.personnelActionId));
  return pendingActions.filter(
    (a) => a.cadreId === facts.cadreId && isHoldable(a.state) && !alreadyHeld.has(a.id),
  );
};

export type HoldLiftTrigger = ConclusionOutcome | 'terminated' | 'withdrawn' | 'dismissed';

export type HoldLiftDecision =
  | { lift: true; liftReason: 'cleared' | 'case_terminated' | 'case_withdrawn' | 'case_dismissed'; cadreCleared: boolean }
  | { lift: false; keepFor: 'organization_board' };

/**
 * What a case outcome does to its holds. Only "not substantiated" clears the cadre;
 * ending the case otherwise lifts the holds with a record but clears no one.
 */
export const holdsToLiftOn = (trigger: HoldLiftTrigger): HoldLiftDecision => {
  switch (trigger) {
    case 'not_substantiated':
      return { lift: true, liftReason: 'cleared', cadreCleared: true };
    case 'substantiated':
    case 'partly_substantiated':
      return { lift: false, keepFor: 'organization_board' };
    case 'terminated':
      return { lift: true, liftReason: 'case_terminated', cadreCleared: false };
    case 'withdrawn':
      return { lift: true, liftReason: 'case_withdrawn', cadreCleared: false };
    case 'dismissed':
      return { lift: true, liftReason: 'case_dismissed', cadreCleared: false };
  }
};

/** The holds of a case that a lift decision applies to. */
export const selectHoldsToLift = (caseId: string, holds: readonly HoldFacts[]): HoldFacts[] =>
  holds.filter((h) => h.caseId === caseId && isBlockingHold(h.state));

// Earliest review first, holds without a date (proposed) last, then by id: a stable choice.
const byReviewDate = (a: HoldFacts, b: HoldFacts): number => {
  const ka = a.reviewOn ?? '9999-12-31';
  const kb = b.reviewOn ?? '9999-12-31';
  return ka !== kb ? (ka < kb ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

/**
 * The first hold (earliest review date) that blocks the action and has no proceed-anyway
 * decision, and the holds that such decisions let through. The UI shows the former.
 */
export const findBlockingHold = (
  actionId: string,
  holds: readonly HoldFacts[],
  proceedAnywayDecisions: readonly ProceedAnywayDecision[],
): { blockingHold: HoldFacts | null; overriddenHoldIds: string[] } => {
  const blocking = holds
    .filter((h) => h.personnelActionId === actionId && isBlockingHold(h.state))
    .sort(byReviewDate);
  const overriddenHoldIds: string[] = [];
  for (const hold of blocking) {
    // An override names one hold and one action; it never carries over to another hold.
    const isOverridden = proceedAnywayDecisions.some(
      (d) => d.holdId === hold.id && d.personnelActionId === actionId && d.decisionRef.trim() !== '',
    );
    if (!isOverridden) return { blockingHold: hold, overriddenHoldIds: [] };
    overriddenHoldIds.push(hold.id);
  }
  return { blockingHold: null, overriddenHoldIds };
};

/**
 * How an action follows its holds: into 'held' when a hold in force without a proceed-anyway
 * decision stands on a pending action (a proposal alone blocks approval but parks nothing:
 * parking is the lead's decision); back out when no blocking hold is left without one.
 */
export const actionMoveForHolds = (
  action: Pick<PersonnelActionFacts, 'id' | 'state'>,
  holds: readonly HoldFacts[],
  proceedAnywayDecisions: readonly ProceedAnywayDecision[],
): 'hold' | 'release' | null => {
  const own = holds.filter((h) => h.personnelActionId === action.id);
  const isPassed = (h: HoldFacts) =>
    proceedAnywayDecisions.some((d) => d.holdId === h.id && d.personnelActionId === action.id && d.decisionRef.trim() !== '');
  if (isHoldable(action.state) && own.some((h) => isInForce(h.state) && !isPassed(h))) return 'hold';
  if (action.state === 'held' && own.every((h) => !isBlockingHold(h.state) || isPassed(h))) return 'release';
  return null;
};

const heldMessage = (actionId: string, hold: HoldFacts): string => {
  const why =
    hold.state === 'proposed'
      ? 'a hold is proposed and awaits the inspection lead’s decision'
      : hold.state === 'lapsed'
        ? `its review was due on ${hold.reviewOn} and has been escalated; the hold stays in force`
        : `it is held until the review on ${hold.reviewOn}`;
  return (
    `Personnel action ${actionId} is under hold ${hold.id}: ${why}. ` +
    'It can go ahead only when the hold is lifted or a competent body records a decision to proceed anyway.'
  );
};

/**
 * The check before approving or executing a personnel action. Throws ACTION_HELD naming
 * the first blocking hold without a proceed-anyway decision, then REVIEW_REQUIRED for an
 * adverse action about a protected reporter without a clearing review. Returns the holds
 * that were passed by a proceed-anyway decision, for the audit entry.
 */
export const checkApproval = (
  action: PersonnelActionFacts,
  activeHolds: readonly HoldFacts[],
  proceedAnywayDecisions: readonly ProceedAnywayDecision[],
  protectedReporter: ProtectedReporterStatus,
): { ok: true; overriddenHoldIds: string[] } => {
  const { blockingHold, overriddenHoldIds } = findBlockingHold(action.id, activeHolds, proceedAnywayDecisions);
  if (blockingHold !== null) {
    throw new AppError('ACTION_HELD', heldMessage(action.id, blockingHold), {
      holdId: blockingHold.id,
      reviewOn: blockingHold.reviewOn,
      holdState: blockingHold.state,
      personnelActionId: action.id,
    });
  }
  if (isAdverseAction(action.kind) && protectedReporter.isProtected) {
    const review = protectedReporter.review;
    if (review === null) {
      throw new AppError(
        'REVIEW_REQUIRED',
        `Personnel action ${action.id} is adverse (${action.kind}) and concerns a protected reporter: ` +
          'the inspection committee must review it before it goes through.',
        { personnelActionId: action.id, kind: action.kind },
      );
    }
    if (review.outcome === 'objection') {
      throw new AppError(
        'REVIEW_REQUIRED',
        `The inspection committee’s review ${review.reference} objected to personnel action ${action.id}; ` +
          'it cannot go through unless a new review finds no objection.',
        { personnelActionId: action.id, kind: action.kind, reviewReference: review.reference },
      );
    }
  }
  return { ok: true, overriddenHoldIds };
};

/** Case states in which an inspection is running: a hold proposed by the case still applies. */
export const RUNNING_CASE_STATES = ['accepted', 'verifying', 'paused'] as const satisfies readonly CaseState[];

export type RunningCaseFacts = CaseHoldFacts & {
  state: CaseState;
  signsOfViolation: boolean;
  /** The inspection lead accepted the case (the 'accept' transition happened). */
  wasAccepted: boolean;
};

/**
 * Whether a case proposes a hold on an action created for its cadre while it runs: the
 * same cases that proposed holds at acceptance or at signs of violation, still running,
 * and never one that rests on an anonymous report alone.
 */
export const caseHoldsNewActions = (facts: RunningCaseFacts): boolean =>
  facts.cadreId !== null &&
  (RUNNING_CASE_STATES as readonly CaseState[]).includes(facts.state) &&
  (facts.wasAccepted || facts.signsOfViolation) &&
  !restsOnAnonymousReportAlone(facts);
