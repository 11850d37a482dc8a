// Interprets the transition table (case-transitions.ts): who may make a move and what the
// move does. planTransition is the only way a case changes state.

import { AppError } from './errors.ts';
import { REASON_LISTS, checkGuard, checkRequirement } from './case-guards.ts';
import { CASE_STATE_INFO, ROLE_PHASE, phaseOf } from './case-states.ts';
import {
  CASE_TRANSITIONS,
  isTransitionName,
  type DeadlineEffectDef,
  type TransitionDef,
  type TransitionName,
} from './case-transitions.ts';
import { holdsToLiftOn, restsOnAnonymousReportAlone, type HoldLiftDecision } from './holds.ts';
import type { DeadlinePolicy } from './deadlines.ts';
import type {
  CaseState,
  Classification,
  Complexity,
  ConclusionOutcome,
  DeadlineKind,
  Role,
} from './vocabulary.ts';

export { CASE_TRANSITIONS, TRANSITION_NAMES, type TransitionName } from './case-transitions.ts';
export { CASE_STATE_INFO } from './case-states.ts';

/** Flags, not states: they ride along with whatever state the case is in. */
export type CaseFlags = {
  overdue: boolean;
  urgent: boolean;
  complexity: Complexity;
  mergedIntoCaseId: string | null;
  congressWindow: boolean;
  signsOfViolation: boolean;
};

export type CaseFacts = {
  /** null only before submission. */
  state: CaseState | null;
  /** Where needs_info or paused goes back to. */
  resumeState: CaseState | null;
  classification: Classification | null;
  isAnonymous: boolean;
  /** A signed petition (đơn) or a signed record of an in-person statement is on file. */
  hasSignedPetition: boolean;
  /** The inspection body recorded evidence of its own beyond the report. */
  isCorroborated: boolean;
  cadreId: string | null;
  flags: CaseFlags;
  resolutionExtensions: number;
  assignedInvestigatorIds: readonly string[];
  reporterAnswered: boolean;
};

export type ActorRef = { kind: 'system' } | { kind: 'reporter' } | { kind: 'staff'; role: Role };

export type TransitionParams = {
  classification?: Classification;
  /** The reason code the transition requires (filing, not-accept, pause, termination, return). */
  reasonCode?: string;
  outcome?: ConclusionOutcome;
  investigatorIds?: readonly string[];
  targetBodyId?: string;
  externalBodyRef?: string;
  mergedIntoCaseId?: string;
  decisionRef?: string;
  complexity?: Complexity;
  /** The reviewer attests the report names a person and a specific act, with evidence. */
  isSpecific?: boolean;
  outsideCompetence?: boolean;
};

export type PlanInput = {
  case: CaseFacts;
  actor: ActorRef;
  transition: string;
  params?: TransitionParams;
  /** The handling body's deadline policy (extension limits); defaults to the law's. */
  deadlinePolicy?: DeadlinePolicy;
};

export type DeadlineEffect = {
  kind: DeadlineKind;
  op: DeadlineEffectDef['op'];
  anchor?: 'now' | 'received';
};

export type PlannedEvent = {
  type: string;
  isPublic: boolean;
  reasonCode?: string;
  outcome?: ConclusionOutcome;
};

export type TransitionPlan = {
  transition: TransitionName;
  from: CaseState | null;
  to: CaseState;
  /** The values to store after the move. */
  resumeState: CaseState | null;
  classification: Classification | null;
  flags: CaseFlags;
  events: PlannedEvent[];
  deadlines: DeadlineEffect[];
  proposeHolds: boolean;
  liftHolds: HoldLiftDecision | null;
};

const actorName = (actor: ActorRef): string => (actor.kind === 'staff' ? actor.role : actor.kind);

const refuse = (code: 'INVALID_TRANSITION' | 'FORBIDDEN', message: string, name: string): never => {
  throw new AppError(code, message, { transition: name });
};

const isListed = (actor: ActorRef, name: TransitionName): boolean =>
  CASE_TRANSITIONS[name].by.includes(actor.kind === 'staff' ? actor.role : actor.kind);

/**
 * Whether this actor may make this move at this stage of the case, leaving out parameters
 * and case facts. The access policy asks this; planTransition too, after the state check.
 */
export const mayActorMake = (
  actor: ActorRef,
  name: TransitionName,
  state: CaseState | null,
  resumeState: CaseState | null,
): { allowed: true } | { allowed: false; message: string } => {
  if (!isListed(actor, name)) {
    return { allowed: false, message: `A ${actorName(actor)} may not make the transition '${name}'.` };
  }
  if (actor.kind !== 'staff' || state === null) return { allowed: true };
  // Front staff act while the case is with the Front, inspection staff once it is referred.
  const casePhase = phaseOf(state, resumeState);
  if (ROLE_PHASE[actor.role] !== casePhase) {
    return {
      allowed: false,
      message: `A ${actor.role} may not make the transition '${name}' while the case is at the ${casePhase} stage.`,
    };
  }
  return { allowed: true };
};

/** The transitions that leave a state (for the UI's buttons), without actor checks. */
export const transitionsFrom = (state: CaseState): TransitionName[] =>
  (Object.keys(CASE_TRANSITIONS) as TransitionName[]).filter((n) => CASE_TRANSITIONS[n].from.includes(state));

