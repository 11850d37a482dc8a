import { describe, expect, it } from 'vitest';
import {
  CASE_TRANSITIONS,
  mayActorMake,
  planTransition,
  type ActorRef,
  type CaseFacts,
  type TransitionName,
  type TransitionParams,
  type TransitionPlan,
} from '../../../server/domain/case-lifecycle.ts';
import { CASE_STATES, ROLES, type CaseState } from '../../../server/domain/vocabulary.ts';
import { caseFacts, codeOf } from '../../factories/domain.ts';

// The expected table is written out here, independently of the implementation: a change
// to who may move a case, or from where, has to be made in both places.

const sys: ActorRef = { kind: 'system' };
const reporter: ActorRef = { kind: 'reporter' };
const staff = (role: (typeof ROLES)[number]): ActorRef => ({ kind: 'staff', role });
const front = staff('front_reviewer');
const lead = staff('inspection_lead');

const INTAKE_STATES: readonly CaseState[] = ['received', 'triage', 'returned', 'filed', 'transferred'];
/** The staff member who works a case in this state. */
const staffFor = (state: CaseState): ActorRef => (INTAKE_STATES.includes(state) ? front : lead);

type Expected = {
  from: readonly CaseState[];
  /** Where the move lands; undefined means the state does not change. */
  to?: CaseState;
  actor: (state: CaseState) => ActorRef;
  params?: TransitionParams;
  facts?: Partial<CaseFacts>;
};

const EXPECTED: Record<Exclude<TransitionName, 'submit'>, Expected> = {
  start_triage: { from: ['received'], to: 'triage', actor: () => sys },
  classify: { from: ['triage'], actor: () => front, params: { classification: 'petition' } },
  request_info: { from: ['triage', 'referred', 'verifying'], to: 'needs_info', actor: staffFor },
  reporter_reply: { from: ['needs_info'], to: 'triage', actor: () => reporter, facts: { resumeState: 'triage' } },
  proceed_without_reply: { from: ['needs_info'], to: 'verifying', actor: () => sys, facts: { resumeState: 'verifying' } },
  return: { from: ['triage'], to: 'returned', actor: () => front, params: { reasonCode: 'civil_dispute' } },
  file: {
    from: ['triage', 'referred'],
    to: 'filed',
    actor: staffFor,
    params: { reasonCode: 'duplicate' },
    facts: { classification: 'petition' },
  },
  merge: { from: ['triage'], to: 'filed', actor: () => front, params: { mergedIntoCaseId: 'case-0' } },
  transfer: { from: ['triage'], to: 'transferred', actor: () => front, params: { externalBodyRef: 'Tòa án quận 1' } },
  refer: { from: ['triage'], to: 'referred', actor: () => front, params: { targetBodyId: 'ubkt-city' } },
  accept: { from: ['referred'], to: 'accepted', actor: () => lead },
  not_accept: { from: ['referred'], to: 'not_accepted', actor: () => lead, params: { reasonCode: 'cannot_be_verified' } },
  examine: { from: ['referred'], to: 'verifying', actor: () => lead, facts: { classification: 'denunciation_information' } },
  assign: { from: ['accepted'], to: 'verifying', actor: () => lead, params: { investigatorIds: ['inv-2'] } },
  mark_signs_of_violation: { from: ['accepted', 'verifying'], actor: () => lead },
  extend_resolution: {
    from: ['accepted', 'verifying', 'paused'],
    actor: () => lead,
    params: { complexity: 'complex', decisionRef: 'QĐ 12/QĐ-UBKT' },
    facts: { resumeState: 'verifying' },
  },
  pause: { from: ['accepted', 'verifying'], to: 'paused', actor: () => lead, params: { reasonCode: 'awaiting_other_body' } },
  resume: { from: ['paused'], to: 'verifying', actor: () => lead, facts: { resumeState: 'verifying' } },
  terminate: {
    from: ['accepted', 'verifying', 'paused'],
    to: 'terminated',
    actor: () => lead,
    params: { reasonCode: 'accused_died' },
    facts: { resumeState: 'verifying' },
  },
  conclude: { from: ['verifying'], to: 'concluded', actor: () => lead, params: { outcome: 'substantiated' } },
  close: {
    from: ['returned', 'filed', 'transferred', 'not_accepted', 'terminated', 'concluded'],
    to: 'closed',
    actor: () => sys,
  },
  withdraw: {
    from: ['received', 'triage', 'needs_info', 'referred'],
    to: 'withdrawn',
    actor: () => reporter,
    facts: { resumeState: 'triage' },
  },
};

type ActorName = 'system' | 'reporter' | (typeof ROLES)[number];
const WHO: Record<TransitionName, readonly ActorName[]> = {
  submit: ['reporter', 'front_member'],
  start_triage: ['system', 'front_reviewer'],
  classify: ['front_reviewer'],
  request_info: ['front_reviewer', 'inspection_investigator', 'inspection_lead'],
  reporter_reply: ['reporter'],
  proceed_without_reply: ['system', 'front_reviewer', 'inspection_investigator', 'inspection_lead'],
  return: ['front_reviewer'],
  file: ['front_reviewer', 'inspection_lead'],
  merge: ['front_reviewer'],
  transfer: ['front_reviewer'],
  refer: ['front_reviewer'],
  accept: ['inspection_lead'],
  not_accept: ['inspection_lead'],
  examine: ['inspection_lead'],
  assign: ['inspection_lead'],
  mark_signs_of_violation: ['inspection_lead'],
  extend_resolution: ['inspection_lead'],
  pause: ['inspection_lead'],
  resume: ['inspection_lead'],
  terminate: ['inspection_lead'],
  conclude: ['inspection_lead'],
  close: ['system'],
  withdraw: ['reporter'],
};

