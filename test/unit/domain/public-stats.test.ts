// The public statistics' rules: the small-cell rule, the stage a case counts in, and the
// triage decision read from the transition table.
import { describe, expect, it } from 'vitest';
import {
  countsAsLifted, countsAsPlaced, DECIDED_OR_CLOSED, PLACED_HOLD_STATES, share, stageOf, suppress, suppressBreakdown, suppressMedian,
  tallyHolds, TRIAGE_DECISION_STATES, type HoldTally,
} from '../../../server/domain/public-stats.ts';
import { IN_FORCE_HOLD_STATES } from '../../../server/domain/holds.ts';

describe('small-cell suppression', () => {
  it('withholds counts from 1 to 4 and publishes 0 and 5', () => {
    expect([0, 1, 4, 5, 120].map((n) => suppress(n))).toEqual([0, null, null, 5, 120]);
  });

  it('withholds a second cell when exactly one would be worked out from the published total', () => {
    expect(suppressBreakdown([2, 9, 7, 0])).toEqual([null, 9, null, 0]);
  });

  it('leaves two withheld cells alone, and a breakdown of a withheld total as it is', () => {
    expect(suppressBreakdown([2, 3, 9])).toEqual([null, null, 9]);
    expect(suppressBreakdown([3, 0])).toEqual([null, 0]);
  });

  it('withholds a share when either of its parts is from 1 to 4, however large the base', () => {
    // 80% of 5 would say exactly 1 missed; 99% of 100 that 1 to 4 did.
    expect(share(4, 5)).toBeNull();
    expect(share(1, 5)).toBeNull();
    expect(share(98, 100)).toBeNull();
    expect(share(3, 4)).toBeNull();
  });

  it('publishes a share, rounded to a whole percent, when each part is 0 or at least 5', () => {
    expect(share(5, 5)).toBe(100);
    expect(share(0, 5)).toBe(0);
    expect(share(5, 10)).toBe(50);
    expect(share(95, 100)).toBe(95);
    expect(share(5, 15)).toBe(33);
    expect(share(0, 0)).toBeNull();
  });

  it('withholds a median over fewer than 5 cases', () => {
    expect(suppressMedian(3, 4)).toBeNull();
    expect(suppressMedian(3, 5)).toBe(3);
  });
});

describe('triage decision', () => {
  it('is a staff move out of triage into another state: not a request for information, not a withdrawal', () => {
    expect([...TRIAGE_DECISION_STATES].sort()).toEqual(['filed', 'referred', 'returned', 'transferred']);
  });
});

describe('decided cases', () => {
  it('are the states the system closes from once the reporter is answered, and closed itself: never an open inspection', () => {
    expect([...DECIDED_OR_CLOSED].sort()).toEqual(['closed', 'concluded', 'filed', 'not_accepted', 'returned', 'terminated', 'transferred']);
  });
});

describe('stage of a case', () => {
  it('follows the domain: needs_info counts where it resumes, a decided state before closure is decided', () => {
    expect(stageOf('received', null)).toBe('intake');
    expect(stageOf('needs_info', 'triage')).toBe('intake');
    expect(stageOf('needs_info', 'verifying')).toBe('inspection');
    expect(stageOf('paused', 'accepted')).toBe('inspection');
    expect(stageOf('filed', null)).toBe('decided');
    expect(stageOf('concluded', null)).toBe('decided');
  });
});

describe('holds placed and lifted', () => {
  const h = (state: HoldTally['state'], isPlaced: boolean, placedSince = false, liftedSince = false, n = 1): HoldTally =>
    ({ state, isPlaced, placedSince, liftedSince, n });

  it('counts a hold as placed only once the lead confirmed it: in force, or lifted afterwards', () => {
    expect([...PLACED_HOLD_STATES].sort()).toEqual([...IN_FORCE_HOLD_STATES, 'lifted'].sort());
    expect(countsAsPlaced(h('confirmed', true))).toBe(true);
    expect(countsAsPlaced(h('lapsed', true))).toBe(true);
    expect(countsAsPlaced(h('lifted', true))).toBe(true);
  });

  it('never counts a proposal awaiting the lead, a refused one, or one lifted before any decision', () => {
    expect(countsAsPlaced(h('proposed', false))).toBe(false);
    expect(countsAsPlaced(h('refused', false))).toBe(false);
    expect(countsAsPlaced(h('lifted', false))).toBe(false);
    expect(countsAsLifted(h('lifted', false))).toBe(false);
    expect(countsAsLifted(h('confirmed', true))).toBe(false);
    expect(countsAsLifted(h('lifted', true))).toBe(true);
  });

  it('dates placement by the lead\'s decision and a lift by the lift', () => {
    expect(tallyHolds([
      h('confirmed', true, true, false, 3), h('lifted', true, false, true, 2), h('lifted', true, true, false, 4),
      h('proposed', false, false, false, 8), h('lifted', false, false, true, 5), h('refused', false, false, false, 6),
    ])).toEqual({ placed: 9, placedSince: 7, lifted: 6, liftedSince: 2 });
  });
});
