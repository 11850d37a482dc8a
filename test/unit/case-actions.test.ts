import { describe, expect, it } from 'vitest';
import { listCaseActions, STAFF_TRANSITIONS } from '../../server/domain/case-actions.ts';
import { actorFor, caseResource } from '../factories/policy.ts';

const none = { hasIdentity: false, hasOwnOpenRequest: false, hasPendingRequestOfOther: false };
const byName = (list: ReturnType<typeof listCaseActions>) => new Map(list.map((a) => [a.name, a]));

describe('case page actions', () => {
  it('lists every staff transition and page action once, never the reporter’s or the system’s', () => {
    const names = listCaseActions(actorFor('front_reviewer'), caseResource(actorFor('front_reviewer')), none).map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain('submit');
    expect(names).not.toContain('reporter_reply');
    expect(names).not.toContain('close');
    expect(names).not.toContain('withdraw');
    expect(names).toEqual(expect.arrayContaining([...STAFF_TRANSITIONS, 'note', 'export', 'request_identity', 'approve_identity']));
  });

  it('allows a Front reviewer to classify in triage and says why an inspection lead may not', () => {
    const reviewer = actorFor('front_reviewer');
    expect(byName(listCaseActions(reviewer, caseResource(reviewer, { state: 'triage' }), none)).get('classify')).toMatchObject({ allowed: true, reason: null });
    const lead = actorFor('inspection_lead');
    expect(byName(listCaseActions(lead, caseResource(lead, { state: 'triage' }), none)).get('classify')?.reason?.code).toBe('TRANSITION_NOT_PERMITTED');
  });

  it('names the wrong state before the role, so the reason says what would have to change', () => {
    const lead = actorFor('inspection_lead');
    const a = byName(listCaseActions(lead, caseResource(lead, { state: 'referred' }), none));
    expect(a.get('conclude')?.reason?.code).toBe('INVALID_TRANSITION');
    expect(a.get('examine')?.allowed).toBe(true);
  });

  it('refuses everything but reading to a body that is not handling the case', () => {
    const lead = actorFor('inspection_lead');
    const a = byName(listCaseActions(lead, caseResource(lead, { state: 'verifying', handlingBodyId: 'other-body' }), none));
    expect(a.get('conclude')?.reason?.code).toBe('NOT_HANDLING_BODY');
    expect(a.get('export')?.reason?.code).toBe('NOT_HANDLING_BODY');
    expect(a.get('note')?.allowed).toBe(true);
  });

  it('offers identity requests only when an identity exists and none is open, and approval only of another’s request', () => {
    const inv = actorFor('inspection_investigator');
    const res = caseResource(inv, { state: 'verifying' });
    expect(byName(listCaseActions(inv, res, none)).get('request_identity')?.reason?.code).toBe('NO_IDENTITY');
    expect(byName(listCaseActions(inv, res, { ...none, hasIdentity: true })).get('request_identity')?.allowed).toBe(true);
    expect(byName(listCaseActions(inv, res, { ...none, hasIdentity: true, hasOwnOpenRequest: true })).get('request_identity')?.reason?.code).toBe('ALREADY_REQUESTED');
    expect(byName(listCaseActions(inv, res, { ...none, hasPendingRequestOfOther: true })).get('approve_identity')?.reason?.code).toBe('ROLE_NOT_PERMITTED');
    const lead = actorFor('inspection_lead');
    expect(byName(listCaseActions(lead, caseResource(lead, { state: 'verifying' }), { ...none, hasPendingRequestOfOther: true })).get('approve_identity')?.allowed).toBe(true);
    expect(byName(listCaseActions(lead, caseResource(lead, { state: 'verifying' }), none)).get('approve_identity')?.reason?.code).toBe('IDENTITY_ACCESS_NOT_APPROVED');
  });
});
