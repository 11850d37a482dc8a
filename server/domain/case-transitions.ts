// The case state machine as one table. The API, the workers, the pages and the access
// policy all read it; nothing else says who may move a case or what a move requires.
// planTransition (case-lifecycle.ts) interprets it.

import type { CaseState, DeadlineKind, Role } from './vocabulary.ts';

export const TRANSITION_NAMES = [
  'submit',
  'start_triage',
  'classify',
  'request_info',
  'reporter_reply',
  'proceed_without_reply',
  'return',
  'file',
  'merge',
  'transfer',
  'refer',
  'accept',
  'not_accept',
  'examine',
  'assign',
  'mark_signs_of_violation',
  'extend_resolution',
  'pause',
  'resume',
  'terminate',
  'conclude',
  'close',
  'withdraw',
] as const;
export type TransitionName = (typeof TRANSITION_NAMES)[number];

/** 'system' is a worker or the service itself; 'reporter' is whoever holds the receipt. */
export type TransitionActor = 'system' | 'reporter' | Role;

/** Parameters or facts a transition cannot be made without. */
export type Requirement =
  | 'classification' // params.classification
  | 'classified' // the case already has a classification
  | 'filing_reason'
  | 'not_accept_reason'
  | 'termination_reason'
  | 'pause_reason'
  | 'return_guidance'
  | 'conclusion_outcome'
  | 'investigators' // params.investigatorIds or already assigned
  | 'target_body' // an inspection body inside the system
  | 'external_body' // a competent body outside the system
  | 'merged_into'
  | 'decision_ref'
  | 'complexity' // params.complexity, not 'normal'
  | 'cadre' // the case concerns a cadre in the directory
  | 'resume_state'
  | 'reporter_answered';

/** Rules about the case as a whole, beyond single parameters. */
export type Guard =
  | 'classification_allowed' // 'denunciation' only for an identified reporter with a signed petition
  | 'referable' // classified, not a complaint, specific when anonymous or Art. 25
  | 'denunciation_path' // a signed denunciation by an identified reporter
  | 'not_denunciation' // examined without acceptance: Art. 25 information, feedback, petitions
  | 'not_denunciation_after_referral' // a referred denunciation is not_accepted, never filed
  | 'outside_congress_window' // received before a congress: recorded, not resolved before it
  | 'extension_available' // once for complex, twice for especially complex
  | 'before_acceptance'; // withdrawal by the reporter only until the case is taken up

/**
 * A deadline effect. 'clock_of_from' and 'clock_of_to' are the clocks of the state left
 * and the state entered (CASE_STATE_INFO.clock). Effects apply in order; a clock is kept
 * per case, kind and handling body, so refer can stop the Front's triage clock and start
 * the inspection body's own.
 */
export type DeadlineEffectDef = {
  kind: DeadlineKind | 'clock_of_from' | 'clock_of_to';
  op: 'start' | 'stop' | 'pause' | 'resume' | 'extend';
  /** What a started clock counts from; 'received' backdates it to the submission. */
  anchor?: 'now' | 'received';
  /** Applies only when the named parameter is true. */
  when?: 'outside_competence';
};

export type HoldEffectDef =
  | 'none'
  | 'propose' // run the hold proposal job, unless the case rests on an anonymous report alone
  | 'lift_terminated'
  | 'lift_withdrawn'
  | 'lift_dismissed'
  | 'by_outcome'; // conclusion: not_substantiated lifts and clears, otherwise keep

export type TransitionDef = {
  /** Empty with isInitial: the case does not exist yet. */
  from: readonly CaseState[];
  /** 'same' records an event without moving; 'resume' goes back to the saved state. */
  to: CaseState | 'same' | 'resume';
  by: readonly TransitionActor[];
  requires: readonly Requirement[];
  guards: readonly Guard[];
  deadlines: readonly DeadlineEffectDef[];
  /** Shown on the reporter's timeline (with the public label, never staff notes). */
  isPublic: boolean;
  holds: HoldEffectDef;
  isInitial?: true;
  /** Remember the state left, to come back to it (needs_info, paused). */
  savesResumeState?: true;
  setsFlag?: 'merged' | 'signsOfViolation' | 'complexity';
};

