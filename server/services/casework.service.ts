// The staff case page: its data (metadata, timeline, messages) and the actions on it.
// Every action is decided by the policy (decide) and, for moves, by planTransition inside
// applyTransition; each writes its audit entry in the same transaction.
import type { Db, Tx } from '../db/client.ts';
import { localDateOf } from '../domain/calendar.ts';
import { listCaseActions } from '../domain/case-actions.ts';
import { AppError } from '../domain/errors.ts';
import { assertAllowed, decide, isCaseVisibleTo, type Actor, type CaseResource, type StaffTransitionName } from '../domain/policy.ts';
import { isTransitionName } from '../domain/case-transitions.ts';
import { workingDaysLeft } from '../domain/queue.ts';
import type { TransitionParams } from '../domain/case-lifecycle.ts';
import { TIMELINE_DETAIL_KEYS, type CaseDetail, type MessagesResponse, type TimelineResponse, type TransitionBody, type TransitionResponse } from '../schemas/casework.ts';
import {
  cadreExists, findBodyBrief, findCaseDetail, findStaffBrief, insertRecusal, updateCaseCadre, hasIdentityEnvelope, insertLink, listAssignees, listCaseBodyItems, listCaseDeadlines,
  listCaseMessages, listInvestigators, listLabels, listLinks, listTimeline, replaceLabels, type StaffBrief,
} from '../repositories/casework.repository.ts';
import { findLatestRequestBy, hasPendingRequestOfOther } from '../repositories/identity-access.repository.ts';
import { insertCaseEvents } from '../repositories/case.repository.ts';
import { appendAudit, appendAudits, type AuditEntry } from './audit.service.ts';
import { applyTransition } from './case-transition.service.ts';
import { toSummary } from './case-queue.service.ts';
import { loadCalendar } from './deadline.service.ts';
import { loadCaseResource } from './inbox-staff.service.ts';
import { toIdentityRequest } from './identity-access.service.ts';

export type LoadedCase = CaseResource & { caseId: string };

const INSPECTION_ROLES = ['inspection_investigator', 'inspection_lead'];
const INSPECTION_BODY_KINDS: readonly string[] = ['inspection_committee', 'internal_affairs', 'inspectorate'];

/** The policy's view of the case, with the actor's own identity request when there is one. */
export async function loadCaseFor(db: Db, publicRef: string, actor: Actor, now = new Date()): Promise<LoadedCase> {
  const res = await loadCaseResource(db, publicRef);
  const mine = await findLatestRequestBy(db, res.caseId, actor.staffId);
  if (!mine || mine.state === 'refused') return res;
  const usable = mine.state === 'approved' && mine.expiresAt !== null && mine.expiresAt > now;
  if (mine.state === 'approved' && !usable) return res;
  return { ...res, identityAccess: { requestedBy: mine.requestedBy, reasonRecorded: true, approvedBy: usable ? mine.decidedBy : null } };
}

