// Access control in one place. Every route and page asks decide(actor, action, resource);
// access follows the actor's body and role, never merely being signed in.
//
// Scoping by level: a body sees exactly the cases sealed or granted to it (resource.bodyIds)
// and acts only on those it is handling. Nothing is inherited up or down: a city inspection
// committee does not see a district's cases, nor a district a city's, unless routing sealed
// the case to it at submission or a member of a granted body forwarded it (audited).

import { mayActorMake } from './case-lifecycle.ts';
import { AppError } from './errors.ts';
import type {
  Action,
  Actor,
  BodyKeyResource,
  CaseAction,
  CaseQueueResource,
  CaseResource,
  DirectoryResource,
  HoldResource,
  PersonnelResource,
  ResourceFor,
  StaffResource,
  StaffTransitionName,
} from './policy-actions.ts';
import type { BodyKind, Role } from './vocabulary.ts';

export * from './policy-actions.ts';

export type DenialCode =
  | 'ROLE_BODY_MISMATCH'
  | 'ROLE_NOT_PERMITTED'
  | 'NO_CASE_ACCESS'
  | 'SELF_CONCERNED'
  | 'RECUSED'
  | 'NOT_GRANTED_TO_BODY'
  | 'NOT_HANDLING_BODY'
  | 'NOT_OWN_BODY'
  | 'IDENTITY_ACCESS_NOT_APPROVED'
  | 'SAME_PERSON'
  | 'TARGET_NOT_ELIGIBLE'
  | 'TRANSITION_NOT_PERMITTED';

export type Decision = { allowed: true } | { allowed: false; reason: { code: DenialCode; message: string } };

const ALLOW: Decision = { allowed: true };
const deny = (code: DenialCode, message: string): Decision => ({ allowed: false, reason: { code, message } });

const INSPECTION_BODY_KINDS: readonly BodyKind[] = ['inspection_committee', 'internal_affairs', 'inspectorate'];

/** The kinds of body each role can belong to; anything else is a misconfigured account. */
export const ROLE_BODY_KINDS: Record<Role, readonly BodyKind[]> = {
  front_member: ['front_intake'],
  front_reviewer: ['front_intake'],
  inspection_investigator: INSPECTION_BODY_KINDS,
  inspection_lead: INSPECTION_BODY_KINDS,
  personnel_officer: ['organization_board'],
  administrator: ['administration'],
  auditor: ['administration'],
};

/** These roles never see a case: not its content, not its metadata, not its keys. */
const NO_CASE_ROLES: readonly Role[] = ['personnel_officer', 'administrator', 'auditor'];

const READERS: readonly Role[] = ['front_reviewer', 'inspection_investigator', 'inspection_lead'];

type CaseRule = { roles: readonly Role[]; needs: 'grant' | 'handling' };

/** Who may do what on a case they can see; transitions come from the lifecycle table. */
const CASE_RULES: Record<Exclude<CaseAction, 'case.list' | 'case.submit_on_behalf' | 'case.merge'>, CaseRule> = {
  'case.read_metadata': { roles: READERS, needs: 'grant' },
  'case.read_content': { roles: READERS, needs: 'grant' },
  'case.read_identity': { roles: READERS, needs: 'grant' },
  // The custodian: the inspection lead, or at a Front desk (which has no lead role) another reviewer.
  'case.approve_identity_access': { roles: ['front_reviewer', 'inspection_lead'], needs: 'handling' },
  'case.message_reporter': { roles: READERS, needs: 'handling' },
  'case.note': { roles: READERS, needs: 'grant' },
  'case.assign': { roles: ['inspection_lead'], needs: 'handling' },
  'case.forward': { roles: ['front_reviewer', 'inspection_lead'], needs: 'handling' },
  'case.recuse': { roles: READERS, needs: 'grant' },
  'case.export': { roles: ['inspection_lead'], needs: 'handling' },
};

/** Roles that may hold a body's private key, by kind of body. */
const KEY_HOLDERS: Partial<Record<BodyKind, readonly Role[]>> = {
  front_intake: ['front_reviewer'],
  inspection_committee: ['inspection_investigator', 'inspection_lead'],
  internal_affairs: ['inspection_investigator', 'inspection_lead'],
  inspectorate: ['inspection_investigator', 'inspection_lead'],
};

/** Whether a body of this kind has members who may hold its key (and so may be granted a case key). */
export const holdsCaseKeys = (kind: string): boolean => (KEY_HOLDERS[kind as BodyKind]?.length ?? 0) > 0;

const roleOnly = (actor: Actor, roles: readonly Role[], action: string): Decision =>
  roles.includes(actor.role) ? ALLOW : deny('ROLE_NOT_PERMITTED', `A ${actor.role} may not ${action}.`);

