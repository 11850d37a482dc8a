// What a staff member may do on a case right now, and why not: the case page's buttons.
// Every answer comes from decide() (role, body, recusal, stage) and the transition table
// (the state the case is in); nothing here restates a rule.
import { CASE_TRANSITIONS, type TransitionName } from './case-transitions.ts';
import { decide, type Action, type Actor, type CaseResource, type Decision, type StaffTransitionName } from './policy.ts';

/** Transitions a staff member can ever make (the rest belong to the reporter or the system). */
export const STAFF_TRANSITIONS: readonly StaffTransitionName[] = (Object.keys(CASE_TRANSITIONS) as TransitionName[])
  .filter((n): n is StaffTransitionName => n !== 'submit')
  .filter((n) => CASE_TRANSITIONS[n].by.some((by) => by !== 'system' && by !== 'reporter' && by !== 'front_member'));

/** Actions that are not transitions, each with the policy action that decides it. */
export const CASE_PAGE_ACTIONS = {
  message_reporter: 'case.message_reporter',
  note: 'case.note',
  label: 'case.note',
  link: 'case.note',
  forward: 'case.forward',
  // Linking the cadre is part of classifying: whoever may classify at this stage.
  link_cadre: 'case.transition:classify',
  export: 'case.export',
  recuse: 'case.recuse',
  request_identity: 'case.read_content',
  approve_identity: 'case.approve_identity_access',
} as const satisfies Record<string, Action>;
export type CasePageAction = keyof typeof CASE_PAGE_ACTIONS;

export type IdentityRequestReason = (typeof IDENTITY_REQUEST_REASONS)[number];
/** Why a staff member asks to see who reported (a code; any free text is a note under K). */
export const IDENTITY_REQUEST_REASONS = [
  'verify_reporter_standing',
  'contact_reporter_in_person',
  'protect_reporter',
  'legal_obligation',
] as const;

/** Hours an approved identity request stays usable. */
export const IDENTITY_ACCESS_HOURS = 24;

export type ActionReasonCode = string;
export type CaseActionState = { name: string; allowed: boolean; reason: { code: ActionReasonCode; message: string } | null };

export type CaseActionFacts = {
  /** The case holds a sealed identity part. */
  hasIdentity: boolean;
  /** The actor has a pending or usable approved request already. */
  hasOwnOpenRequest: boolean;
  /** Another person's pending request the actor could decide. */
  hasPendingRequestOfOther: boolean;
};

const fromDecision = (name: string, d: Decision): CaseActionState =>
  d.allowed ? { name, allowed: true, reason: null } : { name, allowed: false, reason: d.reason };

const no = (name: string, code: string, message: string): CaseActionState => ({ name, allowed: false, reason: { code, message } });

/** One entry per transition and page action, allowed or with the stable reason it is not. */
export function listCaseActions(actor: Actor, res: CaseResource, facts: CaseActionFacts): CaseActionState[] {
  const out: CaseActionState[] = [];
  for (const name of STAFF_TRANSITIONS) {
    const def = CASE_TRANSITIONS[name];
    if (!def.from.includes(res.state)) {
      out.push(no(name, 'INVALID_TRANSITION', `Not possible while the case is '${res.state}'; possible from: ${def.from.join(', ')}.`));
      continue;
    }
    out.push(fromDecision(name, decide(actor, `case.transition:${name}`, res)));
  }
  for (const [name, action] of Object.entries(CASE_PAGE_ACTIONS) as Array<[CasePageAction, Action]>) {
    if (name === 'request_identity') {
      if (!facts.hasIdentity) { out.push(no(name, 'NO_IDENTITY', 'The reporter left no identity with this report.')); continue; }
      if (facts.hasOwnOpenRequest) { out.push(no(name, 'ALREADY_REQUESTED', 'You already have an open request for this case.')); continue; }
    }
    if (name === 'approve_identity' && !facts.hasPendingRequestOfOther) {
      out.push(no(name, 'IDENTITY_ACCESS_NOT_APPROVED', 'There is no identity request from another person to decide.'));
      continue;
    }
    // approve_identity is decided against a request of someone else (decideIdentityApproval).
    const resource = name === 'approve_identity'
      ? { ...res, identityAccess: { requestedBy: '', reasonRecorded: true, approvedBy: null } }
      : res;
    out.push(fromDecision(name, decide(actor, action as 'case.note', resource)));
  }
  return out;
}