export async function getCaseDetail(db: Db, actor: Actor, res: LoadedCase, now = new Date()): Promise<CaseDetail> {
  const row = await findCaseDetail(db, res.caseId);
  if (!row) throw new AppError('NOT_FOUND');
  const [bodyItems, assignees, links, deadlines, labels, cal, hasIdentity, mine, otherPending] = await Promise.all([
    listCaseBodyItems(db, res.caseId), listAssignees(db, res.caseId), listLinks(db, res.caseId), listCaseDeadlines(db, res.caseId),
    listLabels(db, res.caseId), loadCalendar(db), hasIdentityEnvelope(db, res.caseId),
    findLatestRequestBy(db, res.caseId, actor.staffId), hasPendingRequestOfOther(db, res.caseId, actor.staffId),
  ]);
  const today = localDateOf(now);
  const myRequest = mine ? toIdentityRequest(mine, now) : null;
  const hasOwnOpenRequest = myRequest !== null && (myRequest.state === 'pending' || myRequest.state === 'approved');
  const summary = toSummary({
    ...row, queueDueOn: row.nextDueOn ?? '9999-12-31', labels, assigneeCount: assignees.length,
  }, cal, today);
  const isInspection = INSPECTION_ROLES.includes(actor.role) && res.handlingBodyId === actor.bodyId;
  return {
    ...summary,
    version: row.version, resumeState: res.resumeState, signsOfViolation: row.signsOfViolation, congressWindow: row.congressWindow,
    routingFlagged: row.routingFlagged, mergedInto: row.mergedIntoRef ? { publicRef: row.mergedIntoRef } : null, outcome: row.outcome,
    bodies: bodyItems, assignees, links,
    deadlines: deadlines.map((d) => ({
      ...d, extensions: Number(d.extensions),
      workingDaysLeft: d.state === 'open' && d.pausedSince === null ? workingDaysLeft(cal, today, d.dueOn) : null,
    })),
    cadre: row.cadreId && row.cadreName !== null
      ? { id: row.cadreId, fullName: row.cadreName, position: row.cadrePosition ?? '', unitName: row.cadreUnit ?? '' } : null,
    actions: listCaseActions(actor, res, { hasIdentity, hasOwnOpenRequest, hasPendingRequestOfOther: otherPending }),
    identity: { exists: hasIdentity, myRequest },
    investigators: isInspection
      ? (await listInvestigators(db, actor.bodyId)).filter((s) => mayWorkOn(actor, s, res)).map(({ id, displayName }) => ({ id, displayName })) : [],
  };
}

type TimelineDetailOut = TimelineResponse['items'][number]['detail'];
type RoutedTargetOut = NonNullable<TimelineDetailOut['targets']>[number];

/** A routing target as the case.routed event records it, with only the schema's fields (else null). */
function pickRoutedTarget(raw: unknown): RoutedTargetOut | null {
  if (raw === null || typeof raw !== 'object') return null;
  const { bodyId, role, vi, en, ruleId } = raw as Record<string, unknown>;
  if (typeof bodyId !== 'string' || typeof role !== 'string' || typeof vi !== 'string' || typeof en !== 'string') return null;
  return { bodyId, role, vi, en, ruleId: typeof ruleId === 'string' ? ruleId : null };
}

/** The allow-listed part of an event's detail, with the types the schema declares (else dropped). */
function pickTimelineDetail(raw: unknown): TimelineDetailOut {
  const out: Record<string, unknown> = {};
  if (raw === null || typeof raw !== 'object') return out;
  for (const key of TIMELINE_DETAIL_KEYS) {
    const v = (raw as Record<string, unknown>)[key];
    if (key === 'targets') {
      const targets = Array.isArray(v) ? v.map(pickRoutedTarget).filter((t) => t !== null) : [];
      if (targets.length > 0) out[key] = targets;
      continue;
    }
    const ok = key === 'version' ? Number.isInteger(v)
      : key === 'flags' ? Array.isArray(v) && v.every((f) => typeof f === 'string')
        : v === null || typeof v === 'string';
    if (ok) out[key] = v;
  }
  return out;
}

export async function getTimeline(db: Db, res: LoadedCase, after: number, limit: number): Promise<TimelineResponse> {
  const rows = await listTimeline(db, res.caseId, after, limit);
  const page = rows.slice(0, limit);
  return {
    items: page.map((e) => ({
      id: Number(e.id), kind: e.kind, fromState: e.fromState, toState: e.toState, actorKind: e.actorKind, actorName: e.actorName,
      reasonCode: e.reasonCode, detail: pickTimelineDetail(e.detail), occurredOn: e.occurredOn, createdAt: e.createdAt.toISOString(),
    })),
    nextCursor: rows.length > limit && page.length > 0 ? String(page[page.length - 1]?.id) : null,
  };
}