const INSPECTION_STAFF = ['inspection_investigator', 'inspection_lead'] as const;
const ANY_CASE_STAFF = ['front_reviewer', ...INSPECTION_STAFF] as const;

export const CASE_TRANSITIONS: Record<TransitionName, TransitionDef> = {
  submit: {
    from: [], to: 'received', by: ['reporter', 'front_member'], requires: [], guards: [],
    deadlines: [{ kind: 'triage', op: 'start', anchor: 'received' }],
    isPublic: true, holds: 'none', isInitial: true,
  },
  start_triage: {
    from: ['received'], to: 'triage', by: ['system', 'front_reviewer'], requires: [], guards: [],
    deadlines: [], isPublic: true, holds: 'none',
  },
  classify: {
    from: ['triage'], to: 'same', by: ['front_reviewer'], requires: ['classification'],
    guards: ['classification_allowed'],
    // The 5-working-day transfer limit counts from receipt, like triage.
    deadlines: [{ kind: 'transfer', op: 'start', anchor: 'received', when: 'outside_competence' }],
    isPublic: false, holds: 'none',
  },
  request_info: {
    from: ['triage', 'referred', 'verifying'], to: 'needs_info', by: ANY_CASE_STAFF, requires: [], guards: [],
    deadlines: [{ kind: 'clock_of_from', op: 'pause' }, { kind: 'reporter_reply', op: 'start', anchor: 'now' }],
    isPublic: true, holds: 'none', savesResumeState: true,
  },
  reporter_reply: {
    from: ['needs_info'], to: 'resume', by: ['reporter'], requires: ['resume_state'], guards: [],
    deadlines: [{ kind: 'reporter_reply', op: 'stop' }, { kind: 'clock_of_to', op: 'resume' }],
    isPublic: true, holds: 'none',
  },
  proceed_without_reply: {
    from: ['needs_info'], to: 'resume', by: ['system', ...ANY_CASE_STAFF], requires: ['resume_state'], guards: [],
    deadlines: [{ kind: 'reporter_reply', op: 'stop' }, { kind: 'clock_of_to', op: 'resume' }],
    isPublic: true, holds: 'none',
  },
  return: {
    from: ['triage'], to: 'returned', by: ['front_reviewer'], requires: ['return_guidance'], guards: [],
    deadlines: [{ kind: 'triage', op: 'stop' }, { kind: 'transfer', op: 'stop' }],
    isPublic: true, holds: 'none',
  },
  file: {
    from: ['triage', 'referred'], to: 'filed', by: ['front_reviewer', 'inspection_lead'],
    requires: ['filing_reason'], guards: ['not_denunciation_after_referral'],
    deadlines: [{ kind: 'clock_of_from', op: 'stop' }, { kind: 'transfer', op: 'stop' }],
    isPublic: true, holds: 'lift_dismissed',
  },
  merge: {
    from: ['triage'], to: 'filed', by: ['front_reviewer'], requires: ['merged_into'], guards: [],
    deadlines: [{ kind: 'triage', op: 'stop' }, { kind: 'transfer', op: 'stop' }],
    isPublic: true, holds: 'none', setsFlag: 'merged',
  },
  transfer: {
    from: ['triage'], to: 'transferred', by: ['front_reviewer'], requires: ['classified', 'external_body'], guards: [],
    deadlines: [{ kind: 'triage', op: 'stop' }, { kind: 'transfer', op: 'stop' }],
    isPublic: true, holds: 'none',
  },
  refer: {
    from: ['triage'], to: 'referred', by: ['front_reviewer'], requires: ['classified', 'target_body'],
    guards: ['referable'],
    // The inspection body gets its own clock for the acceptance decision.
    deadlines: [
      { kind: 'triage', op: 'stop' },
      { kind: 'transfer', op: 'stop' },
      { kind: 'triage', op: 'start', anchor: 'now' },
    ],
    isPublic: true, holds: 'none',
  },
  accept: {
    from: ['referred'], to: 'accepted', by: ['inspection_lead'], requires: [],
    guards: ['denunciation_path', 'outside_congress_window'],
    deadlines: [{ kind: 'triage', op: 'stop' }, { kind: 'resolution', op: 'start', anchor: 'now' }],
    isPublic: true, holds: 'propose',
  },
  not_accept: {
    from: ['referred'], to: 'not_accepted', by: ['inspection_lead'], requires: ['not_accept_reason'],
    guards: ['denunciation_path'],
    deadlines: [{ kind: 'triage', op: 'stop' }],
    isPublic: true, holds: 'lift_dismissed',
  },
  examine: {
    from: ['referred'], to: 'verifying', by: ['inspection_lead'], requires: ['investigators'],
    guards: ['not_denunciation', 'outside_congress_window'],
    deadlines: [{ kind: 'triage', op: 'stop' }, { kind: 'resolution', op: 'start', anchor: 'now' }],
    isPublic: true, holds: 'none',
  },
  assign: {
    from: ['accepted'], to: 'verifying', by: ['inspection_lead'], requires: ['investigators'], guards: [],
    deadlines: [], isPublic: true, holds: 'none',
  },
  mark_signs_of_violation: {
    from: ['accepted', 'verifying'], to: 'same', by: ['inspection_lead'], requires: ['cadre'], guards: [],
    deadlines: [], isPublic: false, holds: 'propose', setsFlag: 'signsOfViolation',
  },
  extend_resolution: {
    from: ['accepted', 'verifying', 'paused'], to: 'same', by: ['inspection_lead'],
    requires: ['complexity', 'decision_ref'], guards: ['extension_available'],
    deadlines: [{ kind: 'resolution', op: 'extend' }],
    isPublic: true, holds: 'none', setsFlag: 'complexity',
  },
  pause: {
    from: ['accepted', 'verifying'], to: 'paused', by: ['inspection_lead'], requires: ['pause_reason'], guards: [],
    deadlines: [{ kind: 'resolution', op: 'pause' }],
    isPublic: true, holds: 'none', savesResumeState: true,
  },
  resume: {
    from: ['paused'], to: 'resume', by: ['inspection_lead'], requires: ['resume_state'], guards: [],
    deadlines: [{ kind: 'resolution', op: 'resume' }],
    isPublic: true, holds: 'none',
  },
  terminate: {
    from: ['accepted', 'verifying', 'paused'], to: 'terminated', by: ['inspection_lead'],
    requires: ['termination_reason'], guards: [],
    deadlines: [{ kind: 'resolution', op: 'stop' }],
    isPublic: true, holds: 'lift_terminated',
  },
  conclude: {
    from: ['verifying'], to: 'concluded', by: ['inspection_lead'], requires: ['conclusion_outcome'], guards: [],
    deadlines: [{ kind: 'resolution', op: 'stop' }],
    isPublic: true, holds: 'by_outcome',
  },
  close: {
    from: ['returned', 'filed', 'transferred', 'not_accepted', 'terminated', 'concluded'], to: 'closed',
    by: ['system'], requires: ['reporter_answered'], guards: [],
    deadlines: [], isPublic: true, holds: 'none',
  },
  withdraw: {
    from: ['received', 'triage', 'needs_info', 'referred'], to: 'withdrawn', by: ['reporter'], requires: [],
    guards: ['before_acceptance'],
    deadlines: [
      { kind: 'triage', op: 'stop' },
      { kind: 'transfer', op: 'stop' },
      { kind: 'reporter_reply', op: 'stop' },
    ],
    isPublic: true, holds: 'lift_withdrawn',
  },
};

export const isTransitionName = (name: string): name is TransitionName =>
  (TRANSITION_NAMES as readonly string[]).includes(name);
