import { describe, expect, it } from 'vitest';
import { createCalendar } from '../../../server/domain/calendar.ts';
import { resolveDeadlinePolicy } from '../../../server/domain/deadlines.ts';
import {
  computeHoldReviewOn,
  holdReviewStatus,
  planHoldTransition,
  type HoldTransitionParams,
} from '../../../server/domain/hold-lifecycle.ts';
import type { HoldFacts } from '../../../server/domain/holds.ts';
import { HOLD_STATES, type HoldState } from '../../../server/domain/vocabulary.ts';
import { codeOf } from '../../factories/domain.ts';

const calendar = createCalendar();
const hold = (state: HoldState, reviewOn: string | null = '2026-03-02'): HoldFacts => ({
  id: 'hold-1',
  state,
  personnelActionId: 'pa-1',
  caseId: 'case-1',
  reviewOn,
});
const at = (today: string, over: Partial<HoldTransitionParams> = {}): HoldTransitionParams => ({ today, calendar, ...over });

describe('confirming and refusing', () => {
  it('confirms a proposed hold with its legal basis and scope, setting a review 30 days on', () => {
    // 2026-03-02 is a Monday; 30 days on is Wednesday 2026-04-01.
    const p = planHoldTransition(hold('proposed', null), 'confirm', at('2026-03-02', { legalBasis: 'QĐ 22-QĐ/TW Đ.15', scope: 'bổ nhiệm' }));
    expect(p.to).toBe('confirmed');
    expect(p.reviewOn).toBe('2026-04-01');
  });

  it('moves a review date that falls on a weekend to the next working day', () => {
    // 2026-01-02 + 30 days is Sunday 2026-02-01.
    expect(computeHoldReviewOn('2026-01-02', calendar)).toBe('2026-02-02');
  });

  it('uses the body’s configured review period', () => {
    const policy = resolveDeadlinePolicy({ rules: { hold_review: { amount: 14 } } });
    expect(computeHoldReviewOn('2026-03-02', calendar, policy)).toBe('2026-03-16');
  });

  it('refuses to confirm without a legal basis or a scope', () => {
    expect(codeOf(() => planHoldTransition(hold('proposed'), 'confirm', at('2026-03-02', { scope: 'x' })))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => planHoldTransition(hold('proposed'), 'confirm', at('2026-03-02', { legalBasis: 'x' })))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('refuses a proposed hold only with a reason', () => {
    expect(codeOf(() => planHoldTransition(hold('proposed'), 'refuse', at('2026-03-02')))).toBe('VALIDATION_FAILED');
    expect(planHoldTransition(hold('proposed'), 'refuse', at('2026-03-02', { reason: 'không liên quan' })).to).toBe('refused');
  });

  it.each(HOLD_STATES.filter((s) => s !== 'proposed'))('cannot confirm or refuse a hold that is %s', (state) => {
    const full = at('2026-03-02', { legalBasis: 'x', scope: 'y', reason: 'z' });
    expect(codeOf(() => planHoldTransition(hold(state), 'confirm', full))).toBe('INVALID_TRANSITION');
    expect(codeOf(() => planHoldTransition(hold(state), 'refuse', full))).toBe('INVALID_TRANSITION');
  });
});

describe('renewal and lapse', () => {
  it('renews with a reason, counting the new period from the renewal', () => {
    const p = planHoldTransition(hold('confirmed', '2026-04-01'), 'renew', at('2026-03-30', { reason: 'xác minh chưa xong' }));
    expect(p.to).toBe('confirmed');
    expect(p.reviewOn).toBe('2026-04-29');
  });

  it('refuses a renewal without a reason', () => {
    expect(codeOf(() => planHoldTransition(hold('confirmed'), 'renew', at('2026-03-01', { reason: ' ' })))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('answers a lapse by renewing the lapsed hold', () => {
    expect(planHoldTransition(hold('lapsed'), 'renew', at('2026-03-05', { reason: 'gia hạn' })).to).toBe('confirmed');
  });

  it('marks a hold lapsed only after its review date, and escalates', () => {
    expect(codeOf(() => planHoldTransition(hold('confirmed', '2026-03-02'), 'lapse', at('2026-03-02')))).toBe('INVALID_TRANSITION');
    const p = planHoldTransition(hold('confirmed', '2026-03-02'), 'lapse', at('2026-03-03'));
    expect(p.to).toBe('lapsed');
    expect(p.escalate).toBe(true);
  });

  it('tells the review job to remind, then to escalate, and never to lift', () => {
    expect(holdReviewStatus(hold('confirmed', '2026-03-20'), '2026-03-01')).toEqual({ status: 'not_due', daysLeft: 19 });
    expect(holdReviewStatus(hold('confirmed', '2026-03-20'), '2026-03-16')).toEqual({ status: 'remind', daysLeft: 4 });
    expect(holdReviewStatus(hold('confirmed', '2026-03-20'), '2026-03-20')).toEqual({ status: 'remind', daysLeft: 0 });
    expect(holdReviewStatus(hold('confirmed', '2026-03-20'), '2026-03-23')).toEqual({ status: 'escalate', daysOverdue: 3 });
    expect(holdReviewStatus(hold('lapsed', '2026-03-20'), '2026-04-20')).toEqual({ status: 'escalate', daysOverdue: 31 });
  });

  it('escalates a hold in force that has no review date rather than ignoring it', () => {
    expect(holdReviewStatus(hold('confirmed', null), '2026-03-01')).toEqual({ status: 'escalate', daysOverdue: 0 });
  });

  it.each(['proposed', 'refused', 'lifted'] as const)('has no review for a %s hold', (state) => {
    expect(holdReviewStatus(hold(state, '2026-01-01'), '2026-03-01')).toEqual({ status: 'inactive' });
  });
});

describe('lifting', () => {
  it.each(['proposed', 'confirmed', 'lapsed'] as const)('lifts a %s hold with a reason code', (state) => {
    const p = planHoldTransition(hold(state), 'lift', at('2026-03-05', { liftReason: 'cleared' }));
    expect(p.to).toBe('lifted');
    expect(p.event).toEqual({ type: 'hold.lift', liftReason: 'cleared' });
  });

  it('refuses to lift without a reason code, or on the lead’s own decision without a stated reason', () => {
    expect(codeOf(() => planHoldTransition(hold('confirmed'), 'lift', at('2026-03-05')))).toBe('VALIDATION_FAILED');
    expect(codeOf(() => planHoldTransition(hold('confirmed'), 'lift', at('2026-03-05', { liftReason: 'lead_decision' })))).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('cannot lift a hold twice', () => {
    expect(codeOf(() => planHoldTransition(hold('lifted'), 'lift', at('2026-03-05', { liftReason: 'cleared' })))).toBe(
      'INVALID_TRANSITION',
    );
  });
});