/** Messages from the reporter are content under K: each page read is audited like the content (ids only). */
export async function getMessages(db: Db, actor: Actor, res: LoadedCase, after: number, limit: number): Promise<MessagesResponse> {
  const rows = await listCaseMessages(db, res.caseId, after, limit);
  const page = rows.slice(0, limit);
  await db.transaction((tx) => appendAudit(tx, {
    actorKind: 'staff', actorId: actor.staffId, action: 'case.messages_read', resourceKind: 'case', resourceId: res.caseId, detail: { messages: page.length },
  }));
  return {
    items: page.map((m) => ({
      id: m.id, direction: m.direction, authorName: m.authorName, ciphertext: Buffer.from(m.ciphertext).toString('base64url'),
      formatVersion: m.formatVersion, isQuestion: m.isQuestion, sentOn: m.sentOn, seq: Number(m.seq), readByReporterOn: m.readByReporterOn,
    })),
    nextCursor: rows.length > limit && page.length > 0 ? String(page[page.length - 1]?.seq) : null,
  };
}

/** A case the actor names (merge target, link): unknown or invisible to them reads as NOT_FOUND. */
async function visibleCaseId(db: Db, actor: Actor, publicRef: string, self: string): Promise<string> {
  const other = await loadCaseResource(db, publicRef);
  if (!isCaseVisibleTo(actor, other)) throw new AppError('NOT_FOUND', 'The other case was not found.', { field: 'publicRef' });
  if (other.caseId === self) throw new AppError('VALIDATION_FAILED', 'A case cannot be linked or merged with itself.');
  return other.caseId;
}

/**
 * Whether a member of the actor's body may work on the case: the policy's own visibility, so
 * no one is assigned a case about themselves or one they recused from.
 */
const mayWorkOn = (actor: Actor, s: StaffBrief, res: LoadedCase): boolean =>
  s.active && s.bodyId === actor.bodyId && INSPECTION_ROLES.includes(s.role)
  && isCaseVisibleTo({ ...actor, staffId: s.id, role: s.role, cadreId: s.cadreId }, res);

async function checkInvestigators(db: Db, actor: Actor, res: LoadedCase, ids: readonly string[]): Promise<void> {
  const found = await findStaffBrief(db, ids);
  const ok = found.length === new Set(ids).size && found.every((s) => mayWorkOn(actor, s, res));
  if (!ok) {
    throw new AppError('VALIDATION_FAILED', 'Investigators must be active case-handling members of your body, not recused and not concerned by the case.', { field: 'investigatorIds' });
  }
}

export async function transitionCase(db: Db, actor: Actor, res: LoadedCase, body: TransitionBody): Promise<TransitionResponse> {
  const name = body.transition;
  if (!isTransitionName(name) || name === 'submit') throw new AppError('INVALID_TRANSITION', `There is no staff transition named '${name}'.`);
  assertAllowed(decide(actor, `case.transition:${name as StaffTransitionName}`, res));
  const { mergedIntoRef, ...rest } = body.params ?? {};
  const params: TransitionParams = { ...rest };
  let mergedInto: string | null = null;
  if (name === 'merge' && mergedIntoRef) {
    mergedInto = await visibleCaseId(db, actor, mergedIntoRef, res.caseId);
    params.mergedIntoCaseId = mergedInto;
  }
  if (params.investigatorIds) await checkInvestigators(db, actor, res, params.investigatorIds);
  if (name === 'refer' && params.targetBodyId) {
    const target = await findBodyBrief(db, params.targetBodyId);
    if (!target?.active || !INSPECTION_BODY_KINDS.includes(target.kind)) {
      throw new AppError('VALIDATION_FAILED', 'Refer to an active inspection body (inspection committee, internal affairs or inspectorate).', { field: 'targetBodyId' });
    }
  }
  if (name === 'refer' && params.targetBodyId && !res.bodyIds.includes(params.targetBodyId)) {
    // The target could not open the case: the browser grants K first (POST key-grants).
    throw new AppError('CONFLICT', 'Grant the case key to that body before forwarding.', { reason: 'NO_KEY_GRANT' });
  }
  return db.transaction(async (tx) => {
    const deferred: AuditEntry[] = [];
    const r = await applyTransition(tx, {
      caseId: res.caseId, actor: { kind: 'staff', role: actor.role, staffId: actor.staffId }, transition: name, params,
      expectedVersion: body.expectedVersion, deferredAudit: deferred,
    });
    if (mergedInto) await recordMerge(tx, res.caseId, mergedInto, actor.staffId);
    await appendAudits(tx, deferred);
    return { version: r.version, state: r.toState, fromState: r.fromState, transition: r.transition };
  });
}

