// Words for the casework pages, from the shared domain tables (state, transition, reason
// and classification labels are defined once there) in the page's locale.
import { CASE_STATE_INFO } from '$domain/case-states';
import { isTransitionName } from '$domain/case-transitions';
import {
  FILING_REASON_LABELS, NOT_ACCEPT_REASON_LABELS, PAUSE_REASON_LABELS, RETURN_GUIDANCE_LABELS, TERMINATION_REASON_LABELS,
} from '$domain/case-reasons';
import {
  CASE_FLAG_LABELS, CATEGORY_LABELS, CLASSIFICATION_LABELS, COMPLEXITY_LABELS, CONCLUSION_OUTCOME_LABELS, TRANSITION_LABELS, type Label,
} from '$domain/labels';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { ActionReason, CaseAction, NoteKind } from './types';

const pick = (label: Label): string => (getLocale() === 'en' ? label.en : label.vi);
const lookup = <K extends string>(table: Record<K, Label>, key: string | null | undefined): string | null =>
  key != null && key in table ? pick(table[key as K]) : null;

export const stateLabel = (state: string): string => lookup(Object.fromEntries(Object.entries(CASE_STATE_INFO).map(([k, v]) => [k, v.label])), state) ?? state;
export const classificationLabel = (c: string | null): string => lookup(CLASSIFICATION_LABELS, c) ?? m.case_unclassified();
export const categoryLabel = (c: string): string => lookup(CATEGORY_LABELS, c) ?? c;
export const outcomeLabel = (o: string | null): string => lookup(CONCLUSION_OUTCOME_LABELS, o) ?? '—';
export const complexityLabel = (c: string): string => lookup(COMPLEXITY_LABELS, c) ?? c;
export const flagLabel = (flag: keyof typeof CASE_FLAG_LABELS): string => pick(CASE_FLAG_LABELS[flag]);

const REASON_TABLES = [FILING_REASON_LABELS, NOT_ACCEPT_REASON_LABELS, TERMINATION_REASON_LABELS, PAUSE_REASON_LABELS, RETURN_GUIDANCE_LABELS] as const;

export function reasonLabel(code: string | null): string | null {
  if (!code) return null;
  for (const table of REASON_TABLES) {
    const label = lookup(table as Record<string, Label>, code);
    if (label) return label;
  }
  return code;
}

/** The names of moves that are not transitions of the state machine. */
export function actionLabel(name: string): string {
  if (isTransitionName(name)) return pick(TRANSITION_LABELS[name].action);
  switch (name) {
    case 'message_reporter': return m.case_action_message_reporter();
    case 'note': return m.case_action_note();
    case 'assign': return m.case_action_assign();
    case 'forward': return m.case_action_forward();
    case 'merge': return m.case_action_merge();
    case 'export': return m.case_action_export();
    case 'request_identity': return m.case_action_request_identity();
    case 'approve_identity': return m.case_action_approve_identity();
    case 'conclude': return m.case_action_conclude();
    case 'label': return m.case_action_label();
    case 'link': return m.case_action_link();
    case 'link_cadre': return m.case_action_link_cadre();
    case 'recuse': return m.case_action_recuse();
    default: return name;
  }
}

/** Reasons that only say the move does not fit the case's state or the member's role. */
export const isBackgroundReason = (reason: ActionReason | null): boolean => {
  const code = reason === null ? '' : typeof reason === 'string' ? reason : reason.code;
  return ['INVALID_TRANSITION', 'ROLE_NOT_PERMITTED', 'TRANSITION_NOT_PERMITTED', 'FORBIDDEN', 'ROLE_BODY_MISMATCH'].includes(code);
};

