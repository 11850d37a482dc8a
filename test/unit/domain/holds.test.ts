import { describe, expect, it } from 'vitest';
import {
  actionMoveForHolds,
  checkApproval,
  holdsToLiftOn,
  isHoldable,
  proposeHolds,
  selectHoldsToLift,
  type HoldFacts,
  type PersonnelActionFacts,
  type ProtectedReporterStatus,
} from '../../../server/domain/holds.ts';
import { PERSONNEL_ACTION_KINDS, PERSONNEL_ACTION_STATES } from '../../../server/domain/vocabulary.ts';
import { codeOf, errorOf } from '../../factories/domain.ts';

const action = (over: Partial<PersonnelActionFacts> = {}): PersonnelActionFacts => ({
  id: 'pa-1',
  cadreId: 'cadre-1',
  kind: 'appointment',
  state: 'pending_decision',
  ...over,
});
const hold = (over: Partial<HoldFacts> = {}): HoldFacts => ({
  id: 'hold-1',
  state: 'confirmed',
  personnelActionId: 'pa-1',
  caseId: 'case-1',
  reviewOn: '2026-07-15',
  ...over,
});
const notProtected: ProtectedReporterStatus = { isProtected: false };

describe('approving an action under a hold', () => {
  it('refuses to approve an action under a confirmed hold, naming the hold and its review date', () => {
    const e = errorOf(() => checkApproval(action(), [hold()], [], notProtected));
    expect(e.code).toBe('ACTION_HELD');
    expect(e.message).toContain('hold-1');
    expect(e.message).toContain('2026-07-15');
    expect(e.details).toMatchObject({ holdId: 'hold-1', reviewOn: '2026-07-15' });
  });

  it('refuses approval while a hold is only proposed: the lead has not decided yet', () => {
    const e = errorOf(() => checkApproval(action(), [hold({ state: 'proposed', reviewOn: null })], [], notProtected));
    expect(e.code).toBe('ACTION_HELD');
    expect(e.message).toMatch(/proposed/);
    expect(e.details).toMatchObject({ holdId: 'hold-1', reviewOn: null });
  });

  it('keeps refusing after a hold lapsed: a missed review does not lift it', () => {
    const e = errorOf(() => checkApproval(action(), [hold({ state: 'lapsed' })], [], notProtected));
    expect(e.code).toBe('ACTION_HELD');
    expect(e.message).toMatch(/escalated/);
  });

  it.each(['refused', 'lifted'] as const)('allows approval once the hold is %s', (state) => {
    expect(checkApproval(action(), [hold({ state })], [], notProtected)).toEqual({ ok: true, overriddenHoldIds: [] });
  });

  it('ignores holds on other actions', () => {
    expect(codeOf(() => checkApproval(action(), [hold({ personnelActionId: 'pa-2' })], [], notProtected))).toBe('no error');
  });

  it('names the hold with the earliest review date when several apply', () => {
    const holds = [
      hold({ id: 'hold-proposed', state: 'proposed', reviewOn: null }),
      hold({ id: 'hold-late', reviewOn: '2026-09-01' }),
      hold({ id: 'hold-early', reviewOn: '2026-06-01' }),
    ];
    expect(errorOf(() => checkApproval(action(), holds, [], notProtected)).details).toMatchObject({ holdId: 'hold-early' });
  });
});

describe('proceeding anyway', () => {
  const decision = { holdId: 'hold-1', personnelActionId: 'pa-1', decisionRef: 'NQ 45-NQ/BTV' };

  it('allows approval after a recorded proceed-anyway decision, and reports the hold it passed', () => {
    expect(checkApproval(action(), [hold()], [decision], notProtected)).toEqual({ ok: true, overriddenHoldIds: ['hold-1'] });
  });

  it('does not count a decision without a reference', () => {
    expect(codeOf(() => checkApproval(action(), [hold()], [{ ...decision, decisionRef: '  ' }], notProtected))).toBe(
      'ACTION_HELD',
    );
  });

  it('does not let a decision on one hold pass another hold', () => {
    const holds = [hold(), hold({ id: 'hold-2', caseId: 'case-2' })];
    const e = errorOf(() => checkApproval(action(), holds, [decision], notProtected));
    expect(e.details).toMatchObject({ holdId: 'hold-2' });
  });

  it('does not let a decision about another action pass this one', () => {
    expect(codeOf(() => checkApproval(action(), [hold()], [{ ...decision, personnelActionId: 'pa-9' }], notProtected))).toBe(
      'ACTION_HELD',
    );
  });
});

