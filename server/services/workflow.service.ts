// The workflow's reactions to outbox events, each run inside a job's runOnce transaction:
// routing a received case, telling staff about transitions and reporter activity.
import type { Config } from '../config.ts';
import type { Tx } from '../db/client.ts';
import { localDateOf } from '../domain/calendar.ts';
import { handlingBodyFor, isMultiSite } from '../domain/case-bodies.ts';
import { planTransition, type CaseFacts } from '../domain/case-lifecycle.ts';
import { CASE_STATE_INFO } from '../domain/case-states.ts';
import { isAppError } from '../domain/errors.ts';
import { routeCase, type RoutingContext, type RoutingResult } from '../domain/routing.ts';
import { findCaseRow, listAssigneeIds, listRoutedBodies, lockCaseRow, type CaseRow, type RoutedBody } from '../repositories/case-event.repository.ts';
import { insertCaseBodies, insertCaseEvents } from '../repositories/case.repository.ts';
import { findPublicCadre } from '../repositories/directory.repository.ts';
import { listOpenCaseDeadlines } from '../repositories/deadline.repository.ts';
import { appendAudits, type AuditEntry } from './audit.service.ts';
import { applyTransition } from './case-transition.service.ts';
import { applyDeadlineEffects, loadCalendar, type WrittenDeadlineJob } from './deadline.service.ts';
import type { CaseClocks } from './deadline-schedule.ts';
import { caseStaffOf, notifyStaff } from './notification.service.ts';
import { applyHoldEffects, type HoldEffects } from './workflow-holds.service.ts';

type Deps = { config: Pick<Config, 'smtpUrl'>; now?: Date };

/** What submission does to deadlines, as the lifecycle plans it (the triage clock from receipt). */
const SUBMIT_DEADLINES = planTransition({
  case: {
    state: null, resumeState: null, classification: null, isAnonymous: true, hasSignedPetition: false, isCorroborated: false, cadreId: null,
    resolutionExtensions: 0, assignedInvestigatorIds: [], reporterAnswered: false,
    flags: { overdue: false, urgent: false, complexity: 'normal', mergedIntoCaseId: null, congressWindow: false, signsOfViolation: false },
  } satisfies CaseFacts,
  actor: { kind: 'reporter' },
  transition: 'submit',
}).deadlines;

type Explanation = { vi: string; en: string; ruleId: string | null };

function explanationOf(reason: string): Explanation | null {
  try {
    const parsed = JSON.parse(reason) as Partial<Explanation>;
    return typeof parsed.vi === 'string' && typeof parsed.en === 'string' ? { vi: parsed.vi, en: parsed.en, ruleId: parsed.ruleId ?? null } : null;
  } catch {
    return null;
  }
}

/** The routed bodies with the rule that added each (from the reason routing recorded). */
const withRules = (routed: readonly RoutedBody[]) => routed.map((r) => ({ ...r, ruleId: explanationOf(r.reason)?.ruleId ?? null }));

/** The routing decision for a case as it stands now (for cases routed without the intake, and for flags). */
export async function computeRouting(tx: Tx, c: CaseRow, ctx: RoutingContext): Promise<RoutingResult> {
  const cadre = c.cadreId ? await findPublicCadre(tx, c.cadreId) : undefined;
  return routeCase({ category: c.category, jurisdictionCode: c.jurisdictionCode, ...(cadre ? { cadre } : {}) }, ctx);
}

export type RouteOutcome =
  | { status: 'missing' }
  | { status: 'routed'; caseId: string; bodies: number; triageStarted: boolean; scheduled: WrittenDeadlineJob[] };

/**
 * Routes a received case: makes sure its case_bodies exist (the intake records them at
 * submission, having sealed to them), records why on the timeline, moves it into triage,
 * starts the triage clock and tells the staff of those bodies. The move into triage is the
 * job's own follow-up: its reaction runs here, in the same transaction, and its outbox row
 * is recorded completed rather than relayed to a second job.
 */
