// Shared by the personnel, holds and directory pages: the API's shapes, localised labels
// (from $domain/labels, so the three hold-related terms are never mixed up) and the text of
// the refusals these pages explain themselves.
import { ApiError } from '$lib/api';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { HOLD_STATE_LABELS, PERSONNEL_ACTION_KIND_LABELS, PERSONNEL_ACTION_STATE_LABELS, type Label } from '$domain/labels';
import { PERSONNEL_TRANSITIONS, type PersonnelTransitionName } from '$domain/personnel';
import type { HoldState, PersonnelActionKind, PersonnelActionState } from '$domain/vocabulary';

export type HoldBadge = {
  id: string; state: HoldState; reviewOn: string | null; proceedAnyway: boolean;
  placingBody: { id: string; nameVi: string; nameEn: string };
};

export type PersonnelAction = {
  id: string; kind: PersonnelActionKind; state: PersonnelActionState; version: number; positionTitle: string; proposedOn: string;
  noticeUntil: string | null; decisionRef: string | null; heldFromState: string | null; commentCount: number; proposingBodyId: string;
  reviewOutcome: 'no_objection' | 'objection' | null; reviewRef: string | null; needsReview: boolean;
  cadre: { id: string; fullName: string; position: string; unitName: string; clearedAt: string | null };
  holds: HoldBadge[];
};

export type ActionDetail = PersonnelAction & {
  history: Array<{ id: number; kind: string; fromState: string | null; toState: string | null; actorKind: string; holdId: string | null; at: string; detail: Record<string, unknown> }>;
};

export type Cadre = {
  id: string; fullName: string; position: string; unitName: string; jurisdictionCode: string; level: string; managingLevel: string;
  managingJurisdictionCode: string; isPublic: boolean; clearedAt: string | null;
};

export const label = (l: Label): string => (getLocale() === 'en' ? l.en : l.vi);
export const kindName = (k: PersonnelActionKind): string => label(PERSONNEL_ACTION_KIND_LABELS[k]);
export const stateName = (s: PersonnelActionState): string => label(PERSONNEL_ACTION_STATE_LABELS[s]);
export const holdStateName = (s: HoldState): string => label(HOLD_STATE_LABELS[s]);
export const bodyName = (b: { nameVi: string; nameEn: string }): string => (getLocale() === 'en' ? b.nameEn || b.nameVi : b.nameVi);

/** Days shown as the Vietnamese write them (dd/mm/yyyy), or ISO in English. */
export const day = (iso: string | null): string => {
  if (!iso) return '—';
  const [y, mo, d] = iso.slice(0, 10).split('-');
  return getLocale() === 'en' ? iso.slice(0, 10) : `${d}/${mo}/${y}`;
};

export function holdLine(h: HoldBadge): string {
  const body = bodyName(h.placingBody);
  return h.state === 'proposed'
    ? m.personnel_hold_line_proposed({ state: holdStateName(h.state), body })
    : m.personnel_hold_line({ state: holdStateName(h.state), body, reviewOn: day(h.reviewOn) });
}

/** The refusal of a move, in words that say what to do next; null for errors ErrorNotice explains. */
export function refusalText(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  const d = error.details;
  if (error.code === 'ACTION_HELD') {
    const body = getLocale() === 'en' ? String(d['placingBodyNameEn'] ?? d['placingBodyNameVi'] ?? '') : String(d['placingBodyNameVi'] ?? '');
    const hold = String(d['holdId'] ?? '').slice(0, 8);
    const reviewOn = day(typeof d['reviewOn'] === 'string' ? d['reviewOn'] : null);
    if (d['holdState'] === 'proposed') return m.personnel_refused_held_proposed({ body, hold });
    // A missed review never lifts the hold: say so, or the past date reads as "expired".
    if (d['holdState'] === 'lapsed') return m.personnel_refused_held_lapsed({ body, hold, reviewOn });
    return m.personnel_refused_held({ body, hold, reviewOn });
  }
  if (error.code === 'REVIEW_REQUIRED') return m.personnel_refused_review();
  if (error.code === 'INVALID_TRANSITION') return m.personnel_refused_transition();
  if (error.code === 'STALE_VERSION') return m.personnel_refused_stale();
  if (error.code === 'UNPROCESSABLE') {
    const reasons: Record<string, () => string> = {
      ANONYMOUS_REPORTER: m.personnel_refused_anonymous_reporter, CADRE_OF_CASE: m.personnel_refused_cadre_of_case,
      NOT_WATCHED: m.personnel_refused_not_watched,
    };
    return reasons[String(d['reason'])]?.() ?? null;
  }
  return null;
}

