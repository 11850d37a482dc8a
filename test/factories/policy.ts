// Staff members and resources for the access policy tests. Each role sits in a body of
// the right kind; a "full" resource is one the actor's own body fully holds.

import type { Action, Actor, CaseResource } from '../../server/domain/policy.ts';
import type { BodyKind, CaseState, Role } from '../../server/domain/vocabulary.ts';

export const BODY_OF: Record<Role, { id: string; kind: BodyKind }> = {
  front_member: { id: 'mttq-q1', kind: 'front_intake' },
  front_reviewer: { id: 'mttq-q1', kind: 'front_intake' },
  inspection_investigator: { id: 'ubkt-tp', kind: 'inspection_committee' },
  inspection_lead: { id: 'ubkt-tp', kind: 'inspection_committee' },
  personnel_officer: { id: 'btc-tp', kind: 'organization_board' },
  administrator: { id: 'admin', kind: 'administration' },
  auditor: { id: 'admin', kind: 'administration' },
};

export const actorFor = (role: Role, over: Partial<Actor> = {}): Actor => ({
  staffId: `staff-${role}`,
  role,
  bodyId: BODY_OF[role].id,
  bodyKind: BODY_OF[role].kind,
  bodyLevel: 'city',
  bodyJurisdiction: 'hcm',
  cadreId: null,
  ...over,
});

/** The state each transition is tried in for the matrix. */
export const MATRIX_STATE: Record<string, CaseState> = {
  start_triage: 'received',
  classify: 'triage',
  request_info: 'triage',
  reporter_reply: 'needs_info',
  proceed_without_reply: 'needs_info',
  return: 'triage',
  file: 'triage',
  merge: 'triage',
  transfer: 'triage',
  refer: 'triage',
  accept: 'referred',
  not_accept: 'referred',
  examine: 'referred',
  assign: 'accepted',
  mark_signs_of_violation: 'verifying',
  extend_resolution: 'verifying',
  pause: 'verifying',
  resume: 'paused',
  terminate: 'verifying',
  conclude: 'verifying',
  close: 'concluded',
  withdraw: 'triage',
};

export const caseResource = (actor: Actor, over: Partial<CaseResource> = {}): CaseResource => ({
  caseId: 'case-1',
  bodyIds: [actor.bodyId],
  handlingBodyId: actor.bodyId,
  cadreId: 'cadre-9',
  recusedStaffIds: [],
  state: 'triage',
  resumeState: 'triage',
  identityAccess: null,
  ...over,
});

/** A resource the actor's body fully holds, for any action. */
export const fullResource = (actor: Actor, action: Action): unknown => {
  if (action.startsWith('case.transition:')) {
    const t = action.slice('case.transition:'.length);
    return caseResource(actor, { state: MATRIX_STATE[t] as CaseState });
  }
  switch (action) {
    case 'case.list':
      return { bodyId: actor.bodyId };
    case 'case.submit_on_behalf':
      return null;
    case 'case.read_identity':
      return caseResource(actor, { identityAccess: { requestedBy: actor.staffId, reasonRecorded: true, approvedBy: 'custodian' } });
    case 'case.approve_identity_access':
      return caseResource(actor, { identityAccess: { requestedBy: 'colleague', reasonRecorded: true, approvedBy: null } });
  }
  if (action.startsWith('case.')) return caseResource(actor);
  if (action.startsWith('personnel.')) return { ownerBodyId: actor.bodyId, cadreId: 'cadre-9', holdBodyIds: [actor.bodyId] };
  if (action.startsWith('hold.')) return { placedByBodyId: actor.bodyId, cadreId: 'cadre-9', recusedStaffIds: [] };
  if (action.startsWith('cadre.')) return { managingBodyId: actor.bodyId, cadreId: 'cadre-9' };
  if (action === 'staff.manage') return { targetStaffId: 'someone-else' };
  if (action === 'key.grant_body_key') {
    const targetRole = actor.bodyKind === 'front_intake' ? 'front_reviewer' : 'inspection_investigator';
    return { bodyId: actor.bodyId, targetStaffId: 'new-member', targetRole, targetBodyId: actor.bodyId };
  }
  return null;
};