export async function routeReceivedCase(tx: Tx, deps: Deps & { routing: RoutingContext }, caseId: string): Promise<RouteOutcome> {
  const now = deps.now ?? new Date();
  const today = localDateOf(now);
  let c = await lockCaseRow(tx, caseId);
  if (!c || c.pendingUntil !== null) return { status: 'missing' };
  // Independent reads go out together (one round trip on the transaction's connection).
  const [computed, recorded, assigneeIds] = await Promise.all([
    computeRouting(tx, c, deps.routing), listRoutedBodies(tx, c.id), listAssigneeIds(tx, c.id),
  ]);
  let routed = recorded;
  if (routed.length === 0) {
    await insertCaseBodies(tx, computed.targets.map((t) => ({
      caseId, bodyId: t.bodyId, role: t.role, reason: JSON.stringify({ vi: t.explanation.vi, en: t.explanation.en, ruleId: t.ruleId }),
    })));
    routed = await listRoutedBodies(tx, c.id);
  }
  const audit: AuditEntry[] = [];
  const scheduled: WrittenDeadlineJob[] = [];
  // A received case's triage clock starts now, before the move into triage, so that the move's
  // own update of the case row also sets the row's deadline columns (one write of the row).
  // A clock already running is left as it is (applyDeadlineEffects starts none twice).
  const moving = c.state === 'received';
  const isTriageState = CASE_STATE_INFO[c.state].clock === 'triage' && c.state !== 'referred';
  const calendar = await loadCalendar(tx);
  let clocks: CaseClocks | undefined;
  // Independent of each other: the routing event, who to tell, and the clock go out together
  // on the transaction's connection.
  const [, recipients, changes] = await Promise.all([
    // Codes and ids, with the explanation built from administrator data (body and rule names), never the report.
    insertCaseEvents(tx, [{
      caseId: c.id, kind: 'case.routed', actorKind: 'system', isPublic: false, dedupeKey: 'routed', occurredOn: today,
      detail: {
        targets: routed.map((r) => ({ bodyId: r.bodyId, role: r.role, ...explanationOf(r.reason) })),
        flags: computed.flags.map((f) => f.code),
      },
    }]),
    caseStaffOf(tx, c, { bodyIds: routed.map((r) => r.bodyId) }),
    !isTriageState ? [] : applyDeadlineEffects(tx, SUBMIT_DEADLINES, {
      caseId: c.id, receivedOn: c.receivedOn, today, now, calendar,
      bodyId: handlingBodyFor(routed, 'triage', null),
      isMultiSite: isMultiSite(withRules(routed)),
      written: scheduled,
      // The move into triage writes the case's clock columns in its own update of the row.
      ...(moving ? { onCaseClocks: (value: CaseClocks) => { clocks = value; } } : {}),
    }),
  ]);
  const [moved] = await Promise.all([
    !moving ? null : applyTransition(tx, {
      caseId: c.id, actor: { kind: 'system' }, transition: 'start_triage', now, deferredAudit: audit, locked: { row: c, routed, assigneeIds },
      reactedInline: true, ...(clocks ? { clocks } : {}),
    }),
    notifyStaff(tx, deps.config, { caseRef: c.publicRef, kind: 'case.routed', dedupeKey: `case/${c.id}/routed`, recipients }),
  ]);
  if (moved) {
    c = moved.after;
    audit.push(...(await reactLocked(tx, deps, c, routed, moved.event)).audit);
  }
  const triageStarted = changes.some((ch) => ch.op === 'start');
  audit.push({
    actorKind: 'system', action: 'case.routed', resourceKind: 'case', resourceId: c.id,
    detail: { bodies: routed.length, flagged: computed.flagged, triageStarted },
  });
  await appendAudits(tx, audit);
  return { status: 'routed', caseId: c.id, bodies: routed.length, triageStarted, scheduled };
}

export type TransitionEvent = HoldEffects & {
  caseId: string;
  transition: string;
  toState: string;
  actorKind?: string | undefined;
  targetBodyId?: string | undefined;
  investigatorIds?: readonly string[] | undefined;
};

