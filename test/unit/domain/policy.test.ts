import { describe, expect, it } from 'vitest';
import {
  ALL_ACTIONS,
  assertAllowed,
  decide,
  isCaseVisibleTo,
  type Action,
  type Actor,
  type CaseResource,
  type ResourceFor,
} from '../../../server/domain/policy.ts';
import type { CaseState, Role } from '../../../server/domain/vocabulary.ts';
import { codeOf } from '../../factories/domain.ts';
import { BODY_OF, MATRIX_STATE, actorFor, caseResource, fullResource } from '../../factories/policy.ts';

const ROLES = Object.keys(BODY_OF) as Role[];
const check = (actor: Actor, action: Action, resource: unknown) =>
  decide(actor, action, resource as ResourceFor<typeof action>);

describe('a staff member never sees a case about themselves', () => {
  const caseRoles = ['front_reviewer', 'inspection_investigator', 'inspection_lead'] as const;
  const caseActions = ALL_ACTIONS.filter((a) => a.startsWith('case.') && a !== 'case.list' && a !== 'case.submit_on_behalf');

  it.each(caseRoles)('refuses every case action to a %s who is the cadre concerned', (role) => {
    const actor = actorFor(role, { cadreId: 'cadre-9' });
    for (const action of caseActions) {
      const d = check(actor, action, fullResource(actor, action));
      expect(d.allowed ? 'allowed' : d.reason.code, action).toBe('SELF_CONCERNED');
    }
  });

  it('hides the case entirely: not in lists, and answered as not found', () => {
    const actor = actorFor('inspection_lead', { cadreId: 'cadre-9' });
    const res = caseResource(actor);
    expect(isCaseVisibleTo(actor, res)).toBe(false);
    expect(codeOf(() => assertAllowed(decide(actor, 'case.read_metadata', res)))).toBe('NOT_FOUND');
  });

  it('still shows cases about other cadres to a staff member who is in the directory', () => {
    const actor = actorFor('inspection_lead', { cadreId: 'cadre-1' });
    expect(isCaseVisibleTo(actor, caseResource(actor))).toBe(true);
  });

  it('refuses a personnel officer handling their own personnel action', () => {
    const actor = actorFor('personnel_officer', { cadreId: 'cadre-9' });
    const d = decide(actor, 'personnel.approve', { ownerBodyId: actor.bodyId, cadreId: 'cadre-9', holdBodyIds: [] });
    expect(d.allowed ? 'allowed' : d.reason.code).toBe('SELF_CONCERNED');
  });

  it('refuses an inspection lead deciding a hold about themselves', () => {
    const actor = actorFor('inspection_lead', { cadreId: 'cadre-9' });
    expect(decide(actor, 'hold.lift', { placedByBodyId: actor.bodyId, cadreId: 'cadre-9', recusedStaffIds: [] }).allowed).toBe(false);
  });

  it('refuses a personnel officer editing their own directory entry', () => {
    const actor = actorFor('personnel_officer', { cadreId: 'cadre-9' });
    expect(decide(actor, 'cadre.manage', { managingBodyId: actor.bodyId, cadreId: 'cadre-9' }).allowed).toBe(false);
  });
});

describe('recusal', () => {
  it.each(['front_reviewer', 'inspection_investigator', 'inspection_lead'] as const)(
    'refuses every case action to a recused %s',
    (role) => {
      const actor = actorFor(role);
      for (const action of ALL_ACTIONS.filter((a) => a.startsWith('case.') && a !== 'case.list' && a !== 'case.submit_on_behalf')) {
        const res = { ...(fullResource(actor, action) as CaseResource), recusedStaffIds: [actor.staffId] };
        const d = check(actor, action, res);
        expect(d.allowed ? 'allowed' : d.reason.code, action).toBe('RECUSED');
      }
    },
  );

  it('leaves a colleague’s access untouched by another’s recusal', () => {
    const actor = actorFor('inspection_lead');
    expect(decide(actor, 'case.read_content', caseResource(actor, { recusedStaffIds: ['someone-else'] })).allowed).toBe(true);
  });

  it('refuses a recused lead deciding the case’s holds', () => {
    const actor = actorFor('inspection_lead');
    const d = decide(actor, 'hold.confirm', { placedByBodyId: actor.bodyId, cadreId: 'c', recusedStaffIds: [actor.staffId] });
    expect(d.allowed ? 'allowed' : d.reason.code).toBe('RECUSED');
  });
});

