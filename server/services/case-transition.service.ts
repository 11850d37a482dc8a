// The one way a case moves: load its facts, let planTransition decide, and write the new
// state, the timeline events, the deadline effects, the outbox row and the audit entry in
// one transaction. The API, the workers and the intake all call applyTransition.
import type { Db, DbOrTx, Tx } from '../db/client.ts';
import { localDateOf } from '../domain/calendar.ts';
import { planTransition, type ActorRef, type CaseFacts, type TransitionParams, type TransitionPlan } from '../domain/case-lifecycle.ts';
import { handlingBodyFor } from '../domain/case-bodies.ts';
import { AppError } from '../domain/errors.ts';
import type { CaseState, Role } from '../domain/vocabulary.ts';
import {
  hasAnsweredReporterSince, insertAssignees, listAssigneeIds, listRoutedBodies, lockCaseRow, updateCaseAfterTransition,
  type CaseRow, type RoutedBody,
} from '../repositories/case-event.repository.ts';
import { findResumeState, insertCaseBodies, insertCaseEvents } from '../repositories/case.repository.ts';
import { enqueueOutbox } from '../repositories/outbox.repository.ts';
import { appendAudit, type AuditEntry } from './audit.service.ts';
import { applyDeadlineEffects, loadCalendar, loadDeadlinePolicy, type DeadlineChange } from './deadline.service.ts';
import type { CaseClocks } from './deadline-schedule.ts';
import { startOfDay } from './intake-codec.ts';

export const CASE_TRANSITIONED_TOPIC = 'case.transitioned';

export type TransitionActor = { kind: 'system' } | { kind: 'reporter' } | { kind: 'staff'; role: Role; staffId: string };

export type ApplyTransitionInput = {
  caseId: string;
  actor: TransitionActor;
  transition: string;
  params?: TransitionParams;
  /** The version the caller read; a case changed since is refused with STALE_VERSION. */
  expectedVersion?: number;
  /** Days an extension adds (extend_resolution); the body's allowed maximum by default. */
  extensionDays?: number;
  now?: Date;
  /**
   * When given, the audit entry is pushed here for the caller to append as the last write of
   * its transaction: the audit chain's head stays locked from the append until commit, so
   * a job that does more after the transition must not take it early.
   */
  deferredAudit?: AuditEntry[];
  /**
   * The caller already holds the case's row lock in this transaction and read its routed
   * bodies there: they are used instead of being read again.
   */
  locked?: { row: CaseRow; routed: readonly RoutedBody[]; assigneeIds?: readonly string[] };
  /**
   * The caller runs the workflow's reaction to this move in the same transaction (a job's
   * own follow-up move): the outbox row is written completed and never relayed.
   */
  reactedInline?: boolean;
  /**
   * The caller changed the case's deadlines in this transaction just before and took the
   * case's clock columns instead of writing them (onCaseClocks): the move's update writes them.
   */
  clocks?: CaseClocks;
};

export type TransitionResult = {
  caseId: string;
  publicRef: string;
  transition: string;
  fromState: CaseState | null;
  toState: CaseState;
  version: number;
  deadlines: DeadlineChange[];
  /** The case row as the move left it. */
  after: CaseRow;
  /** The case.transitioned payload, as the outbox row carries it. */
  event: TransitionedPayload;
};

export type TransitionedPayload = {
  caseId: string; transition: string; fromState: CaseState | null; toState: CaseState; version: number;
  actorKind: TransitionActor['kind']; actorStaffId: string | null; proposeHolds: boolean; liftHolds: TransitionPlan['liftHolds'];
  deadlineChanges: number; targetBodyId?: string; investigatorIds?: string[];
};

const isTx = (db: DbOrTx): db is Tx => 'rollback' in db;

/** Runs in the caller's transaction when given one (a job's runOnce), otherwise opens its own. */
export async function applyTransition(db: Db | Tx, input: ApplyTransitionInput): Promise<TransitionResult> {
  return isTx(db) ? applyInTx(db, input) : db.transaction((tx) => applyInTx(tx, input));
}

