import { describe, expect, it } from 'vitest';
import type { HoldFacts, ProtectedReporterStatus } from '../../../server/domain/holds.ts';
import {
  PERSONNEL_TRANSITIONS,
  planPersonnelTransition,
  type PersonnelActionRecord,
  type PersonnelPlanInput,
} from '../../../server/domain/personnel.ts';
import { PERSONNEL_ACTION_STATES, type PersonnelActionState } from '../../../server/domain/vocabulary.ts';
import { codeOf, errorOf } from '../../factories/domain.ts';

const record = (state: PersonnelActionState, over: Partial<PersonnelActionRecord> = {}): PersonnelActionRecord => ({
  id: 'pa-1',
  cadreId: 'cadre-1',
  kind: 'appointment',
  state,
  noticeUntil: null,
  heldFrom: null,
  ...over,
});
const hold = (over: Partial<HoldFacts> = {}): HoldFacts => ({
  id: 'hold-1',
  state: 'confirmed',
  personnelActionId: 'pa-1',
  caseId: 'case-1',
  reviewOn: '2026-04-01',
  ...over,
});
const notProtected: ProtectedReporterStatus = { isProtected: false };

const input = (action: PersonnelActionRecord, transition: string, over: Partial<PersonnelPlanInput> = {}): PersonnelPlanInput => ({
  action,
  transition,
  actor: 'staff',
  today: '2026-03-10',
  holds: [],
  proceedAnyway: [],
  protectedReporter: notProtected,
  ...over,
});
const plan = (action: PersonnelActionRecord, transition: string, over: Partial<PersonnelPlanInput> = {}) =>
  planPersonnelTransition(input(action, transition, over));

// Written out by hand: from which states each move is allowed.
const FROM: Record<string, readonly PersonnelActionState[]> = {
  publish_notice: ['draft'],
  submit_for_decision: ['draft', 'public_notice'],
  approve: ['pending_decision'],
  execute: ['approved'],
  withdraw: ['draft', 'public_notice', 'pending_decision', 'held', 'approved'],
  hold: ['draft', 'public_notice', 'pending_decision'],
  release: ['held'],
};