describe('access by body and level', () => {
  const lead = actorFor('inspection_lead');

  it('refuses a case not granted to the actor’s body, answering not found', () => {
    const res = caseResource(lead, { bodyIds: ['ubkt-q1'], handlingBodyId: 'ubkt-q1' });
    const d = decide(lead, 'case.read_content', res);
    expect(d.allowed ? 'allowed' : d.reason.code).toBe('NOT_GRANTED_TO_BODY');
    expect(codeOf(() => assertAllowed(d))).toBe('NOT_FOUND');
  });

  it('gives a city body no view of a district case, and a district body none of a city case', () => {
    const district = actorFor('inspection_lead', { bodyId: 'ubkt-q1', bodyLevel: 'district' });
    const cityCase = caseResource(lead);
    const districtCase = caseResource(district);
    expect(decide(district, 'case.read_metadata', cityCase).allowed).toBe(false);
    expect(decide(lead, 'case.read_metadata', districtCase).allowed).toBe(false);
  });

  it('lets a granted body read a case it is not handling, but not act on it', () => {
    const frontReviewer = actorFor('front_reviewer');
    const referred = caseResource(frontReviewer, { bodyIds: ['mttq-q1', 'ubkt-tp'], handlingBodyId: 'ubkt-tp', state: 'referred' });
    expect(decide(frontReviewer, 'case.read_content', referred).allowed).toBe(true);
    const msg = decide(frontReviewer, 'case.message_reporter', referred);
    expect(msg.allowed ? 'allowed' : msg.reason.code).toBe('NOT_HANDLING_BODY');
  });

  it('refuses a transition to a granted body that is not handling the case', () => {
    const res = caseResource(lead, { bodyIds: ['ubkt-tp', 'thanh-tra'], handlingBodyId: 'thanh-tra', state: 'referred' });
    const d = decide(lead, 'case.transition:accept', res);
    expect(d.allowed ? 'allowed' : d.reason.code).toBe('NOT_HANDLING_BODY');
  });

  it('lets a Front reviewer list only their own desk’s queue', () => {
    const fr = actorFor('front_reviewer');
    expect(decide(fr, 'case.list', { bodyId: 'mttq-q1' }).allowed).toBe(true);
    expect(decide(fr, 'case.list', { bodyId: 'mttq-q3' }).allowed).toBe(false);
  });

  it('refuses a role acting from the wrong kind of body', () => {
    const misplaced = actorFor('front_reviewer', { bodyKind: 'inspection_committee' });
    const d = decide(misplaced, 'case.read_metadata', caseResource(misplaced));
    expect(d.allowed ? 'allowed' : d.reason.code).toBe('ROLE_BODY_MISMATCH');
  });

  it('lets Internal Affairs and the Inspectorate work cases referred to them', () => {
    const ia = actorFor('inspection_lead', { bodyId: 'noi-chinh', bodyKind: 'internal_affairs' });
    expect(decide(ia, 'case.transition:accept', caseResource(ia, { state: 'referred' })).allowed).toBe(true);
  });
});

describe('transition permissions come from the lifecycle table', () => {
  it('lets inspection staff ask the reporter during verification but not the Front', () => {
    const res = (a: Actor) => caseResource(a, { state: 'verifying' });
    for (const role of ['inspection_investigator', 'inspection_lead'] as const) {
      expect(decide(actorFor(role), 'case.transition:request_info', res(actorFor(role))).allowed).toBe(true);
    }
    const fr = actorFor('front_reviewer');
    const d = decide(fr, 'case.transition:request_info', res(fr));
    expect(d.allowed ? 'allowed' : d.reason.code).toBe('TRANSITION_NOT_PERMITTED');
  });

  it('lets the inspection lead file a referred case, not the Front reviewer', () => {
    const l = actorFor('inspection_lead');
    const fr = actorFor('front_reviewer');
    expect(decide(l, 'case.transition:file', caseResource(l, { state: 'referred' })).allowed).toBe(true);
    expect(decide(fr, 'case.transition:file', caseResource(fr, { state: 'referred' })).allowed).toBe(false);
  });

  it('never lets staff make the reporter’s or the system’s moves', () => {
    for (const role of ROLES) {
      const a = actorFor(role);
      for (const t of ['reporter_reply', 'withdraw', 'close'] as const) {
        expect(decide(a, `case.transition:${t}`, caseResource(a, { state: MATRIX_STATE[t] as CaseState })).allowed).toBe(false);
      }
    }
  });
});