async function loadFacts(tx: Tx, c: CaseRow, transition: string, assigneeIds?: readonly string[]): Promise<CaseFacts> {
  const waiting = c.state === 'needs_info' || c.state === 'paused';
  // Cases moved before resume_state existed (or by another path) fall back to the timeline.
  const resumeState = c.resumeState ?? (waiting ? await findResumeState(tx, c.id) : null);
  return {
    state: c.state,
    resumeState,
    classification: c.classification,
    isAnonymous: c.isAnonymous,
    hasSignedPetition: c.hasSignedPetition,
    isCorroborated: c.isCorroborated,
    cadreId: c.cadreId,
    flags: {
      overdue: c.overdue, urgent: c.urgent, complexity: c.complexity, mergedIntoCaseId: c.mergedIntoId,
      congressWindow: c.congressWindow, signsOfViolation: c.signsOfViolation,
    },
    resolutionExtensions: c.resolutionExtensions,
    assignedInvestigatorIds: assigneeIds ? [...assigneeIds] : await listAssigneeIds(tx, c.id),
    // Only 'close' asks, and it is the only question that costs two queries.
    reporterAnswered: transition === 'close' ? await hasAnsweredReporterSince(tx, c.id, c.state) : false,
  };
}

function actorRef(actor: TransitionActor): ActorRef {
  return actor.kind === 'staff' ? { kind: 'staff', role: actor.role } : actor;
}