describe('retaliation watch', () => {
  const unreviewed: ProtectedReporterStatus = { isProtected: true, review: null };
  // Written out: the adverse kinds this project decided to watch, rotation included.
  const ADVERSE = ['demotion', 'transfer', 'rotation', 'discipline', 'removal_from_planning'];

  it.each(PERSONNEL_ACTION_KINDS)('%s about a protected reporter needs a review only if adverse', (kind) => {
    const code = codeOf(() => checkApproval(action({ kind }), [], [], unreviewed));
    expect(code).toBe(ADVERSE.includes(kind) ? 'REVIEW_REQUIRED' : 'no error');
  });

  it('lets an adverse action through after a review finds no objection', () => {
    const reviewed: ProtectedReporterStatus = { isProtected: true, review: { outcome: 'no_objection', reference: 'BB 3/UBKT' } };
    expect(codeOf(() => checkApproval(action({ kind: 'demotion' }), [], [], reviewed))).toBe('no error');
  });

  it('refuses an adverse action the review objected to', () => {
    const objected: ProtectedReporterStatus = { isProtected: true, review: { outcome: 'objection', reference: 'BB 4/UBKT' } };
    expect(codeOf(() => checkApproval(action({ kind: 'discipline' }), [], [], objected))).toBe('REVIEW_REQUIRED');
  });

  it('does not watch adverse actions about someone who is not a protected reporter', () => {
    expect(codeOf(() => checkApproval(action({ kind: 'demotion' }), [], [], notProtected))).toBe('no error');
  });

  it('names the hold first when an adverse action is both held and unreviewed', () => {
    expect(codeOf(() => checkApproval(action({ kind: 'demotion' }), [hold()], [], unreviewed))).toBe('ACTION_HELD');
  });
});

describe('proposing holds', () => {
  const facts = { caseId: 'case-1', cadreId: 'cadre-1', isAnonymous: false, isCorroborated: false };
  const pending = [
    action({ id: 'a-draft', state: 'draft' }),
    action({ id: 'a-notice', state: 'public_notice' }),
    action({ id: 'a-pending', state: 'pending_decision' }),
    action({ id: 'a-approved', state: 'approved' }),
    action({ id: 'a-executed', state: 'executed' }),
    action({ id: 'a-withdrawn', state: 'withdrawn' }),
    action({ id: 'a-held', state: 'held' }),
    action({ id: 'a-other', cadreId: 'cadre-2', state: 'draft' }),
  ];

  it('proposes a hold on each pending action of the cadre concerned, and on nothing else', () => {
    expect(proposeHolds(facts, pending).map((a) => a.id)).toEqual(['a-draft', 'a-notice', 'a-pending']);
  });

  it('proposes nothing when the case rests on an anonymous report alone', () => {
    expect(proposeHolds({ ...facts, isAnonymous: true }, pending)).toEqual([]);
  });

  it('proposes holds on an anonymous case the inspection body corroborated', () => {
    expect(proposeHolds({ ...facts, isAnonymous: true, isCorroborated: true }, pending)).toHaveLength(3);
  });

  it('proposes nothing when the case names no cadre', () => {
    expect(proposeHolds({ ...facts, cadreId: null }, pending)).toEqual([]);
  });

  it('does not propose twice when the job runs again', () => {
    const existing = [hold({ personnelActionId: 'a-draft', state: 'proposed' }), hold({ personnelActionId: 'a-notice' })];
    expect(proposeHolds(facts, pending, existing).map((a) => a.id)).toEqual(['a-pending']);
  });

  it('keeps one hold per action and case: a refused proposal is not proposed again by the same case', () => {
    const existing = [hold({ personnelActionId: 'a-draft', state: 'refused' })];
    expect(proposeHolds(facts, pending, existing).map((a) => a.id)).toEqual(['a-notice', 'a-pending']);
  });

  it('proposes again on an action whose hold from another case was lifted', () => {
    const existing = [hold({ personnelActionId: 'a-draft', caseId: 'case-0', state: 'lifted' })];
    expect(proposeHolds(facts, pending, existing).map((a) => a.id)).toContain('a-draft');
  });

  it('holds only the pending states', () => {
    expect(PERSONNEL_ACTION_STATES.filter(isHoldable)).toEqual(['draft', 'public_notice', 'pending_decision']);
  });
});