const actorOf = (name: ActorName): ActorRef =>
  name === 'system' ? sys : name === 'reporter' ? reporter : staff(name);

const plan = (name: string, facts: Partial<CaseFacts>, actor: ActorRef, params: TransitionParams = {}): TransitionPlan =>
  planTransition({ case: caseFacts(facts), actor, transition: name, params });

describe('the transition table', () => {
  it('has exactly the transitions this test expects', () => {
    expect(Object.keys(CASE_TRANSITIONS).sort()).toEqual([...Object.keys(EXPECTED), 'submit'].sort());
  });

  it.each(Object.keys(EXPECTED) as Exclude<TransitionName, 'submit'>[])('lists exactly the expected from-states for %s', (t) => {
    // Checked directly as well: a guard may mask an extra from-state in the behaviour tests.
    expect([...CASE_TRANSITIONS[t].from].sort()).toEqual([...EXPECTED[t].from].sort());
  });

  describe.each(Object.entries(EXPECTED) as [Exclude<TransitionName, 'submit'>, Expected][])('%s', (name, exp) => {
    it.each(exp.from)(`is allowed from %s`, (state) => {
      const p = plan(name, { ...exp.facts, state }, exp.actor(state), exp.params);
      expect(p.from).toBe(state);
      expect(p.to).toBe(exp.to ?? state);
    });

    const wrong = CASE_STATES.filter((s) => !exp.from.includes(s));
    it.each(wrong)('is refused from %s', (state) => {
      const actor = exp.actor(exp.from[0] as CaseState);
      expect(codeOf(() => plan(name, { ...exp.facts, state }, actor, exp.params))).toBe('INVALID_TRANSITION');
    });

    it('is refused before the case exists', () => {
      expect(codeOf(() => plan(name, { ...exp.facts, state: null }, exp.actor(exp.from[0] as CaseState), exp.params))).toBe(
        'INVALID_TRANSITION',
      );
    });
  });

  it('submit creates a received case and only once', () => {
    expect(plan('submit', { state: null }, reporter).to).toBe('received');
    expect(plan('submit', { state: null }, staff('front_member')).to).toBe('received');
    for (const state of CASE_STATES) expect(codeOf(() => plan('submit', { state }, reporter))).toBe('INVALID_TRANSITION');
  });

  it('refuses a transition name that is not in the table', () => {
    expect(codeOf(() => plan('reopen', {}, sys))).toBe('INVALID_TRANSITION');
  });
});

describe('who may make each transition', () => {
  const everyone: readonly ActorName[] = ['system', 'reporter', ...ROLES];
  const cases = (Object.keys(WHO) as TransitionName[]).flatMap((t) => everyone.map((a) => [t, a] as const));

  it.each(Object.keys(WHO) as TransitionName[])('names exactly the expected actors for %s', (t) => {
    // Checked directly as well: the stage rule may mask an extra role in the behaviour tests.
    expect([...CASE_TRANSITIONS[t].by].sort()).toEqual([...WHO[t]].sort());
  });

  it.each(cases)('%s by %s follows the expected table', (t, a) => {
    const from = t === 'submit' ? null : (EXPECTED[t].from[0] as CaseState);
    const exp = t === 'submit' ? undefined : EXPECTED[t];
    const allowed = WHO[t].includes(a);
    if (!allowed) {
      expect(codeOf(() => plan(t, { ...exp?.facts, state: from }, actorOf(a), exp?.params))).toBe('FORBIDDEN');
      return;
    }
    // Staff act only at their own stage: some from-state (and resume state) must work.
    const states = t === 'submit' ? [null] : EXPECTED[t].from;
    const resumes = [exp?.facts?.resumeState ?? null, 'triage', 'verifying'] as const;
    const works = states.some((state) =>
      resumes.some((resumeState) => codeOf(() => plan(t, { ...exp?.facts, state, resumeState }, actorOf(a), exp?.params)) === 'no error'),
    );
    expect(works).toBe(true);
  });

  it('refuses a Front reviewer asking for information on a case under verification', () => {
    expect(codeOf(() => plan('request_info', { state: 'verifying' }, front))).toBe('FORBIDDEN');
  });

  it('refuses an inspection lead filing a case still at the Front', () => {
    expect(codeOf(() => plan('file', { state: 'triage', classification: 'petition' }, lead, { reasonCode: 'duplicate' }))).toBe(
      'FORBIDDEN',
    );
  });

  it('lets an investigator ask the reporter during verification but not during triage', () => {
    const inv = staff('inspection_investigator');
    expect(plan('request_info', { state: 'verifying' }, inv).to).toBe('needs_info');
    expect(codeOf(() => plan('request_info', { state: 'triage' }, inv))).toBe('FORBIDDEN');
  });

  it('gives needs_info the stage of the state it resumes to', () => {
    expect(plan('proceed_without_reply', { state: 'needs_info', resumeState: 'triage' }, front).to).toBe('triage');
    expect(codeOf(() => plan('proceed_without_reply', { state: 'needs_info', resumeState: 'verifying' }, front))).toBe(
      'FORBIDDEN',
    );
  });

  it('never lets personnel officers, administrators or auditors move a case', () => {
    for (const role of ['personnel_officer', 'administrator', 'auditor'] as const) {
      for (const t of Object.keys(CASE_TRANSITIONS) as TransitionName[]) {
        expect(mayActorMake(staff(role), t, 'triage', null).allowed).toBe(false);
        expect(mayActorMake(staff(role), t, 'verifying', null).allowed).toBe(false);
      }
    }
  });
});