/** Who hears of a transition: whoever's desk the case arrives at, when someone else moved it. */
async function transitionRecipients(tx: Tx, c: CaseRow, routed: readonly RoutedBody[], e: TransitionEvent) {
  if (e.transition === 'refer' && e.targetBodyId) return caseStaffOf(tx, c, { bodyIds: [e.targetBodyId] });
  if ((e.transition === 'assign' || e.transition === 'examine') && e.investigatorIds?.length) {
    return caseStaffOf(tx, c, { staffIds: e.investigatorIds });
  }
  // Triage starts as part of routing, whose own notification already told the desk.
  if (e.transition === 'start_triage') return [];
  if (e.actorKind === 'reporter' || e.actorKind === 'system') {
    const body = handlingBodyFor(routed, c.state, c.resumeState);
    return body ? caseStaffOf(tx, c, { bodyIds: [body] }) : [];
  }
  return [];
}

/**
 * After a transition: propose or lift holds as planned, tell the staff concerned, and stop
 * any clock still running in a state that has none (a transition written by a path that did
 * not apply its deadline effects).
 */
export async function reactToTransition(tx: Tx, deps: Deps, e: TransitionEvent): Promise<{ notified: number; stopped: number }> {
  const c = await lockCaseRow(tx, e.caseId);
  if (!c) return { notified: 0, stopped: 0 };
  const { audit, ...counts } = await reactLocked(tx, deps, c, await listRoutedBodies(tx, c.id), e);
  await appendAudits(tx, audit);
  return counts;
}

/** reactToTransition on a case row this transaction has locked; the audit entries are the caller's to append last. */
async function reactLocked(
  tx: Tx, deps: Deps, c: CaseRow, routed: readonly RoutedBody[], e: TransitionEvent,
): Promise<{ notified: number; stopped: number; audit: AuditEntry[] }> {
  const now = deps.now ?? new Date();
  let stopped = 0;
  if (CASE_STATE_INFO[c.state].clock === null) {
    const open = await listOpenCaseDeadlines(tx, c.id);
    const changes = open.length === 0 ? [] : await applyDeadlineEffects(tx, open.map((d) => ({ kind: d.kind, op: 'stop' as const })), {
      caseId: c.id, receivedOn: c.receivedOn, today: localDateOf(now), now, calendar: await loadCalendar(tx), bodyId: null,
    });
    stopped = changes.length;
  }
  const audit = await applyHoldEffects(tx, { config: deps.config, now }, c, handlingBodyFor(routed, c.state, c.resumeState), e);
  const notified = await notifyStaff(tx, deps.config, {
    caseRef: c.publicRef, kind: `case.${e.transition}`, dedupeKey: `case/${c.id}/${e.transition}/v${e.version ?? 0}`,
    recipients: await transitionRecipients(tx, c, routed, e),
  });
  return { notified, stopped, audit };
}

export type ActivityEvent = { caseId: string; kind: 'reporter_message' | 'evidence_added'; itemId: string };

/**
 * The reporter wrote or added evidence. An answer to a question resumes the case (the
 * lifecycle's reporter_reply); either way the handling body hears of it.
 */
export async function reactToReporterActivity(tx: Tx, deps: Deps, e: ActivityEvent): Promise<{ resumed: boolean; notified: number }> {
  const c = await findCaseRow(tx, e.caseId);
  if (!c) return { resumed: false, notified: 0 };
  let resumed = false;
  const audit: AuditEntry[] = [];
  if (e.kind === 'reporter_message' && c.state === 'needs_info') {
    try {
      await applyTransition(tx, {
        caseId: c.id, actor: { kind: 'reporter' }, transition: 'reporter_reply', deferredAudit: audit, ...(deps.now ? { now: deps.now } : {}),
      });
      resumed = true;
    } catch (err) {
      // Another path resumed it first; the message is still news for the staff.
      if (!isAppError(err) || err.code !== 'INVALID_TRANSITION') throw err;
    }
  }
  const fresh = resumed ? await findCaseRow(tx, c.id) : c;
  const body = fresh ? handlingBodyFor(await listRoutedBodies(tx, c.id), fresh.state, fresh.resumeState) : null;
  const notified = body === null ? 0 : await notifyStaff(tx, deps.config, {
    caseRef: c.publicRef, kind: `case.${e.kind}`, dedupeKey: `case/${c.id}/${e.kind}/${e.itemId}`,
    recipients: await caseStaffOf(tx, c, { bodyIds: [body] }),
  });
  await appendAudits(tx, audit);
  return { resumed, notified };
}