describe('lifting holds on the case outcome', () => {
  it('lifts and clears the cadre when not substantiated', () => {
    expect(holdsToLiftOn('not_substantiated')).toEqual({ lift: true, liftReason: 'cleared', cadreCleared: true });
  });

  it.each(['substantiated', 'partly_substantiated'] as const)('keeps holds for the Organization Board when %s', (o) => {
    expect(holdsToLiftOn(o)).toEqual({ lift: false, keepFor: 'organization_board' });
  });

  it.each([
    ['terminated', 'case_terminated'],
    ['withdrawn', 'case_withdrawn'],
    ['dismissed', 'case_dismissed'],
  ] as const)('lifts with a record, clearing no one, when %s', (trigger, liftReason) => {
    expect(holdsToLiftOn(trigger)).toEqual({ lift: true, liftReason, cadreCleared: false });
  });

  it('selects the live holds of that case only', () => {
    const holds = [
      hold({ id: 'h1' }),
      hold({ id: 'h2', state: 'proposed' }),
      hold({ id: 'h3', state: 'lapsed' }),
      hold({ id: 'h4', state: 'refused' }),
      hold({ id: 'h5', caseId: 'case-2' }),
    ];
    expect(selectHoldsToLift('case-1', holds).map((h) => h.id)).toEqual(['h1', 'h2', 'h3']);
  });
});

describe('an action following its holds', () => {
  const pass = (holdId: string) => ({ holdId, personnelActionId: 'pa-1', decisionRef: 'KL 15-KL/TU' });

  it('parks a pending action only under a hold in force: a proposal blocks approval but parks nothing', () => {
    expect(actionMoveForHolds(action(), [hold({ state: 'proposed', reviewOn: null })], [])).toBeNull();
    expect(actionMoveForHolds(action(), [hold()], [])).toBe('hold');
    expect(actionMoveForHolds(action({ state: 'draft' }), [hold({ state: 'lapsed' })], [])).toBe('hold');
  });

  it('never parks an action already decided, withdrawn or held', () => {
    for (const state of ['approved', 'executed', 'withdrawn', 'held'] as const) {
      expect(actionMoveForHolds(action({ state }), [hold()], [])).not.toBe('hold');
    }
  });

  it('releases a held action once no blocking hold is left, and not while another case still holds it', () => {
    const held = action({ state: 'held' });
    expect(actionMoveForHolds(held, [hold({ state: 'lifted' })], [])).toBe('release');
    expect(actionMoveForHolds(held, [hold({ state: 'lifted' }), hold({ id: 'hold-2', caseId: 'case-2' })], [])).toBeNull();
    expect(actionMoveForHolds(held, [hold({ state: 'lifted' }), hold({ id: 'hold-2', state: 'proposed', reviewOn: null })], [])).toBeNull();
  });

  it('lets a proceed-anyway decision release the held action, only for the hold it names and only with a reference', () => {
    const held = action({ state: 'held' });
    expect(actionMoveForHolds(held, [hold()], [pass('hold-1')])).toBe('release');
    expect(actionMoveForHolds(held, [hold(), hold({ id: 'hold-2' })], [pass('hold-1')])).toBeNull();
    expect(actionMoveForHolds(held, [hold()], [{ ...pass('hold-1'), decisionRef: ' ' }])).toBeNull();
    expect(actionMoveForHolds(action(), [hold()], [pass('hold-1')])).toBeNull();
  });

  it('reads only the holds on this action', () => {
    expect(actionMoveForHolds(action(), [hold({ personnelActionId: 'pa-2' })], [])).toBeNull();
    expect(actionMoveForHolds(action({ state: 'held' }), [hold({ personnelActionId: 'pa-2' })], [])).toBe('release');
  });
});
