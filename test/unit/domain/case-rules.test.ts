// Deadline effects, extensions, required parameters, flags and withdrawal.
import { describe, expect, it } from 'vitest';
import { planTransition, type ActorRef, type CaseFacts, type TransitionParams } from '../../../server/domain/case-lifecycle.ts';
import { resolveDeadlinePolicy } from '../../../server/domain/deadlines.ts';
import { caseFacts, codeOf } from '../../factories/domain.ts';

const sys: ActorRef = { kind: 'system' };
const reporter: ActorRef = { kind: 'reporter' };
const front: ActorRef = { kind: 'staff', role: 'front_reviewer' };
const lead: ActorRef = { kind: 'staff', role: 'inspection_lead' };

const plan = (name: string, facts: Partial<CaseFacts>, actor: ActorRef, params: TransitionParams = {}) =>
  planTransition({ case: caseFacts(facts), actor, transition: name, params });

describe('deadline effects', () => {
  it('starts the triage clock on submission, counted from receipt', () => {
    expect(plan('submit', { state: null }, reporter).deadlines).toEqual([{ kind: 'triage', op: 'start', anchor: 'received' }]);
  });

  it('pauses the triage clock while the reporter is asked during triage, and resumes it on reply', () => {
    const ask = plan('request_info', { state: 'triage' }, front);
    expect(ask.deadlines).toEqual([
      { kind: 'triage', op: 'pause' },
      { kind: 'reporter_reply', op: 'start', anchor: 'now' },
    ]);
    expect(ask.resumeState).toBe('triage');
    const reply = plan('reporter_reply', { state: 'needs_info', resumeState: 'triage' }, reporter);
    expect(reply.to).toBe('triage');
    expect(reply.resumeState).toBeNull();
    expect(reply.deadlines).toEqual([
      { kind: 'reporter_reply', op: 'stop' },
      { kind: 'triage', op: 'resume' },
    ]);
  });

  it('pauses the resolution clock while the reporter is asked during verification', () => {
    const ask = plan('request_info', { state: 'verifying' }, lead);
    expect(ask.deadlines[0]).toEqual({ kind: 'resolution', op: 'pause' });
    const back = plan('proceed_without_reply', { state: 'needs_info', resumeState: 'verifying' }, sys);
    expect(back.to).toBe('verifying');
    expect(back.deadlines).toContainEqual({ kind: 'resolution', op: 'resume' });
  });

  it('stops the Front’s triage clock on referral and starts the inspection body’s own', () => {
    expect(plan('refer', {}, front, { targetBodyId: 'ubkt' }).deadlines).toEqual([
      { kind: 'triage', op: 'stop' },
      { kind: 'transfer', op: 'stop' },
      { kind: 'triage', op: 'start', anchor: 'now' },
    ]);
  });

  it('starts the resolution clock on acceptance', () => {
    expect(plan('accept', { state: 'referred' }, lead).deadlines).toEqual([
      { kind: 'triage', op: 'stop' },
      { kind: 'resolution', op: 'start', anchor: 'now' },
    ]);
  });

  it('stops the resolution clock while paused, and restarts it on resume', () => {
    const p = plan('pause', { state: 'verifying' }, lead, { reasonCode: 'awaiting_expert_assessment' });
    expect(p.deadlines).toEqual([{ kind: 'resolution', op: 'pause' }]);
    expect(p.resumeState).toBe('verifying');
    const r = plan('resume', { state: 'paused', resumeState: 'verifying' }, lead);
    expect(r.to).toBe('verifying');
    expect(r.deadlines).toEqual([{ kind: 'resolution', op: 'resume' }]);
  });

  it('returns a paused case to the state it was paused from', () => {
    expect(plan('resume', { state: 'paused', resumeState: 'accepted' }, lead).to).toBe('accepted');
  });

  it('refuses to resume a paused case that does not record where it came from', () => {
    expect(codeOf(() => plan('resume', { state: 'paused', resumeState: null }, lead))).toBe('INVALID_TRANSITION');
  });

  it('starts the transfer clock only when triage finds the case outside competence', () => {
    expect(plan('classify', {}, front, { classification: 'petition' }).deadlines).toEqual([]);
    expect(plan('classify', {}, front, { classification: 'petition', outsideCompetence: true }).deadlines).toEqual([
      { kind: 'transfer', op: 'start', anchor: 'received' },
    ]);
  });

  it('stops the resolution clock on conclusion and on termination', () => {
    expect(plan('conclude', { state: 'verifying' }, lead, { outcome: 'substantiated' }).deadlines).toEqual([
      { kind: 'resolution', op: 'stop' },
    ]);
    expect(plan('terminate', { state: 'paused', resumeState: 'verifying' }, lead, { reasonCode: 'accused_died' }).deadlines).toEqual([
      { kind: 'resolution', op: 'stop' },
    ]);
  });
});

