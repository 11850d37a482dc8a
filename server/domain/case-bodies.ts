// Which of a case's bodies has it now, and whether its checks span several places: rules
// over the bodies routing recorded for the case (case_bodies), used by transitions,
// deadlines, escalation, holds and notifications alike.
import { phaseOf } from './case-states.ts';
import type { CaseState } from './vocabulary.ts';

/** A body a case is routed or forwarded to, in the order the bodies were added. */
export type CaseBodyRef = { bodyId: string; role: string };

/**
 * The body whose turn it is after the move: a referral's target, else the Front intake desk
 * at the intake stage and the body the case was forwarded or routed to for inspection.
 */
export function handlingBodyFor(routed: readonly CaseBodyRef[], state: CaseState, resumeState: CaseState | null, targetBodyId?: string): string | null {
  if (targetBodyId) return targetBodyId;
  const phase = phaseOf(state, resumeState);
  const last = (roles: string[]): string | undefined => [...routed].reverse().find((r) => roles.includes(r.role))?.bodyId;
  if (phase === 'intake') return last(['intake']) ?? null;
  if (phase === 'inspection') return last(['forwarded']) ?? last(['inspection']) ?? null;
  return null;
}

/**
 * "Checks span several places" (10 working days for triage instead of 7): the bodies routing
 * chose sit in more than one jurisdiction. The city desk added only to settle an uncertain
 * route (no rule, no role of its own) does not count: it decides where the case goes, it
 * checks nothing.
 */
export function isMultiSite(routed: readonly { role: string; ruleId: string | null; jurisdictionCode: string }[]): boolean {
  const checking = routed.filter((r) => r.role !== 'added' || r.ruleId);
  return new Set(checking.map((r) => r.jurisdictionCode)).size > 1;
}