export type CsvProblem = { line: number; column: string | null; code: string };

export function problemText(p: CsvProblem): string {
  const problems: Record<string, () => string> = {
    missing: m.personnel_directory_problem_missing, too_long: m.personnel_directory_problem_too_long,
    unknown_level: m.personnel_directory_problem_unknown_level, unknown_jurisdiction: m.personnel_directory_problem_unknown_jurisdiction,
    bad_header: m.personnel_directory_problem_bad_header, column_count: m.personnel_directory_problem_column_count,
    unterminated_quote: m.personnel_directory_problem_unterminated_quote, empty_file: m.personnel_directory_problem_empty_file,
    too_many_rows: m.personnel_directory_problem_too_many_rows, bad_boolean: m.personnel_directory_problem_bad_boolean,
    not_managed_here: m.personnel_directory_problem_not_managed_here,
  };
  return m.personnel_directory_problem({ line: String(p.line), column: p.column ? ` (${p.column})` : '', problem: (problems[p.code] ?? (() => p.code))() });
}

/** The officer's moves and the API path of each; which states allow them comes from the domain's table. */
export const MOVE_PATHS = {
  publish_notice: 'publish-notice', submit_for_decision: 'submit', approve: 'approve', execute: 'execute', withdraw: 'withdraw',
} as const satisfies Partial<Record<PersonnelTransitionName, string>>;
export type Move = keyof typeof MOVE_PATHS;

export function movesFrom(state: PersonnelActionState): Move[] {
  const moves = (Object.keys(MOVE_PATHS) as Move[]).filter((t) => PERSONNEL_TRANSITIONS[t].from.includes(state));
  // A held action still offers approval: the server refuses it and names the hold, which is how the officer learns why.
  return state === 'held' ? ['approve', ...moves] : moves;
}

const EVENT_NAMES: Record<string, () => string> = {
  'personnel.created': m.personnel_event_personnel_created, 'personnel.publish_notice': m.personnel_event_personnel_publish_notice,
  'personnel.submit_for_decision': m.personnel_event_personnel_submit_for_decision, 'personnel.approve': m.personnel_event_personnel_approve,
  'personnel.execute': m.personnel_event_personnel_execute, 'personnel.withdraw': m.personnel_event_personnel_withdraw,
  'personnel.hold': m.personnel_event_personnel_hold, 'personnel.release': m.personnel_event_personnel_release,
  'personnel.reviewed': m.personnel_event_personnel_reviewed, 'hold.proposed': m.personnel_event_hold_proposed,
  'hold.confirmed': m.personnel_event_hold_confirmed, 'hold.refused': m.personnel_event_hold_refused, 'hold.renewed': m.personnel_event_hold_renewed,
  'hold.lifted': m.personnel_event_hold_lifted, 'hold.review_missed': m.personnel_event_hold_review_missed,
  'hold.proceed_anyway_recorded': m.personnel_event_hold_proceed_anyway_recorded,
};
const LIFT_REASONS: Record<string, () => string> = {
  cleared: m.personnel_lift_reason_cleared, case_terminated: m.personnel_lift_reason_case_terminated,
  case_withdrawn: m.personnel_lift_reason_case_withdrawn, case_dismissed: m.personnel_lift_reason_case_dismissed,
  lead_decision: m.personnel_lift_reason_lead_decision, action_withdrawn: m.personnel_lift_reason_action_withdrawn,
};

/** One line of an action's history in words: what happened and, for a lift, why. */
export function eventLine(e: ActionDetail['history'][number]): string {
  const what = (EVENT_NAMES[e.kind] ?? m.personnel_event_other)();
  const reason = typeof e.detail['liftReason'] === 'string' ? LIFT_REASONS[e.detail['liftReason']] : undefined;
  return reason ? `${what} (${m.personnel_history_lift_reason({ reason: reason() })})` : what;
}