describe('the personnel action state machine', () => {
  it('has exactly the moves this test expects', () => {
    expect(Object.keys(PERSONNEL_TRANSITIONS).sort()).toEqual(Object.keys(FROM).sort());
  });

  const rows = Object.entries(FROM).flatMap(([t, from]) => PERSONNEL_ACTION_STATES.map((s) => [t, s, from.includes(s)] as const));
  it.each(rows)('%s from %s: allowed=%s', (t, state, allowed) => {
    const isSystem = t === 'hold' || t === 'release';
    const over: Partial<PersonnelPlanInput> = {
      actor: isSystem ? 'system' : 'staff',
      params: { noticeUntil: '2026-03-20' },
      // hold needs a confirmed hold to follow; release needs it gone.
      holds: t === 'hold' ? [hold()] : [],
    };
    const action = record(state, { heldFrom: state === 'held' ? 'pending_decision' : null });
    expect(codeOf(() => plan(action, t, over))).toBe(allowed ? 'no error' : 'INVALID_TRANSITION');
  });

  it('goes from draft through public notice and decision to execution', () => {
    const a = plan(record('draft'), 'publish_notice', { params: { noticeUntil: '2026-03-20' } });
    expect(a).toMatchObject({ to: 'public_notice', noticeUntil: '2026-03-20' });
    const b = plan(record('public_notice', { noticeUntil: '2026-03-20' }), 'submit_for_decision', { today: '2026-03-21' });
    expect(b.to).toBe('pending_decision');
    expect(plan(record('pending_decision'), 'approve').to).toBe('approved');
    expect(plan(record('approved'), 'execute').event).toEqual({ type: 'personnel.execute' });
  });

  it('refuses a public notice without a last day of comment after today', () => {
    expect(codeOf(() => plan(record('draft'), 'publish_notice'))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => plan(record('draft'), 'publish_notice', { params: { noticeUntil: '2026-03-10' } }))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('refuses to close the public comment period early', () => {
    const a = record('public_notice', { noticeUntil: '2026-03-20' });
    expect(codeOf(() => plan(a, 'submit_for_decision', { today: '2026-03-20' }))).toBe('INVALID_TRANSITION');
  });

  it('refuses a move whose name is unknown', () => {
    expect(codeOf(() => plan(record('draft'), 'promote'))).toBe('INVALID_TRANSITION');
  });
});

describe('holds on personnel actions', () => {
  it('refuses to approve an action under a hold', () => {
    const e = errorOf(() => plan(record('pending_decision'), 'approve', { holds: [hold()] }));
    expect(e.code).toBe('ACTION_HELD');
    expect(e.details).toMatchObject({ holdId: 'hold-1', reviewOn: '2026-04-01' });
  });

  it('refuses to execute an approved action that has a hold on it', () => {
    expect(codeOf(() => plan(record('approved'), 'execute', { holds: [hold({ state: 'proposed' })] }))).toBe('ACTION_HELD');
  });

  it('answers an approval of a held action by naming the hold, not by the state', () => {
    const a = record('held', { heldFrom: 'pending_decision' });
    expect(codeOf(() => plan(a, 'approve', { holds: [hold()] }))).toBe('ACTION_HELD');
  });

  it('parks a pending action in held when a hold is confirmed, remembering where it was', () => {
    const p = plan(record('public_notice'), 'hold', { actor: 'system', holds: [hold()] });
    expect(p).toMatchObject({ to: 'held', heldFrom: 'public_notice' });
  });

  it('does not park an action on a hold that is only proposed or was refused', () => {
    for (const state of ['proposed', 'refused'] as const) {
      expect(codeOf(() => plan(record('draft'), 'hold', { actor: 'system', holds: [hold({ state })] }))).toBe(
        'INVALID_TRANSITION',
      );
    }
  });

  it('refuses to release a held action while the hold is in force', () => {
    const a = record('held', { heldFrom: 'pending_decision' });
    expect(codeOf(() => plan(a, 'release', { actor: 'system', holds: [hold()] }))).toBe('ACTION_HELD');
  });

  it('releases a held action to where it was once the hold is lifted', () => {
    const a = record('held', { heldFrom: 'pending_decision' });
    const p = plan(a, 'release', { actor: 'system', holds: [hold({ state: 'lifted' })] });
    expect(p).toMatchObject({ to: 'pending_decision', heldFrom: null });
  });

  it('releases and approves after a proceed-anyway decision, naming the hold it passed', () => {
    const decision = { holdId: 'hold-1', personnelActionId: 'pa-1', decisionRef: 'TB 12-TB/BTV' };
    const over = { holds: [hold()], proceedAnyway: [decision] };
    expect(plan(record('held', { heldFrom: 'pending_decision' }), 'release', { ...over, actor: 'system' }).to).toBe(
      'pending_decision',
    );
    expect(plan(record('pending_decision'), 'approve', over).overriddenHoldIds).toEqual(['hold-1']);
  });

  it('refuses staff making the hold and release moves by hand', () => {
    expect(codeOf(() => plan(record('draft'), 'hold', { holds: [hold()] }))).toBe('FORBIDDEN');
    expect(codeOf(() => plan(record('held', { heldFrom: 'draft' }), 'release'))).toBe('FORBIDDEN');
  });

  it('lets a held action be withdrawn', () => {
    expect(plan(record('held', { heldFrom: 'draft' }), 'withdraw', { holds: [hold()] }).to).toBe('withdrawn');
  });
});

describe('retaliation watch on personnel actions', () => {
  it('refuses to approve a demotion of a protected reporter before the inspection committee reviews it', () => {
    const a = record('pending_decision', { kind: 'demotion' });
    expect(codeOf(() => plan(a, 'approve', { protectedReporter: { isProtected: true, review: null } }))).toBe('REVIEW_REQUIRED');
    const reviewed: ProtectedReporterStatus = { isProtected: true, review: { outcome: 'no_objection', reference: 'BB 1' } };
    expect(plan(a, 'approve', { protectedReporter: reviewed }).to).toBe('approved');
  });

  it('checks the review again at execution', () => {
    const a = record('approved', { kind: 'transfer' });
    expect(codeOf(() => plan(a, 'execute', { protectedReporter: { isProtected: true, review: null } }))).toBe('REVIEW_REQUIRED');
  });
});
