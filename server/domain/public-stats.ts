// The public statistics' rules (DESIGN: Statistics): which stage a case counts in, what a
// triage decision is, which holds count as placed and lifted, and the small-cell rule that
// decides what may be published. Pure:
// the service reads the counts and applies these.
import { CASE_STATE_INFO, CASE_TRANSITIONS, TRANSITION_NAMES } from './case-lifecycle.ts';
import { phaseOf } from './case-states.ts';
import { HOLD_TRANSITIONS, type HoldTransitionName } from './hold-lifecycle.ts';
import { CASE_STATES, type CaseState, type HoldState } from './vocabulary.ts';

// ── Cases ──────────────────────────────────────────────────────────────────────────────

export const STATS_STAGES = ['intake', 'inspection', 'decided'] as const;
export type StatsStage = (typeof STATS_STAGES)[number];

const CLOSE = CASE_TRANSITIONS.close;
/** Decided states: the work ended with a decision and the system closes the case once the reporter is answered. */
export const isDecided = (state: CaseState): boolean => CLOSE.from.includes(state);
export const DECIDED_OR_CLOSED: readonly CaseState[] = CASE_STATES.filter((s) => isDecided(s) || CLOSE.to === s);

export const isOpen = (state: CaseState): boolean => !CASE_STATE_INFO[state].isFinal;

/**
 * The triage decision, read from the transition table: a move by staff out of 'triage' into
 * another state (return, file, merge, transfer, refer). Asking the reporter for more
 * (needs_info, which comes back to triage) decides nothing, nor does the reporter's withdrawal.
 */
export const TRIAGE_DECISION_STATES: readonly CaseState[] = [...new Set(TRANSITION_NAMES.flatMap((name) => {
  const t = CASE_TRANSITIONS[name];
  const isDecision = t.from.includes('triage') && t.to !== 'same' && t.to !== 'resume' && t.to !== 'triage'
    && t.savesResumeState !== true && t.by.some((a) => a !== 'reporter' && a !== 'system');
  return isDecision ? [t.to as CaseState] : [];
}))];

export const CONCLUDED_STATE = CASE_TRANSITIONS.conclude.to as CaseState;

export function stageOf(state: CaseState, resumeState: CaseState | null): StatsStage {
  if (isDecided(state)) return 'decided';
  // 'waiting' is needs_info without a saved resume state, which the workflow never writes:
  // such a case is still before any decision, so it counts with intake.
  return phaseOf(state, resumeState) === 'inspection' ? 'inspection' : 'intake';
}

// ── Holds ──────────────────────────────────────────────────────────────────────────────

/**
 * A hold is placed by the inspection lead's confirmation, never by the workflow's proposal
 * (DESIGN: a hold is a competent body's decision, not an automatic effect). A proposal
 * blocks the action while it waits, but until the lead decides nothing was placed: a
 * proposal still waiting, refused, or lifted before any decision is not counted.
 */
export const PLACING_HOLD_TRANSITION: HoldTransitionName = 'confirm';

/**
 * The record of that decision in the action's history (hold.service writes `hold.confirmed`
 * for a confirmation), which also dates it: the hold row's decided_at moves with every later
 * renewal or lift, so it cannot date the placement.
 */
export const HOLD_PLACED_EVENT = 'hold.confirmed';

/** Where a placed hold can be: the placing move's state and every state reachable from it (in force, or lifted). */
export const PLACED_HOLD_STATES: readonly HoldState[] = (() => {
  const reached: HoldState[] = [HOLD_TRANSITIONS[PLACING_HOLD_TRANSITION].to];
  for (let i = 0; i < reached.length; i++) {
    for (const t of Object.values(HOLD_TRANSITIONS)) {
      if (t.from.includes(reached[i]!) && !reached.includes(t.to)) reached.push(t.to);
    }
  }
  return reached;
})();

const LIFTED = HOLD_TRANSITIONS.lift.to;

/** A group of holds alike for the statistics: their state, whether (and since when) the lead placed them, when they were lifted. */
export type HoldTally = {
  state: HoldState;
  /** The placing decision is recorded. */
  isPlaced: boolean;
  /** It was recorded on or after the window's start. */
  placedSince: boolean;
  /** Lifted on or after the window's start. */
  liftedSince: boolean;
  n: number;
};

export const countsAsPlaced = (h: Pick<HoldTally, 'state' | 'isPlaced'>): boolean => h.isPlaced && PLACED_HOLD_STATES.includes(h.state);

/** Lifted after it had been placed: lifting a proposal before any decision lifts nothing placed. */
export const countsAsLifted = (h: Pick<HoldTally, 'state' | 'isPlaced'>): boolean => countsAsPlaced(h) && h.state === LIFTED;

export type HoldTotals = { placed: number; placedSince: number; lifted: number; liftedSince: number };

/** Holds placed (dated by the lead's decision) and lifted after placement (dated by the lift), all time and in the window. */
export function tallyHolds(rows: readonly HoldTally[]): HoldTotals {
  const out: HoldTotals = { placed: 0, placedSince: 0, lifted: 0, liftedSince: 0 };
  for (const r of rows) {
    if (!countsAsPlaced(r)) continue;
    out.placed += r.n;
    if (r.placedSince) out.placedSince += r.n;
    if (!countsAsLifted(r)) continue;
    out.lifted += r.n;
    if (r.liftedSince) out.liftedSince += r.n;
  }
  return out;
}

// ── Small cells ────────────────────────────────────────────────────────────────────────
//
// A count from 1 to threshold - 1 is published as null (withheld), so no published figure
// narrows down to one or two cases that someone could recognise. Zero is published: it says
// nothing about any case. Where cells add up to a published total, one withheld cell could
// be worked out by subtraction, so a second one (the smallest published non-zero cell) is
// withheld with it. A share is published only when neither of its two parts (met and
// missed) is a withheld count, as a whole percent; a median only over threshold cases or more.

export const SUPPRESSION_THRESHOLD = 5;

export const suppress = (n: number, threshold = SUPPRESSION_THRESHOLD): number | null => (n > 0 && n < threshold ? null : n);

/**
 * The cells of a breakdown whose sum is `total`, with small cells withheld and, when the
 * total is published, never exactly one withheld non-zero cell.
 */
export function suppressBreakdown(cells: readonly number[], threshold = SUPPRESSION_THRESHOLD): (number | null)[] {
  const out = cells.map((n) => suppress(n, threshold));
  const total = cells.reduce((a, b) => a + b, 0);
  if (suppress(total, threshold) === null) return out;
  const withheld = out.filter((v) => v === null).length;
  if (withheld !== 1) return out;
  let smallest = -1;
  out.forEach((v, i) => {
    if (v !== null && v > 0 && (smallest === -1 || v < (out[smallest] as number))) smallest = i;
  });
  if (smallest !== -1) out[smallest] = null;
  return out;
}

/**
 * A whole percentage of part in base, or null when either part (part, and base - part) is a
 * withheld count, or there is nothing to divide. A large base is not enough: 80% of 5 says
 * that exactly 1 missed, as plainly as publishing the 1.
 */
export function share(part: number, base: number, threshold = SUPPRESSION_THRESHOLD): number | null {
  if (base === 0 || suppress(part, threshold) === null || suppress(base - part, threshold) === null) return null;
  return Math.round((100 * part) / base);
}

/** A median, or null when it is over fewer than threshold cases (it would be one of their own values). */
export const suppressMedian = (median: number | null, base: number, threshold = SUPPRESSION_THRESHOLD): number | null =>
  base < threshold ? null : median;