const decideCase = (actor: Actor, action: CaseAction | StaffTransitionName, res: CaseResource): Decision => {
  if (NO_CASE_ROLES.includes(actor.role)) {
    return deny('NO_CASE_ACCESS', `A ${actor.role} never has access to cases, their content or their keys.`);
  }
  // Checked before anything else so a case about the actor stays invisible to them.
  if (actor.cadreId !== null && actor.cadreId === res.cadreId) {
    return deny('SELF_CONCERNED', 'A staff member never sees a case about themselves.');
  }
  if (res.recusedStaffIds.includes(actor.staffId)) {
    return deny('RECUSED', 'You have recused yourself from this case.');
  }
  if (!res.bodyIds.includes(actor.bodyId)) {
    return deny('NOT_GRANTED_TO_BODY', 'This case is not assigned or granted to your body.');
  }
  const isTransition = !action.startsWith('case.');
  if (isTransition || action === 'case.merge') {
    const name = (isTransition ? action : 'merge') as StaffTransitionName;
    const may = mayActorMake({ kind: 'staff', role: actor.role }, name, res.state, res.resumeState);
    if (!may.allowed) return deny('TRANSITION_NOT_PERMITTED', may.message);
  } else {
    const rule = CASE_RULES[action as keyof typeof CASE_RULES];
    const byRole = roleOnly(actor, rule.roles, action);
    if (!byRole.allowed) return byRole;
    if (rule.needs === 'grant') return action === 'case.read_identity' ? decideIdentityRead(actor, res) : ALLOW;
  }
  if (res.handlingBodyId !== actor.bodyId) {
    return deny('NOT_HANDLING_BODY', 'Only the body handling the case at this stage may do this.');
  }
  return action === 'case.approve_identity_access' ? decideIdentityApproval(actor, res) : ALLOW;
};

const decideIdentityRead = (actor: Actor, res: CaseResource): Decision => {
  const req = res.identityAccess;
  if (req === null || req.requestedBy !== actor.staffId || !req.reasonRecorded || req.approvedBy === null) {
    return deny(
      'IDENTITY_ACCESS_NOT_APPROVED',
      'Opening the reporter’s identity needs your recorded reason and the custodian’s approval.',
    );
  }
  if (req.approvedBy === actor.staffId) return deny('SAME_PERSON', 'You cannot approve your own identity request.');
  return ALLOW;
};

const decideIdentityApproval = (actor: Actor, res: CaseResource): Decision => {
  const req = res.identityAccess;
  if (req === null || !req.reasonRecorded) {
    return deny('IDENTITY_ACCESS_NOT_APPROVED', 'There is no identity request with a recorded reason to approve.');
  }
  if (req.requestedBy === actor.staffId) return deny('SAME_PERSON', 'A second person must approve the request.');
  return ALLOW;
};

const decideQueue = (actor: Actor, res: CaseQueueResource): Decision => {
  if (NO_CASE_ROLES.includes(actor.role)) {
    return deny('NO_CASE_ACCESS', `A ${actor.role} never has access to cases, their content or their keys.`);
  }
  const byRole = roleOnly(actor, READERS, 'list cases');
  if (!byRole.allowed) return byRole;
  // Each listed case still goes through isCaseVisibleTo (self-concerned, recusal).
  return res.bodyId === actor.bodyId ? ALLOW : deny('NOT_OWN_BODY', 'You can list only your own body’s cases.');
};

const decidePersonnel = (actor: Actor, action: string, res: PersonnelResource): Decision => {
  if (actor.cadreId !== null && actor.cadreId === res.cadreId) {
    return deny('SELF_CONCERNED', 'A staff member never handles a personnel action about themselves.');
  }
  const isInspection = actor.role === 'inspection_lead' || actor.role === 'inspection_investigator';
  if (action === 'personnel.view_holds' && isInspection) {
    return res.holdBodyIds.includes(actor.bodyId)
      ? ALLOW
      : deny('NOT_GRANTED_TO_BODY', 'Your body placed no hold on this action.');
  }
  const byRole = roleOnly(actor, ['personnel_officer'], action);
  if (!byRole.allowed) return byRole;
  return res.ownerBodyId === actor.bodyId ? ALLOW : deny('NOT_OWN_BODY', 'This action is recorded by another body.');
};