/** Both timelines stay: the merged case points at its target, the target records what joined it. */
async function recordMerge(tx: Tx, caseId: string, intoId: string, staffId: string): Promise<void> {
  await insertLink(tx, caseId, intoId, 'duplicate');
  const now = new Date();
  await insertCaseEvents(tx, [{
    caseId: intoId, kind: 'case.merged_in', actorKind: 'staff', actorStaffId: staffId, detail: { mergedCaseId: caseId },
    isPublic: false, occurredOn: localDateOf(now), createdAt: now, dedupeKey: `merged_in/${caseId}`,
  }]);
}

export async function setLabels(db: Db, actor: Actor, res: LoadedCase, labels: readonly string[]): Promise<string[]> {
  const sorted = [...new Set(labels)].sort();
  await db.transaction(async (tx) => {
    await replaceLabels(tx, res.caseId, sorted);
    await appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'case.labels_set', resourceKind: 'case', resourceId: res.caseId, detail: { labels: sorted } });
  });
  return sorted;
}

export async function addLink(db: Db, actor: Actor, res: LoadedCase, publicRef: string, kind: 'related' | 'duplicate'): Promise<void> {
  const other = await visibleCaseId(db, actor, publicRef, res.caseId);
  await db.transaction(async (tx) => {
    if (!(await insertLink(tx, res.caseId, other, kind))) return;
    await appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'case.linked', resourceKind: 'case', resourceId: res.caseId, detail: { linkedCaseId: other, kind } });
  });
}

export async function recordExport(db: Db, actor: Actor, res: LoadedCase): Promise<void> {
  await db.transaction((tx) => appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'case.exported', resourceKind: 'case', resourceId: res.caseId }));
}

/**
 * Links the report to the cadre it concerns (or unlinks it). Offered to whoever may classify
 * the case now (the Front reviewer in triage); versioned like a transition.
 */
export async function linkCadre(db: Db, actor: Actor, res: LoadedCase, cadreId: string | null, expectedVersion: number): Promise<{ version: number }> {
  assertAllowed(decide(actor, 'case.transition:classify', res));
  if (cadreId !== null && !(await cadreExists(db, cadreId))) throw new AppError('VALIDATION_FAILED', 'No such cadre in the directory.', { field: 'cadreId' });
  const now = new Date();
  return db.transaction(async (tx) => {
    if (!(await updateCaseCadre(tx, res.caseId, expectedVersion, cadreId, now))) {
      throw new AppError('STALE_VERSION', undefined, { version: (await findCaseDetail(tx, res.caseId))?.version ?? null });
    }
    await insertCaseEvents(tx, [{
      caseId: res.caseId, kind: 'case.cadre_linked', actorKind: 'staff', actorStaffId: actor.staffId, detail: { cadreId, version: expectedVersion + 1 },
      isPublic: false, occurredOn: localDateOf(now), createdAt: now, dedupeKey: `cadre_linked/v${expectedVersion}`,
    }]);
    await appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'case.cadre_linked', resourceKind: 'case', resourceId: res.caseId, detail: { cadreId } });
    return { version: expectedVersion + 1 };
  });
}

/** Declares a conflict of interest: from now on the case is invisible to the actor (audited). */
export async function recuse(db: Db, actor: Actor, res: LoadedCase): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await insertRecusal(tx, res.caseId, actor.staffId))) return;
    await appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'case.recused', resourceKind: 'case', resourceId: res.caseId });
  });
}
