// The actions the access policy decides, and the resource each one is about.

import { TRANSITION_NAMES, type TransitionName } from './case-transitions.ts';
import type { BodyKind, CaseState, Level, Role } from './vocabulary.ts';

/** A signed-in staff member, as the policy sees them. */
export type Actor = {
  staffId: string;
  role: Role;
  bodyId: string;
  bodyKind: BodyKind;
  bodyLevel: Level;
  bodyJurisdiction: string;
  /** Set when the staff member is themselves in the cadre directory. */
  cadreId: string | null;
};

export const CASE_ACTIONS = [
  'case.list',
  'case.read_metadata',
  'case.read_content',
  'case.read_identity',
  'case.approve_identity_access',
  'case.submit_on_behalf',
  'case.message_reporter',
  'case.note',
  'case.assign',
  'case.forward',
  'case.recuse',
  'case.export',
  'case.merge',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** Submission is case.submit_on_behalf: there is no case yet to hold a transition. */
export type StaffTransitionName = Exclude<TransitionName, 'submit'>;
export type TransitionAction = `case.transition:${StaffTransitionName}`;
export const TRANSITION_ACTIONS: readonly TransitionAction[] = TRANSITION_NAMES.filter(
  (n): n is StaffTransitionName => n !== 'submit',
).map((n) => `case.transition:${n}` as const);

export const PERSONNEL_ACTIONS = [
  'personnel.create',
  'personnel.update',
  'personnel.publish_notice',
  'personnel.approve',
  'personnel.execute',
  'personnel.withdraw',
  'personnel.view_holds',
] as const;
export const HOLD_ACTIONS = [
  'hold.confirm', 'hold.refuse', 'hold.renew', 'hold.lift', 'hold.proceed_anyway_record',
  // Retaliation watch: mark an identified reporter who is a cadre as protected, and review
  // an adverse personnel action about them (the resource's body is the protecting body).
  'hold.protect_reporter', 'hold.review_adverse',
] as const;
export const DIRECTORY_ACTIONS = ['cadre.manage', 'cadre.import'] as const;
export const ADMIN_ACTIONS = ['body.manage', 'staff.manage', 'routing.manage', 'holiday.manage', 'queue.dashboard'] as const;
export const AUDIT_ACTIONS = ['audit.read', 'audit.verify'] as const;
export const KEY_ACTIONS = ['key.grant_body_key'] as const;

export type PersonnelAction = (typeof PERSONNEL_ACTIONS)[number];
export type HoldAction = (typeof HOLD_ACTIONS)[number];
export type DirectoryAction = (typeof DIRECTORY_ACTIONS)[number];
export type AdminAction = (typeof ADMIN_ACTIONS)[number];
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export type KeyAction = (typeof KEY_ACTIONS)[number];

export type Action =
  | CaseAction
  | TransitionAction
  | PersonnelAction
  | HoldAction
  | DirectoryAction
  | AdminAction
  | AuditAction
  | KeyAction;

export const ALL_ACTIONS: readonly Action[] = [
  ...CASE_ACTIONS,
  ...TRANSITION_ACTIONS,
  ...PERSONNEL_ACTIONS,
  ...HOLD_ACTIONS,
  ...DIRECTORY_ACTIONS,
  ...ADMIN_ACTIONS,
  ...AUDIT_ACTIONS,
  ...KEY_ACTIONS,
];

/** A request to open the reporter's identity: a recorded reason and a second person's approval. */
export type IdentityAccessRequest = {
  requestedBy: string;
  reasonRecorded: boolean;
  approvedBy: string | null;
};

export type CaseResource = {
  caseId: string;
  /** Bodies the case key is sealed or granted to. */
  bodyIds: readonly string[];
  /** The body whose turn it is: the Front intake desk, then the inspection body. */
  handlingBodyId: string | null;
  cadreId: string | null;
  recusedStaffIds: readonly string[];
  state: CaseState;
  resumeState: CaseState | null;
  identityAccess: IdentityAccessRequest | null;
};

/** A body's case queue. */
export type CaseQueueResource = { bodyId: string };

export type PersonnelResource = {
  /** The Organization Board desk that records the action. */
  ownerBodyId: string;
  cadreId: string;
  /** Inspection bodies that placed holds on the action. */
  holdBodyIds: readonly string[];
};

export type HoldResource = {
  /** The inspection body whose case the hold comes from. */
  placedByBodyId: string;
  cadreId: string;
  /** Recusals declared on that case. */
  recusedStaffIds: readonly string[];
};

export type DirectoryResource = { managingBodyId: string; cadreId: string | null };
export type StaffResource = { targetStaffId: string };
export type BodyKeyResource = { bodyId: string; targetStaffId: string; targetRole: Role; targetBodyId: string };

type ResourceMap = {
  'case.list': CaseQueueResource;
  'case.submit_on_behalf': null;
  'staff.manage': StaffResource;
  'key.grant_body_key': BodyKeyResource;
} & Record<Exclude<CaseAction, 'case.list' | 'case.submit_on_behalf'> | TransitionAction, CaseResource> &
  Record<PersonnelAction, PersonnelResource> &
  Record<HoldAction, HoldResource> &
  Record<DirectoryAction, DirectoryResource> &
  Record<Exclude<AdminAction, 'staff.manage'> | AuditAction, null>;

export type ResourceFor<A extends Action> = ResourceMap[A];
