// What the staff case page reads and the casework actions write: the case row with its
// bodies, people, links and deadlines; timeline, envelopes, key wraps, attachments and
// messages a page at a time; notes, labels, links and key grants.
import { aliasedTable, and, asc, eq, gt, inArray, ne, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import {
  attachments, bodies, cadres, caseAssignees, caseBodies, caseEnvelopes, caseEvents, caseKeyWraps, caseLabels, caseLinks, caseRecusals, cases,
  deadlines, messages, staff,
} from '../../drizzle/schema/index.ts';
import type { BodyKind, CaseState, Category, Classification, Complexity, ConclusionOutcome, EnvelopePart, Level, Role } from '../domain/vocabulary.ts';

export type CaseDetailRow = {
  id: string; publicRef: string; state: CaseState; resumeState: CaseState | null; classification: Classification | null;
  category: Category; jurisdictionCode: string; receivedOn: string; nextDueOn: string | null; overdue: boolean; urgent: boolean;
  complexity: Complexity; isAnonymous: boolean; version: number; signsOfViolation: boolean; congressWindow: boolean;
  routingFlagged: boolean; outcome: ConclusionOutcome | null; mergedIntoRef: string | null;
  cadreId: string | null; cadreName: string | null; cadrePosition: string | null; cadreUnit: string | null;
};

const merged = aliasedTable(cases, 'merged');

export async function findCaseDetail(db: DbOrTx, caseId: string): Promise<CaseDetailRow | undefined> {
  const rows = await db.select({
    id: cases.id, publicRef: cases.publicRef, state: cases.state, resumeState: cases.resumeState, classification: cases.classification,
    category: cases.category, jurisdictionCode: cases.jurisdictionCode, receivedOn: cases.receivedOn, nextDueOn: cases.nextDueOn,
    overdue: cases.overdue, urgent: cases.urgent, complexity: cases.complexity, isAnonymous: cases.isAnonymous, version: cases.version,
    signsOfViolation: cases.signsOfViolation, congressWindow: cases.congressWindow, routingFlagged: cases.routingFlagged,
    outcome: cases.outcome, mergedIntoRef: merged.publicRef,
    cadreId: cases.cadreId, cadreName: cadres.fullName, cadrePosition: cadres.position, cadreUnit: cadres.unitName,
  }).from(cases)
    .leftJoin(cadres, eq(cadres.id, cases.cadreId))
    .leftJoin(merged, eq(merged.id, cases.mergedIntoId))
    .where(eq(cases.id, caseId)).limit(1);
  return rows[0] as CaseDetailRow | undefined;
}

export async function findCaseIdByRef(db: DbOrTx, publicRef: string): Promise<string | null> {
  const rows = await db.select({ id: cases.id }).from(cases).where(and(eq(cases.publicRef, publicRef), sql`${cases.pendingUntil} IS NULL`)).limit(1);
  return rows[0]?.id ?? null;
}

export type CaseBodyItem = { id: string; nameVi: string; nameEn: string; kind: BodyKind; level: Level; role: string };

export async function listCaseBodyItems(db: DbOrTx, caseId: string): Promise<CaseBodyItem[]> {
  const rows = await db.select({ id: bodies.id, nameVi: bodies.nameVi, nameEn: bodies.nameEn, kind: bodies.kind, level: bodies.level, role: caseBodies.role })
    .from(caseBodies).innerJoin(bodies, eq(bodies.id, caseBodies.bodyId))
    .where(eq(caseBodies.caseId, caseId)).orderBy(asc(caseBodies.createdAt));
  return rows as CaseBodyItem[];
}

export async function listAssignees(db: DbOrTx, caseId: string): Promise<Array<{ id: string; displayName: string }>> {
  return db.select({ id: staff.id, displayName: staff.displayName }).from(caseAssignees)
    .innerJoin(staff, eq(staff.id, caseAssignees.staffId)).where(eq(caseAssignees.caseId, caseId)).orderBy(asc(caseAssignees.createdAt));
}

/** Links in both directions, so a merged case and its target each show the other. */
export async function listLinks(db: DbOrTx, caseId: string): Promise<Array<{ publicRef: string; kind: 'related' | 'duplicate' }>> {
  const out = await db.select({ publicRef: cases.publicRef, kind: caseLinks.kind }).from(caseLinks)
    .innerJoin(cases, sql`${cases.id} = CASE WHEN ${caseLinks.caseId} = ${caseId} THEN ${caseLinks.linkedCaseId} ELSE ${caseLinks.caseId} END`)
    .where(or(eq(caseLinks.caseId, caseId), eq(caseLinks.linkedCaseId, caseId)));
  const seen = new Set<string>();
  return out.filter((l) => (seen.has(l.publicRef) ? false : (seen.add(l.publicRef), true))) as Array<{ publicRef: string; kind: 'related' | 'duplicate' }>;
}

export async function insertLink(tx: DbOrTx, caseId: string, linkedCaseId: string, kind: 'related' | 'duplicate'): Promise<boolean> {
  const rows = await tx.insert(caseLinks).values({ caseId, linkedCaseId, kind }).onConflictDoNothing().returning({ caseId: caseLinks.caseId });
  return rows.length > 0;
}

export async function listCaseDeadlines(db: DbOrTx, caseId: string) {
  return db.select({
    kind: deadlines.kind, unit: deadlines.unit, amount: deadlines.amount, startedOn: deadlines.startedOn, dueOn: deadlines.dueOn,
    state: deadlines.state, pausedSince: deadlines.pausedSince, extensions: deadlines.extensions,
  }).from(deadlines).where(eq(deadlines.caseId, caseId)).orderBy(asc(deadlines.startedOn), asc(deadlines.kind));
}

export async function listLabels(db: DbOrTx, caseId: string): Promise<string[]> {
  const rows = await db.select({ label: caseLabels.label }).from(caseLabels).where(eq(caseLabels.caseId, caseId)).orderBy(asc(caseLabels.label));
  return rows.map((r) => r.label);
}

export async function replaceLabels(tx: DbOrTx, caseId: string, labels: readonly string[]): Promise<void> {
  await tx.delete(caseLabels).where(eq(caseLabels.caseId, caseId));
  if (labels.length > 0) await tx.insert(caseLabels).values(labels.map((label) => ({ caseId, label })));
}

/** Case-handling staff of a body: the people an inspection lead can assign. */
export type StaffBrief = { id: string; bodyId: string; role: Role; active: boolean; displayName: string; cadreId: string | null };

const staffBrief = { id: staff.id, bodyId: staff.bodyId, role: staff.role, active: staff.active, displayName: staff.displayName, cadreId: staff.cadreId };

export async function listInvestigators(db: DbOrTx, bodyId: string): Promise<StaffBrief[]> {
  const rows = await db.select(staffBrief).from(staff)
    .where(and(eq(staff.bodyId, bodyId), eq(staff.active, true), inArray(staff.role, ['inspection_investigator', 'inspection_lead'])))
    .orderBy(asc(staff.displayName));
  return rows as StaffBrief[];
}

export async function findStaffBrief(db: DbOrTx, ids: readonly string[]): Promise<StaffBrief[]> {
  if (ids.length === 0) return [];
  const rows = await db.select(staffBrief).from(staff).where(inArray(staff.id, [...ids]));
  return rows as StaffBrief[];
}

export type TimelineRow = {
  id: number; kind: string; fromState: CaseState | null; toState: CaseState | null; actorKind: string; actorName: string | null;
  reasonCode: string | null; detail: unknown; occurredOn: string; createdAt: Date;
};

export async function listTimeline(db: DbOrTx, caseId: string, afterId: number, limit: number): Promise<TimelineRow[]> {
  const rows = await db.select({
    id: caseEvents.id, kind: caseEvents.kind, fromState: caseEvents.fromState, toState: caseEvents.toState, actorKind: caseEvents.actorKind,
    actorName: staff.displayName, reasonCode: caseEvents.reasonCode, detail: caseEvents.detail, occurredOn: caseEvents.occurredOn,
    createdAt: caseEvents.createdAt,
  }).from(caseEvents).leftJoin(staff, eq(staff.id, caseEvents.actorStaffId))
    .where(and(eq(caseEvents.caseId, caseId), gt(caseEvents.id, afterId))).orderBy(asc(caseEvents.id)).limit(limit + 1);
  return rows as TimelineRow[];
}

export type EnvelopeRow = {
  id: string; part: EnvelopePart; formatVersion: number; ciphertext: Uint8Array; serverSealed: boolean; authorStaffId: string | null;
  authorName: string | null; signature: Uint8Array | null; signerPublicKey: Uint8Array | null; createdAt: Date;
};

/** Every part except the sealed identity, oldest first. */
export async function listContentEnvelopes(db: DbOrTx, caseId: string): Promise<EnvelopeRow[]> {
  const rows = await db.select({
    id: caseEnvelopes.id, part: caseEnvelopes.part, formatVersion: caseEnvelopes.formatVersion, ciphertext: caseEnvelopes.ciphertext,
    serverSealed: caseEnvelopes.serverSealed, authorStaffId: caseEnvelopes.authorStaffId, authorName: staff.displayName,
    signature: caseEnvelopes.signature,
    signerPublicKey: sql<Uint8Array | null>`CASE WHEN ${caseEnvelopes.signature} IS NULL THEN NULL ELSE ${staff.signPublicKey} END`,
    createdAt: caseEnvelopes.createdAt,
  }).from(caseEnvelopes).leftJoin(staff, eq(staff.id, caseEnvelopes.authorStaffId))
    .where(and(eq(caseEnvelopes.caseId, caseId), ne(caseEnvelopes.part, 'identity')))
    .orderBy(asc(caseEnvelopes.createdAt), asc(caseEnvelopes.id));
  return rows as EnvelopeRow[];
}

export async function findIdentityEnvelope(db: DbOrTx, caseId: string): Promise<{ id: string; formatVersion: number; ciphertext: Uint8Array } | undefined> {
  const rows = await db.select({ id: caseEnvelopes.id, formatVersion: caseEnvelopes.formatVersion, ciphertext: caseEnvelopes.ciphertext })
    .from(caseEnvelopes).where(and(eq(caseEnvelopes.caseId, caseId), eq(caseEnvelopes.part, 'identity'))).limit(1);
  return rows[0];
}

export async function hasIdentityEnvelope(db: DbOrTx, caseId: string): Promise<boolean> {
  const rows = await db.select({ id: caseEnvelopes.id }).from(caseEnvelopes)
    .where(and(eq(caseEnvelopes.caseId, caseId), eq(caseEnvelopes.part, 'identity'))).limit(1);
  return rows.length > 0;
}

export async function listBodyWraps(db: DbOrTx, caseId: string, keyKind: 'case' | 'identity', bodyIds: readonly string[]) {
  if (bodyIds.length === 0) return [];
  const rows = await db.select({ keyKind: caseKeyWraps.keyKind, bodyId: caseKeyWraps.bodyId, bodyKeyVersion: caseKeyWraps.bodyKeyVersion, sealedKey: caseKeyWraps.sealedKey })
    .from(caseKeyWraps)
    .where(and(eq(caseKeyWraps.caseId, caseId), eq(caseKeyWraps.keyKind, keyKind), eq(caseKeyWraps.recipientKind, 'body'), inArray(caseKeyWraps.bodyId, [...bodyIds])))
    .orderBy(asc(caseKeyWraps.bodyKeyVersion));
  return rows as Array<{ keyKind: 'case' | 'identity'; bodyId: string; bodyKeyVersion: number; sealedKey: Uint8Array }>;
}

/** Returns false when that body and key version already hold a wrap of K. */
export async function insertBodyWrap(tx: DbOrTx, row: { caseId: string; bodyId: string; bodyKeyVersion: number; sealedKey: Uint8Array; grantedBy: string }): Promise<boolean> {
  const out = await tx.insert(caseKeyWraps).values({ ...row, keyKind: 'case', recipientKind: 'body' }).onConflictDoNothing().returning({ id: caseKeyWraps.id });
  return out.length > 0;
}

export async function listCaseAttachments(db: DbOrTx, caseId: string) {
  return db.select({
    id: attachments.id, state: attachments.state, declaredBytes: attachments.declaredBytes, manifestEnvelopeId: attachments.manifestEnvelopeId,
    uploadedBy: attachments.uploadedBy,
  }).from(attachments).where(and(eq(attachments.caseId, caseId), ne(attachments.state, 'aborted'))).orderBy(asc(attachments.createdOn), asc(attachments.id));
}

export async function findCompleteAttachment(db: DbOrTx, caseId: string, id: string): Promise<{ blobKey: string; receivedBytes: number } | undefined> {
  const rows = await db.select({ blobKey: attachments.blobKey, receivedBytes: attachments.receivedBytes }).from(attachments)
    .where(and(eq(attachments.id, id), eq(attachments.caseId, caseId), eq(attachments.state, 'complete'))).limit(1);
  return rows[0];
}

export type MessageRow = {
  id: string; direction: string; authorName: string | null; ciphertext: Uint8Array; formatVersion: number; isQuestion: boolean; sentOn: string; seq: number;
  readByReporterOn: string | null;
};

export async function listCaseMessages(db: DbOrTx, caseId: string, afterSeq: number, limit: number): Promise<MessageRow[]> {
  const rows = await db.select({
    id: messages.id, direction: messages.direction, authorName: staff.displayName, ciphertext: messages.ciphertext,
    formatVersion: messages.formatVersion, isQuestion: messages.isQuestion, sentOn: messages.sentOn, seq: messages.seq,
    readByReporterOn: messages.readByReporterOn,
  }).from(messages).leftJoin(staff, eq(staff.id, messages.authorStaffId))
    .where(and(eq(messages.caseId, caseId), gt(messages.seq, afterSeq))).orderBy(asc(messages.seq)).limit(limit + 1);
  return rows as MessageRow[];
}

export async function cadreExists(db: DbOrTx, cadreId: string): Promise<boolean> {
  const rows = await db.select({ id: cadres.id }).from(cadres).where(eq(cadres.id, cadreId)).limit(1);
  return rows.length > 0;
}

/** Optimistic, like a transition: only the version that was read is changed. */
export async function updateCaseCadre(tx: DbOrTx, caseId: string, version: number, cadreId: string | null, at: Date): Promise<boolean> {
  const rows = await tx.update(cases).set({ cadreId, version: version + 1, updatedAt: at })
    .where(and(eq(cases.id, caseId), eq(cases.version, version))).returning({ id: cases.id });
  return rows.length > 0;
}

export async function insertRecusal(tx: DbOrTx, caseId: string, staffId: string): Promise<boolean> {
  const rows = await tx.insert(caseRecusals).values({ caseId, staffId }).onConflictDoNothing().returning({ caseId: caseRecusals.caseId });
  return rows.length > 0;
}

export async function findBodyBrief(db: DbOrTx, bodyId: string): Promise<{ kind: BodyKind; active: boolean } | undefined> {
  const rows = await db.select({ kind: bodies.kind, active: bodies.active }).from(bodies).where(eq(bodies.id, bodyId)).limit(1);
  return rows[0] as { kind: BodyKind; active: boolean } | undefined;
}