async function applyInTx(tx: Tx, input: ApplyTransitionInput): Promise<TransitionResult> {
  const now = input.now ?? new Date();
  const today = localDateOf(now);
  const c = input.locked ? input.locked.row : await lockCaseRow(tx, input.caseId);
  if (!c || c.id !== input.caseId || c.pendingUntil !== null) throw new AppError('NOT_FOUND');
  if (input.expectedVersion !== undefined && input.expectedVersion !== c.version) {
    throw new AppError('STALE_VERSION', undefined, { version: c.version });
  }
  const params = input.params ?? {};
  const facts = await loadFacts(tx, c, input.transition, input.locked?.assigneeIds);
  const routed = input.locked ? input.locked.routed : await listRoutedBodies(tx, c.id);
  const currentBody = handlingBodyFor(routed, c.state, facts.resumeState);
  const plan: TransitionPlan = planTransition({
    case: facts, actor: actorRef(input.actor), transition: input.transition, params,
    deadlinePolicy: await loadDeadlinePolicy(tx, currentBody),
  });

  // Reporter actions keep only the day, like every public action.
  const at = input.actor.kind === 'reporter' ? startOfDay(today) : now;
  // The case row's clock columns are written by the update below, not by the effects.
  let clocks = input.clocks;
  const deadlines = plan.deadlines.length === 0 ? [] : await applyDeadlineEffects(tx, plan.deadlines, {
    caseId: c.id, receivedOn: c.receivedOn, today, now, calendar: await loadCalendar(tx), onCaseClocks: (value) => { clocks = value; },
    bodyId: handlingBodyFor(routed, plan.to, plan.resumeState, params.targetBodyId),
    ...(params.decisionRef !== undefined ? {
      extension: { decisionRef: params.decisionRef, complexity: plan.flags.complexity, ...(input.extensionDays ? { amount: input.extensionDays } : {}) },
    } : {}),
  });
  const extended = deadlines.some((d) => d.op === 'extend' && d.kind === 'resolution');
  const staffId = input.actor.kind === 'staff' ? input.actor.staffId : null;
  // Ids and codes only: the detail is shown to staff and, for public events, its kind to the reporter.
  const detail = {
    version: c.version + 1,
    ...(params.targetBodyId ? { targetBodyId: params.targetBodyId } : {}),
    ...(params.mergedIntoCaseId ? { mergedIntoCaseId: params.mergedIntoCaseId } : {}),
    // Where a case outside the system's competence was sent (a body code or letter number).
    ...(plan.transition === 'transfer' && params.externalBodyRef ? { externalBodyRef: params.externalBodyRef } : {}),
    ...(plan.transition === 'extend_resolution' ? { complexity: plan.flags.complexity, decisionRef: params.decisionRef ?? null } : {}),
    ...(plan.events[0]?.outcome ? { outcome: plan.events[0].outcome } : {}),
  };
  const event: TransitionedPayload = {
    caseId: c.id, transition: plan.transition, fromState: plan.from, toState: plan.to, version: c.version + 1,
    actorKind: input.actor.kind, actorStaffId: staffId, proposeHolds: plan.proposeHolds, liftHolds: plan.liftHolds,
    deadlineChanges: deadlines.length,
    ...(params.targetBodyId ? { targetBodyId: params.targetBodyId } : {}),
    ...(params.investigatorIds ? { investigatorIds: [...params.investigatorIds] } : {}),
  };
  // The writes depend on nothing the others return: they go out together, one round trip on
  // the transaction's connection. The case row is locked, so the versioned update matches.
  // The case's columns as the move leaves them: written below, and returned as `after`.
  const moves = {
    state: plan.to, resumeState: plan.resumeState, classification: plan.classification, complexity: plan.flags.complexity,
    mergedIntoId: plan.flags.mergedIntoCaseId, signsOfViolation: plan.flags.signsOfViolation,
    resolutionExtensions: c.resolutionExtensions + (extended ? 1 : 0),
  };
  const [moved] = await Promise.all([
    updateCaseAfterTransition(tx, c.id, c.version, {
      ...moves,
      ...(plan.transition === 'conclude' && params.outcome ? { outcome: params.outcome } : {}),
      updatedAt: at,
    }, clocks),
    // The referral target handles the case from now on (its clock, its notifications). Access
    // still needs the case key: a member holding K grants it to that body, audited.
    plan.transition === 'refer' && params.targetBodyId
      ? insertCaseBodies(tx, [{ caseId: c.id, bodyId: params.targetBodyId, role: 'forwarded', reason: JSON.stringify({ transition: 'refer' }), createdAt: at }])
      : null,
    (plan.transition === 'assign' || plan.transition === 'examine') && params.investigatorIds
      ? insertAssignees(tx, c.id, params.investigatorIds, staffId)
      : null,
    insertCaseEvents(tx, plan.events.map((e) => ({
      caseId: c.id, kind: e.type, fromState: plan.from, toState: plan.to, actorKind: input.actor.kind, actorStaffId: staffId,
      reasonCode: e.reasonCode ?? null, isPublic: e.isPublic, detail, occurredOn: today, createdAt: at,
      dedupeKey: `${e.type === `case.${plan.transition}` ? plan.transition : e.type}/v${c.version}`,
    }))),
    enqueueOutbox(tx, {
      topic: CASE_TRANSITIONED_TOPIC,
      dedupeKey: `case/${c.id}/${plan.transition}/v${c.version}`,
      payload: event,
      ...(input.reactedInline ? { settled: true } : {}),
    }),
  ]);
  if (!moved) throw new AppError('STALE_VERSION', undefined, { version: c.version });
  const audit: AuditEntry = {
    actorKind: input.actor.kind, actorId: staffId, action: `case.${plan.transition}`, resourceKind: 'case', resourceId: c.id,
    detail: { fromState: plan.from, toState: plan.to, version: c.version + 1, ...(plan.events[0]?.reasonCode ? { reasonCode: plan.events[0].reasonCode } : {}) },
  };
  // Last, so the audit chain's head is locked for as short a time as possible.
  if (input.deferredAudit) input.deferredAudit.push(audit);
  else await appendAudit(tx, audit);
  const after: CaseRow = { ...c, ...moves, version: c.version + 1 };
  return {
    caseId: c.id, publicRef: c.publicRef, transition: plan.transition, fromState: plan.from, toState: plan.to, version: c.version + 1,
    deadlines, after, event,
  };
}