describe('opening the reporter’s identity', () => {
  const inv = actorFor('inspection_investigator');
  const withRequest = (approvedBy: string | null, reasonRecorded = true, requestedBy = inv.staffId) =>
    caseResource(inv, { identityAccess: { requestedBy, reasonRecorded, approvedBy } });

  it('refuses without a recorded reason and a custodian’s approval', () => {
    expect(decide(inv, 'case.read_identity', caseResource(inv)).allowed).toBe(false);
    expect(decide(inv, 'case.read_identity', withRequest(null)).allowed).toBe(false);
    expect(decide(inv, 'case.read_identity', withRequest('lead-1', false)).allowed).toBe(false);
    expect(decide(inv, 'case.read_identity', withRequest('lead-1')).allowed).toBe(true);
  });

  it('opens the identity only to the staff member who asked', () => {
    expect(decide(inv, 'case.read_identity', withRequest('lead-1', true, 'another-investigator')).allowed).toBe(false);
  });

  it('refuses the requester approving their own request', () => {
    const lead = actorFor('inspection_lead');
    const res = caseResource(lead, { identityAccess: { requestedBy: lead.staffId, reasonRecorded: true, approvedBy: null } });
    const d = decide(lead, 'case.approve_identity_access', res);
    expect(d.allowed ? 'allowed' : d.reason.code).toBe('SAME_PERSON');
  });
});

describe('personnel, holds and keys', () => {
  it('refuses a personnel officer of another Organization Board', () => {
    const po = actorFor('personnel_officer', { bodyId: 'btc-q1' });
    expect(decide(po, 'personnel.approve', { ownerBodyId: 'btc-tp', cadreId: 'c', holdBodyIds: [] }).allowed).toBe(false);
  });

  it('shows holds to an inspection body only on actions it placed a hold on', () => {
    const l = actorFor('inspection_lead');
    expect(decide(l, 'personnel.view_holds', { ownerBodyId: 'btc-tp', cadreId: 'c', holdBodyIds: ['ubkt-tp'] }).allowed).toBe(true);
    expect(decide(l, 'personnel.view_holds', { ownerBodyId: 'btc-tp', cadreId: 'c', holdBodyIds: ['ubkt-q1'] }).allowed).toBe(false);
  });

  it('refuses a lead deciding another body’s hold', () => {
    const l = actorFor('inspection_lead');
    expect(decide(l, 'hold.proceed_anyway_record', { placedByBodyId: 'ubkt-q1', cadreId: 'c', recusedStaffIds: [] }).allowed).toBe(false);
  });

  it('grants a body key only to a case-handling member of the same body, never to oneself', () => {
    const l = actorFor('inspection_lead');
    const grant = (over: object) =>
      decide(l, 'key.grant_body_key', { bodyId: l.bodyId, targetStaffId: 'n', targetRole: 'inspection_investigator', targetBodyId: l.bodyId, ...over });
    expect(grant({}).allowed).toBe(true);
    expect(grant({ targetRole: 'administrator' }).allowed).toBe(false);
    expect(grant({ targetRole: 'personnel_officer' }).allowed).toBe(false);
    expect(grant({ targetBodyId: 'ubkt-q1' }).allowed).toBe(false);
    expect(grant({ bodyId: 'ubkt-q1', targetBodyId: 'ubkt-q1' }).allowed).toBe(false);
    expect(grant({ targetStaffId: l.staffId }).allowed).toBe(false);
  });

  it('refuses an administrator changing their own account', () => {
    const admin = actorFor('administrator');
    const d = decide(admin, 'staff.manage', { targetStaffId: admin.staffId });
    expect(d.allowed ? 'allowed' : d.reason.code).toBe('SAME_PERSON');
  });

  it('turns other refusals into FORBIDDEN with the reason code', () => {
    const d = decide(actorFor('auditor'), 'case.read_content', caseResource(actorFor('auditor')));
    expect(codeOf(() => assertAllowed(d))).toBe('FORBIDDEN');
    expect(codeOf(() => assertAllowed({ allowed: true }))).toBe('no error');
  });
});