/** Why an action is not offered, in words; the server's message is English, so codes come first. */
export function actionReasonText(reason: ActionReason | null): string {
  if (reason === null) return '';
  const code = typeof reason === 'string' ? reason : reason.code;
  switch (code) {
    case 'FORBIDDEN': case 'ROLE_NOT_PERMITTED': case 'TRANSITION_NOT_PERMITTED': case 'ROLE_BODY_MISMATCH':
      return m.case_reason_forbidden();
    case 'NOT_HANDLING_BODY': case 'NOT_OWN_BODY': case 'NOT_GRANTED_TO_BODY': case 'NO_CASE_ACCESS':
      return m.case_reason_not_handling();
    case 'SELF_CONCERNED': return m.case_reason_self();
    case 'RECUSED': return m.case_reason_recused();
    case 'SAME_PERSON': return m.case_reason_same_person();
    case 'NO_IDENTITY': return m.case_reason_no_identity();
    case 'ALREADY_REQUESTED': return m.case_reason_already_requested();
    case 'IDENTITY_ACCESS_NOT_APPROVED': return m.case_reason_identity_not_approved();
    case 'INVALID_TRANSITION': return m.case_reason_invalid_transition();
    case 'VALIDATION_FAILED': return m.case_reason_needs_input();
    case 'ACTION_HELD': return m.case_reason_held();
    default: {
      const message = typeof reason === 'string' ? '' : reason.message ?? '';
      return message || m.case_reason_not_now();
    }
  }
}

export const findAction = (actions: readonly CaseAction[], name: string): CaseAction | undefined => actions.find((a) => a.name === name);

export function noteKindLabel(kind: NoteKind): string {
  switch (kind) {
    case 'plan': return m.case_note_kind_plan();
    case 'step': return m.case_note_kind_step();
    case 'reason': return m.case_note_kind_reason();
    default: return m.case_note_kind_note();
  }
}

/** One line of the timeline in plain words: the move ('case.<transition>'), or what happened. */
export function eventText(kind: string, toState: string | null): string {
  const name = kind.startsWith('case.') ? kind.slice(5) : kind;
  if (isTransitionName(name)) return pick(TRANSITION_LABELS[name].action);
  switch (name) {
    case 'routed': return m.case_event_routed();
    case 'merged_in': return m.case_event_merged_in();
    case 'cadre_linked': return m.case_event_cadre_linked();
    case 'cadre.cleared': return m.case_event_cadre_cleared();
    case 'deadline.overdue': return m.case_event_escalated();
    case 'deadline.reply_window_passed': return m.case_event_reply_window_passed();
    case 'holds.proposed': return m.case_event_holds_proposed();
    case 'holds.lifted':
    case 'hold.lifted': return m.case_event_holds_lifted();
    case 'hold.confirmed': return m.case_event_hold_confirmed();
    case 'hold.refused': return m.case_event_hold_refused();
    case 'hold.renewed': return m.case_event_hold_renewed();
    case 'hold.proceed_anyway_recorded': return m.case_event_hold_proceed_anyway_recorded();
    case 'hold.proceed_anyway_used': return m.case_event_hold_proceed_anyway_used();
    case 'hold.review_missed': return m.case_event_hold_review_missed();
    default: return toState ? m.case_event_moved({ state: stateLabel(toState) }) : m.case_event_other({ kind });
  }
}

export const bodyName = (b: { nameVi: string; nameEn: string }): string => (getLocale() === 'en' ? b.nameEn : b.nameVi);

export const formatDay = (iso: string): string => {
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return new Intl.DateTimeFormat(getLocale() === 'en' ? 'en-GB' : 'vi-VN', { dateStyle: 'medium', timeZone: iso.length === 10 ? 'UTC' : undefined }).format(date);
};

export const formatBytes = (n: number): string =>
  n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Where routing sent the case and why ("Routed to X because Y"), from a case.routed event's detail. */
export function routedExplanations(detail: Record<string, unknown> | null): string[] {
  const targets = detail?.['targets'];
  if (!Array.isArray(targets)) return [];
  return targets.flatMap((t: unknown) => {
    const { vi, en } = (t ?? {}) as { vi?: unknown; en?: unknown };
    return typeof vi === 'string' && typeof en === 'string' ? [pick({ vi, en })] : [];
  });
}
