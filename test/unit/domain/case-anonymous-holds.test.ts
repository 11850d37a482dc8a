// The anonymous-report rule and the case's effects on holds.
import { describe, expect, it } from 'vitest';
import { planTransition, type ActorRef, type CaseFacts, type TransitionParams } from '../../../server/domain/case-lifecycle.ts';
import { caseFacts, codeOf, errorOf } from '../../factories/domain.ts';

const reporter: ActorRef = { kind: 'reporter' };
const front: ActorRef = { kind: 'staff', role: 'front_reviewer' };
const lead: ActorRef = { kind: 'staff', role: 'inspection_lead' };

const plan = (name: string, facts: Partial<CaseFacts>, actor: ActorRef, params: TransitionParams = {}) =>
  planTransition({ case: caseFacts(facts), actor, transition: name, params });

const anonymous: Partial<CaseFacts> = { isAnonymous: true, hasSignedPetition: false, classification: null };

describe('anonymous reports and the denunciation path', () => {
  it('refuses to classify an anonymous report as a denunciation', () => {
    const e = errorOf(() => plan('classify', anonymous, front, { classification: 'denunciation' }));
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toContain('denunciation_information');
  });

  it('refuses a denunciation classification for an anonymous report whatever else the facts say', () => {
    const facts = { ...anonymous, hasSignedPetition: true };
    expect(codeOf(() => plan('classify', facts, front, { classification: 'denunciation' }))).toBe('VALIDATION_FAILED');
  });

  it('refuses to classify an identified report without a signed petition as a denunciation', () => {
    expect(codeOf(() => plan('classify', { hasSignedPetition: false }, front, { classification: 'denunciation' }))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('classifies an identified reporter’s signed petition as a denunciation', () => {
    expect(plan('classify', { classification: null }, front, { classification: 'denunciation' }).classification).toBe(
      'denunciation',
    );
  });

  it('classifies an anonymous report as Art. 25 information', () => {
    const p = plan('classify', anonymous, front, { classification: 'denunciation_information' });
    expect(p.classification).toBe('denunciation_information');
    expect(p.to).toBe('triage');
  });

  it('refuses to refer anonymous information that names no person and no specific act', () => {
    const facts = { ...anonymous, classification: 'denunciation_information' as const };
    expect(codeOf(() => plan('refer', facts, front, { targetBodyId: 'ubkt' }))).toBe('VALIDATION_FAILED');
    expect(plan('refer', facts, front, { targetBodyId: 'ubkt', isSpecific: true }).to).toBe('referred');
  });

  it('refuses to refer identified but unsigned Art. 25 information without specifics', () => {
    const facts = { classification: 'denunciation_information' as const, hasSignedPetition: false };
    expect(codeOf(() => plan('refer', facts, front, { targetBodyId: 'ubkt' }))).toBe('VALIDATION_FAILED');
  });

  it('refers a signed denunciation without asking for the specifics attestation', () => {
    expect(plan('refer', {}, front, { targetBodyId: 'ubkt' }).to).toBe('referred');
  });

  it('files anonymous information without specifics with the stated reason', () => {
    const p = plan('file', anonymous, front, { reasonCode: 'anonymous_without_specifics' });
    expect(p.to).toBe('filed');
    expect(p.events[0]).toMatchObject({ type: 'case.file', isPublic: true, reasonCode: 'anonymous_without_specifics' });
  });

  it('never accepts an anonymous report, even one wrongly classified as a denunciation', () => {
    const e = errorOf(() => plan('accept', { state: 'referred', isAnonymous: true, classification: 'denunciation' }, lead));
    expect(e.code).toBe('INVALID_TRANSITION');
    expect(e.message).toMatch(/anonymous/i);
  });

  it('never accepts Art. 25 information, and never declines it as a denunciation', () => {
    const facts = { state: 'referred' as const, classification: 'denunciation_information' as const };
    expect(codeOf(() => plan('accept', facts, lead))).toBe('INVALID_TRANSITION');
    expect(codeOf(() => plan('not_accept', facts, lead, { reasonCode: 'cannot_be_verified' }))).toBe('INVALID_TRANSITION');
  });

  it('examines referred anonymous information instead of accepting it', () => {
    const p = plan('examine', { ...anonymous, state: 'referred', classification: 'denunciation_information' }, lead);
    expect(p.to).toBe('verifying');
    expect(p.proposeHolds).toBe(false);
  });

  it('refuses to examine a denunciation: it is accepted or not accepted', () => {
    expect(codeOf(() => plan('examine', { state: 'referred' }, lead))).toBe('INVALID_TRANSITION');
  });

  it('refuses to file a referred denunciation instead of declining it with a reason', () => {
    expect(codeOf(() => plan('file', { state: 'referred' }, lead, { reasonCode: 'duplicate' }))).toBe('INVALID_TRANSITION');
  });

  it('refuses to refer a complaint for inspection', () => {
    expect(codeOf(() => plan('refer', { classification: 'complaint' }, front, { targetBodyId: 'ubkt' }))).toBe(
      'INVALID_TRANSITION',
    );
  });

  it('refuses to refer or transfer a case that has not been classified', () => {
    expect(codeOf(() => plan('refer', { classification: null }, front, { targetBodyId: 'ubkt' }))).toBe('INVALID_TRANSITION');
    expect(codeOf(() => plan('transfer', { classification: null }, front, { externalBodyRef: 'x' }))).toBe(
      'INVALID_TRANSITION',
    );
  });
});

describe('hold proposals', () => {
  it('proposes holds when a case about a cadre is accepted', () => {
    expect(plan('accept', { state: 'referred' }, lead).proposeHolds).toBe(true);
  });

  it('proposes no hold when the accepted case names no cadre', () => {
    expect(plan('accept', { state: 'referred', cadreId: null }, lead).proposeHolds).toBe(false);
  });

  it('proposes holds on marking signs of violation, and sets the flag', () => {
    const p = plan('mark_signs_of_violation', { state: 'verifying', classification: 'petition' }, lead);
    expect(p.proposeHolds).toBe(true);
    expect(p.flags.signsOfViolation).toBe(true);
    expect(p.events[0]?.isPublic).toBe(false);
  });

  it('never proposes a hold when the case rests on an anonymous report alone', () => {
    const facts = { ...anonymous, state: 'verifying' as const, classification: 'denunciation_information' as const };
    expect(plan('mark_signs_of_violation', facts, lead).proposeHolds).toBe(false);
  });

  it('proposes holds on an anonymous case once the inspection body has corroborated it', () => {
    const facts = { ...anonymous, state: 'verifying' as const, isCorroborated: true };
    expect(plan('mark_signs_of_violation', facts, lead).proposeHolds).toBe(true);
  });

  it('refuses to mark signs of violation when the case names no cadre', () => {
    expect(codeOf(() => plan('mark_signs_of_violation', { state: 'verifying', cadreId: null }, lead))).toBe(
      'VALIDATION_FAILED',
    );
  });
});

describe('lifting holds', () => {
  it('lifts holds and clears the cadre on a not-substantiated conclusion', () => {
    const p = plan('conclude', { state: 'verifying' }, lead, { outcome: 'not_substantiated' });
    expect(p.liftHolds).toEqual({ lift: true, liftReason: 'cleared', cadreCleared: true });
    expect(p.events.map((e) => e.type)).toEqual(['case.conclude', 'cadre.cleared']);
    expect(p.events[1]?.isPublic).toBe(false);
  });

  it.each(['substantiated', 'partly_substantiated'] as const)('keeps holds for the Organization Board when %s', (outcome) => {
    const p = plan('conclude', { state: 'verifying' }, lead, { outcome });
    expect(p.liftHolds).toEqual({ lift: false, keepFor: 'organization_board' });
    expect(p.events).toHaveLength(1);
  });

  it('lifts holds on termination without clearing the cadre', () => {
    const p = plan('terminate', { state: 'verifying' }, lead, { reasonCode: 'accused_died' });
    expect(p.liftHolds).toEqual({ lift: true, liftReason: 'case_terminated', cadreCleared: false });
  });

  it('lifts holds on withdrawal and on dismissal', () => {
    expect(plan('withdraw', { state: 'triage' }, reporter).liftHolds).toMatchObject({ lift: true, liftReason: 'case_withdrawn' });
    const na = plan('not_accept', { state: 'referred' }, lead, { reasonCode: 'not_competent' });
    expect(na.liftHolds).toMatchObject({ lift: true, liftReason: 'case_dismissed', cadreCleared: false });
  });

  it('lifts nothing on an ordinary move', () => {
    expect(plan('assign', { state: 'accepted' }, lead).liftHolds).toBeNull();
  });
});