const decideHold = (actor: Actor, action: string, res: HoldResource): Decision => {
  const byRole = roleOnly(actor, ['inspection_lead'], action);
  if (!byRole.allowed) return byRole;
  if (actor.cadreId !== null && actor.cadreId === res.cadreId) {
    return deny('SELF_CONCERNED', 'A staff member never decides a hold about themselves.');
  }
  if (res.recusedStaffIds.includes(actor.staffId)) return deny('RECUSED', 'You have recused yourself from this case.');
  return res.placedByBodyId === actor.bodyId ? ALLOW : deny('NOT_OWN_BODY', 'This hold belongs to another body’s case.');
};

const decideDirectory = (actor: Actor, action: string, res: DirectoryResource): Decision => {
  // The directory is deployment reference data, like bodies and routing: administrators keep all of it.
  if (actor.role === 'administrator') return ALLOW;
  const byRole = roleOnly(actor, ['personnel_officer'], action);
  if (!byRole.allowed) return byRole;
  if (res.cadreId !== null && actor.cadreId === res.cadreId) {
    return deny('SELF_CONCERNED', 'You cannot edit your own directory entry.');
  }
  return res.managingBodyId === actor.bodyId ? ALLOW : deny('NOT_OWN_BODY', 'These cadres are managed by another body.');
};

const decideKey = (actor: Actor, res: BodyKeyResource): Decision => {
  if (NO_CASE_ROLES.includes(actor.role)) {
    return deny('NO_CASE_ACCESS', `A ${actor.role} never has access to cases, their content or their keys.`);
  }
  const byRole = roleOnly(actor, ['front_reviewer', 'inspection_lead'], 'grant a body key');
  if (!byRole.allowed) return byRole;
  if (res.bodyId !== actor.bodyId) return deny('NOT_OWN_BODY', 'You can grant only your own body’s key.');
  if (res.targetStaffId === actor.staffId) return deny('SAME_PERSON', 'You cannot grant a key to yourself.');
  const holders = KEY_HOLDERS[actor.bodyKind] ?? [];
  if (res.targetBodyId !== res.bodyId || !holders.includes(res.targetRole)) {
    return deny('TARGET_NOT_ELIGIBLE', 'The body key goes only to case-handling members of the same body.');
  }
  return ALLOW;
};

/** Decides whether the actor may perform the action on the resource. */
export const decide = <A extends Action>(actor: Actor, action: A, resource: ResourceFor<A>): Decision => {
  if (!ROLE_BODY_KINDS[actor.role].includes(actor.bodyKind)) {
    return deny('ROLE_BODY_MISMATCH', `A ${actor.role} cannot act from a ${actor.bodyKind} body.`);
  }
  const family = action.slice(0, action.indexOf('.'));
  switch (family) {
    case 'case':
      if (action === 'case.list') return decideQueue(actor, resource as CaseQueueResource);
      if (action === 'case.submit_on_behalf') {
        const may = mayActorMake({ kind: 'staff', role: actor.role }, 'submit', null, null);
        return may.allowed ? ALLOW : deny('TRANSITION_NOT_PERMITTED', may.message);
      }
      if (action.startsWith('case.transition:')) {
        return decideCase(actor, action.slice('case.transition:'.length) as StaffTransitionName, resource as CaseResource);
      }
      return decideCase(actor, action as CaseAction, resource as CaseResource);
    case 'personnel':
      return decidePersonnel(actor, action, resource as PersonnelResource);
    case 'hold':
      return decideHold(actor, action, resource as HoldResource);
    case 'cadre':
      return decideDirectory(actor, action, resource as DirectoryResource);
    case 'audit':
      return roleOnly(actor, ['auditor'], action);
    case 'key':
      return decideKey(actor, resource as BodyKeyResource);
    default: {
      const byRole = roleOnly(actor, ['administrator'], action);
      if (byRole.allowed && action === 'staff.manage' && (resource as StaffResource).targetStaffId === actor.staffId) {
        // No one raises their own role or resets their own second factor.
        return deny('SAME_PERSON', 'An administrator cannot change their own account.');
      }
      return byRole;
    }
  }
};

/** For list queries: whether a case may appear at all (self-concerned and recusal included). */
export const isCaseVisibleTo = (actor: Actor, resource: CaseResource): boolean =>
  decide(actor, 'case.read_metadata', resource).allowed;

/**
 * Turns a refusal into the error the API sends. A case about the actor, or one their body
 * does not hold, answers NOT_FOUND: a refusal would confirm that the case exists.
 */
export const assertAllowed = (decision: Decision): void => {
  if (decision.allowed) return;
  const { code, message } = decision.reason;
  if (code === 'SELF_CONCERNED' || code === 'NOT_GRANTED_TO_BODY') throw new AppError('NOT_FOUND');
  throw new AppError('FORBIDDEN', message, { reason: code });
};