describe('extensions of the resolution time', () => {
  const params = { complexity: 'complex' as const, decisionRef: 'QĐ 7/QĐ-UBKT' };

  it('extends a complex case once, marking it complex', () => {
    const p = plan('extend_resolution', { state: 'verifying' }, lead, params);
    expect(p.deadlines).toEqual([{ kind: 'resolution', op: 'extend' }]);
    expect(p.flags.complexity).toBe('complex');
    expect(codeOf(() => plan('extend_resolution', { state: 'verifying', resolutionExtensions: 1 }, lead, params))).toBe(
      'INVALID_TRANSITION',
    );
  });

  it('extends an especially complex case twice, not three times', () => {
    const ec = { ...params, complexity: 'especially_complex' as const };
    expect(plan('extend_resolution', { state: 'verifying', resolutionExtensions: 1 }, lead, ec).to).toBe('verifying');
    expect(codeOf(() => plan('extend_resolution', { state: 'verifying', resolutionExtensions: 2 }, lead, ec))).toBe(
      'INVALID_TRANSITION',
    );
  });

  it('refuses an extension without a recorded decision or for a normal case', () => {
    expect(codeOf(() => plan('extend_resolution', { state: 'verifying' }, lead, { complexity: 'complex' }))).toBe(
      'VALIDATION_FAILED',
    );
    expect(codeOf(() => plan('extend_resolution', { state: 'verifying' }, lead, { ...params, complexity: 'normal' }))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('follows a body policy that allows fewer extensions than the law', () => {
    const policy = resolveDeadlinePolicy({ maxExtensions: { especially_complex: 1 } });
    const input = {
      case: caseFacts({ state: 'verifying', resolutionExtensions: 1 }),
      actor: lead,
      transition: 'extend_resolution',
      params: { ...params, complexity: 'especially_complex' as const },
    };
    expect(codeOf(() => planTransition(input))).toBe('no error');
    expect(codeOf(() => planTransition({ ...input, deadlinePolicy: policy }))).toBe('INVALID_TRANSITION');
  });
});

describe('required parameters', () => {
  it.each([
    ['file', { state: 'triage' }, front, {}],
    ['return', { state: 'triage' }, front, {}],
    ['not_accept', { state: 'referred' }, lead, {}],
    ['pause', { state: 'verifying' }, lead, {}],
    ['terminate', { state: 'verifying' }, lead, {}],
    ['conclude', { state: 'verifying' }, lead, {}],
    ['transfer', { state: 'triage' }, front, { externalBodyRef: '  ' }],
    ['refer', { state: 'triage' }, front, {}],
    ['merge', { state: 'triage' }, front, {}],
    ['classify', { state: 'triage' }, front, {}],
    ['assign', { state: 'accepted', assignedInvestigatorIds: [] }, lead, { investigatorIds: [''] }],
  ] as const)('refuses %s without what it requires', (name, facts, actor, params) => {
    expect(codeOf(() => plan(name, facts, actor, params))).toBe('VALIDATION_FAILED');
  });

  it('refuses a reason code from another list', () => {
    // 'duplicate' is a filing reason, not a reason not to accept.
    expect(codeOf(() => plan('not_accept', { state: 'referred' }, lead, { reasonCode: 'duplicate' }))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => plan('pause', { state: 'verifying' }, lead, { reasonCode: 'accused_died' }))).toBe('VALIDATION_FAILED');
  });

  it('records the reason code and the outcome on the event', () => {
    const p = plan('not_accept', { state: 'referred' }, lead, { reasonCode: 'not_competent' });
    expect(p.events[0]).toEqual({ type: 'case.not_accept', isPublic: true, reasonCode: 'not_competent' });
    const c = plan('conclude', { state: 'verifying' }, lead, { outcome: 'partly_substantiated' });
    expect(c.events[0]).toEqual({ type: 'case.conclude', isPublic: true, outcome: 'partly_substantiated' });
  });

  it('closes a case only once the reporter has been answered', () => {
    expect(codeOf(() => plan('close', { state: 'concluded', reporterAnswered: false }, sys))).toBe('INVALID_TRANSITION');
    expect(plan('close', { state: 'concluded' }, sys).to).toBe('closed');
  });
});

describe('flags are flags, not states', () => {
  it('merges a duplicate: filed, flagged with the case it joined, reason duplicate', () => {
    const p = plan('merge', {}, front, { mergedIntoCaseId: 'case-7' });
    expect(p.to).toBe('filed');
    expect(p.flags.mergedIntoCaseId).toBe('case-7');
    expect(p.events[0]?.reasonCode).toBe('duplicate');
  });

  it('carries overdue and urgent flags through a move unchanged', () => {
    const flags = { ...caseFacts().flags, overdue: true, urgent: true };
    const p = plan('refer', { flags }, front, { targetBodyId: 'ubkt' });
    expect(p.flags).toEqual(flags);
  });

  it('does not take up a case received in the congress window before the congress', () => {
    const flags = { ...caseFacts().flags, congressWindow: true };
    expect(codeOf(() => plan('accept', { state: 'referred', flags }, lead))).toBe('INVALID_TRANSITION');
    expect(codeOf(() => plan('examine', { state: 'referred', flags, classification: 'petition' }, lead))).toBe(
      'INVALID_TRANSITION',
    );
    // It is still recorded and triaged.
    expect(plan('refer', { flags }, front, { targetBodyId: 'ubkt' }).to).toBe('referred');
  });
});

describe('withdrawal by the reporter', () => {
  it('withdraws a case not yet taken up, stopping its clocks', () => {
    const p = plan('withdraw', { state: 'needs_info', resumeState: 'referred' }, reporter);
    expect(p.to).toBe('withdrawn');
    expect(p.resumeState).toBeNull();
    expect(p.deadlines).toContainEqual({ kind: 'reporter_reply', op: 'stop' });
  });

  it('refuses a withdrawal once the case is taken up: the lead decides whether to terminate', () => {
    expect(codeOf(() => plan('withdraw', { state: 'needs_info', resumeState: 'verifying' }, reporter))).toBe(
      'INVALID_TRANSITION',
    );
    expect(codeOf(() => plan('withdraw', { state: 'accepted' }, reporter))).toBe('INVALID_TRANSITION');
  });

  it('lets the lead terminate on the reporter’s withdrawal', () => {
    const p = plan('terminate', { state: 'verifying' }, lead, { reasonCode: 'reporter_withdrew' });
    expect(p.to).toBe('terminated');
  });
});

describe('the reporter’s timeline', () => {
  it('shows moves to the reporter but not classification or signs of violation', () => {
    expect(plan('accept', { state: 'referred' }, lead).events[0]?.isPublic).toBe(true);
    expect(plan('classify', {}, front, { classification: 'petition' }).events[0]?.isPublic).toBe(false);
    expect(plan('mark_signs_of_violation', { state: 'verifying' }, lead).events[0]?.isPublic).toBe(false);
  });
});