const resolveTarget = (def: TransitionDef, facts: CaseFacts, name: string): CaseState => {
  if (def.to === 'resume') {
    const back = facts.resumeState;
    if (back === null) return refuse('INVALID_TRANSITION', `The case has no state to return to for '${name}'.`, name);
    return back;
  }
  if (def.to === 'same') return facts.state as CaseState;
  return def.to;
};

const resolveDeadlines = (
  def: TransitionDef,
  from: CaseState | null,
  to: CaseState,
  params: TransitionParams,
): DeadlineEffect[] => {
  const out: DeadlineEffect[] = [];
  for (const d of def.deadlines) {
    if (d.when === 'outside_competence' && params.outsideCompetence !== true) continue;
    const kind =
      d.kind === 'clock_of_from' ? (from === null ? null : CASE_STATE_INFO[from].clock)
      : d.kind === 'clock_of_to' ? CASE_STATE_INFO[to].clock
      : d.kind;
    if (kind === null) continue;
    out.push(d.anchor === undefined ? { kind, op: d.op } : { kind, op: d.op, anchor: d.anchor });
  }
  return out;
};

const resolveHolds = (
  def: TransitionDef,
  facts: CaseFacts,
  params: TransitionParams,
): { proposeHolds: boolean; liftHolds: HoldLiftDecision | null } => {
  switch (def.holds) {
    case 'none':
      return { proposeHolds: false, liftHolds: null };
    case 'propose':
      return { proposeHolds: facts.cadreId !== null && !restsOnAnonymousReportAlone(facts), liftHolds: null };
    case 'lift_terminated':
      return { proposeHolds: false, liftHolds: holdsToLiftOn('terminated') };
    case 'lift_withdrawn':
      return { proposeHolds: false, liftHolds: holdsToLiftOn('withdrawn') };
    case 'lift_dismissed':
      return { proposeHolds: false, liftHolds: holdsToLiftOn('dismissed') };
    case 'by_outcome':
      return { proposeHolds: false, liftHolds: holdsToLiftOn(params.outcome as ConclusionOutcome) };
  }
};

const nextFlags = (def: TransitionDef, facts: CaseFacts, params: TransitionParams): CaseFlags => {
  switch (def.setsFlag) {
    case 'merged':
      return { ...facts.flags, mergedIntoCaseId: params.mergedIntoCaseId ?? null };
    case 'signsOfViolation':
      return { ...facts.flags, signsOfViolation: true };
    case 'complexity':
      return { ...facts.flags, complexity: params.complexity ?? facts.flags.complexity };
    default:
      return { ...facts.flags };
  }
};

/**
 * Plans one transition: checks the actor, the state, the parameters and the case rules,
 * and returns the new state and every effect the service must write in one transaction.
 * Throws AppError INVALID_TRANSITION, FORBIDDEN or VALIDATION_FAILED.
 */
export const planTransition = (input: PlanInput): TransitionPlan => {
  const { case: facts, actor, transition: name } = input;
  const params = input.params ?? {};
  if (!isTransitionName(name)) return refuse('INVALID_TRANSITION', `There is no transition named '${name}'.`, name);
  const def = CASE_TRANSITIONS[name];

  if (!isListed(actor, name)) return refuse('FORBIDDEN', `A ${actorName(actor)} may not make the transition '${name}'.`, name);
  if (def.isInitial === true) {
    if (facts.state !== null) return refuse('INVALID_TRANSITION', 'The case has already been submitted.', name);
  } else if (facts.state === null || !def.from.includes(facts.state)) {
    const where = facts.state === null ? 'before submission' : `from '${facts.state}'`;
    return refuse(
      'INVALID_TRANSITION',
      `The transition '${name}' cannot be made ${where}; it is possible from: ${def.from.join(', ')}.`,
      name,
    );
  }
  // After the state check, so a move from the wrong state reads as INVALID_TRANSITION.
  const may = mayActorMake(actor, name, facts.state, facts.resumeState);
  if (!may.allowed) return refuse('FORBIDDEN', may.message, name);

  for (const r of def.requires) checkRequirement(r, name, facts, params);
  for (const g of def.guards) checkGuard(g, name, facts, params, input.deadlinePolicy);

  const to = resolveTarget(def, facts, name);
  const from = facts.state;
  const classification = name === 'classify' ? (params.classification ?? null) : facts.classification;
  // Kept only while the case waits in needs_info or paused; any other move clears it.
  const resumeState = def.savesResumeState === true ? from : to === from ? facts.resumeState : null;
  const holds = resolveHolds(def, facts, params);
  const reasonCode =
    name === 'merge' ? 'duplicate' : def.requires.some((r) => r in REASON_LISTS) ? params.reasonCode : undefined;

  const main: PlannedEvent = { type: `case.${name}`, isPublic: def.isPublic };
  if (reasonCode !== undefined) main.reasonCode = reasonCode;
  if (name === 'conclude' && params.outcome !== undefined) main.outcome = params.outcome;
  const events: PlannedEvent[] = [main];
  if (holds.liftHolds?.lift === true && holds.liftHolds.cadreCleared) {
    events.push({ type: 'cadre.cleared', isPublic: false });
  }

  return {
    transition: name,
    from,
    to,
    resumeState,
    classification,
    flags: nextFlags(def, facts, params),
    events,
    deadlines: resolveDeadlines(def, from, to, params),
    ...holds,
  };
};
