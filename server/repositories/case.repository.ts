// Cases as the intake sees them: the row, its envelopes, key wraps, routed bodies and
// timeline. Content columns hold ciphertext; public submissions store days, not times.
import { and, asc, desc, eq, inArray, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { reusableInsert } from '../db/reusable.ts';
import {
  attachments, caseAssignees, caseBodies, caseEnvelopes, caseEvents, caseKeyWraps, caseLabels, caseLinks, caseRecusals,
  cases, deadlines, messages,
} from '../../drizzle/schema/index.ts';
import type { CaseState, Classification } from '../domain/vocabulary.ts';

export type NewCase = typeof cases.$inferInsert;
export type NewEnvelope = typeof caseEnvelopes.$inferInsert;
export type NewWrap = typeof caseKeyWraps.$inferInsert;
export type NewCaseBody = typeof caseBodies.$inferInsert;
export type NewCaseEvent = typeof caseEvents.$inferInsert;

/** Inserts the case unless its reference or lookup-token hash exists; null then. */
export async function insertCase(tx: DbOrTx, row: NewCase): Promise<string | null> {
  const rows = await tx.insert(cases).values(row).onConflictDoNothing().returning({ id: cases.id });
  return rows[0]?.id ?? null;
}

/** 'ref_taken' / 'receipt_taken' when `err` is a new case's unique violation (writeFiling, insertCase), else null. */
export function takenBy(err: unknown): 'ref_taken' | 'receipt_taken' | null {
  for (let e = err as { code?: string; constraint_name?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === '23505' && e.constraint_name === 'cases_public_ref_unique') return 'ref_taken';
    if (e.code === '23505' && e.constraint_name === 'cases_lookup_token_hash_unique') return 'receipt_taken';
  }
  return null;
}

export async function publicRefExists(db: DbOrTx, publicRef: string): Promise<boolean> {
  const rows = await db.select({ id: cases.id }).from(cases).where(eq(cases.publicRef, publicRef)).limit(1);
  return rows.length > 0;
}

export async function insertEnvelopes(tx: DbOrTx, rows: NewEnvelope[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const out = await tx.insert(caseEnvelopes).values(rows).returning({ id: caseEnvelopes.id });
  return out.map((r) => r.id);
}

export async function insertWraps(tx: DbOrTx, rows: NewWrap[]): Promise<void> {
  if (rows.length > 0) await tx.insert(caseKeyWraps).values(rows);
}

export async function insertCaseBodies(tx: DbOrTx, rows: NewCaseBody[]): Promise<void> {
  if (rows.length > 0) await tx.insert(caseBodies).values(rows).onConflictDoNothing();
}

/** Returns false when the event's dedupe key was recorded already (a repeated request). */
export async function insertCaseEvents(tx: DbOrTx, rows: NewCaseEvent[]): Promise<boolean> {
  if (rows.length === 0) return true;
  const out = await insertCaseEventRows(tx, rows);
  return out.length === rows.length;
}

const insertCaseEventRows = reusableInsert('insert_case_events', (db, rows: NewCaseEvent[]) =>
  db.insert(caseEvents).values(rows).onConflictDoNothing().returning({ id: caseEvents.id }));

export type ReporterCase = {
  id: string;
  publicRef: string;
  state: CaseState;
  receivedOn: string;
  pendingUntil: Date | null;
  classification: Classification | null;
  isAnonymous: boolean;
  cadreId: string | null;
  category: string;
  jurisdictionCode: string;
  noticeActionId: string | null;
  version: number;
  resumeState: CaseState | null;
  hasSignedPetition: boolean;
  isCorroborated: boolean;
  resolutionExtensions: number;
};

const reporterCaseColumns = {
  id: cases.id, publicRef: cases.publicRef, state: cases.state, receivedOn: cases.receivedOn, pendingUntil: cases.pendingUntil,
  classification: cases.classification, isAnonymous: cases.isAnonymous, cadreId: cases.cadreId, category: cases.category,
  jurisdictionCode: cases.jurisdictionCode, noticeActionId: cases.noticeActionId, version: cases.version,
  resumeState: cases.resumeState, hasSignedPetition: cases.hasSignedPetition, isCorroborated: cases.isCorroborated,
  resolutionExtensions: cases.resolutionExtensions,
};

// bytea as unpadded base64url, computed in the query (encode() wraps lines at 76 characters).
const B64URL = (expr: string): string => `translate(encode(${expr}, 'base64'), E'+/=\\n', '-_')`;
const VIEW = {
  // A transfer names where the case went (a body code or letter number), so the reporter can follow it there.
  timeline: sql.raw(`(SELECT coalesce(json_agg(json_build_object('kind', e.kind, 'toState', e.to_state, 'occurredOn', e.occurred_on,
    'externalBodyRef', e.detail->>'externalBodyRef') ORDER BY e.id), '[]'::json)
    FROM case_events e WHERE e.case_id = cases.id AND e.is_public)`),
  reporterWrap: sql.raw(`(SELECT ${B64URL('w.sealed_key')} FROM case_key_wraps w
    WHERE w.case_id = cases.id AND w.key_kind = 'case' AND w.recipient_kind = 'reporter' LIMIT 1)`),
  messages: sql.raw(`(SELECT coalesce(json_agg(json_build_object('id', m.id, 'direction', m.direction, 'sentOn', m.sent_on,
    'isQuestion', m.is_question, 'isNew', m.direction = 'to_reporter' AND m.read_by_reporter_on IS NULL,
    'ciphertext', ${B64URL('m.ciphertext')}) ORDER BY m.seq), '[]'::json)
    FROM messages m WHERE m.case_id = cases.id AND m.direction IN ('to_reporter', 'from_reporter'))`),
  attachments: sql.raw(`(SELECT coalesce(json_agg(json_build_object('id', a.id, 'state', a.state,
    'manifest', CASE WHEN v.ciphertext IS NULL THEN NULL ELSE ${B64URL('v.ciphertext')} END) ORDER BY a.created_on, a.id), '[]'::json)
    FROM attachments a LEFT JOIN case_envelopes v ON v.id = a.manifest_envelope_id WHERE a.case_id = cases.id AND a.state <> 'aborted')`),
};

export type CaseView = ReporterCase & {
  timeline: Array<{ kind: string; toState: CaseState | null; occurredOn: string; externalBodyRef: string | null }>;
  reporterWrap: string | null;
  messages: Array<{ id: string; direction: 'to_reporter' | 'from_reporter'; sentOn: string; isQuestion: boolean; isNew: boolean; ciphertext: string }>;
  attachments: Array<{ id: string; state: 'uploading' | 'complete' | 'aborted'; manifest: string | null }>;
};

function prepareView(db: Db) {
  return db.select({
    ...reporterCaseColumns,
    timeline: sql<unknown>`${VIEW.timeline}`, reporterWrap: sql<string | null>`${VIEW.reporterWrap}`,
    messages: sql<unknown>`${VIEW.messages}`, attachments: sql<unknown>`${VIEW.attachments}`,
  }).from(cases).where(eq(cases.lookupTokenHash, sql.placeholder('hash'))).limit(1).prepare('intake_case_view');
}
const preparedView = new WeakMap<Db, ReturnType<typeof prepareView>>();
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/**
 * Everything the reporter's inbox shows, in one prepared round trip: the hot path of
 * receipt lookups. Unknown tokens cost the same single indexed probe.
 */
export async function findCaseView(db: Db, hash: Uint8Array): Promise<CaseView | undefined> {
  let query = preparedView.get(db);
  if (!query) {
    query = prepareView(db);
    preparedView.set(db, query);
  }
  const [row] = await query.execute({ hash: Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength) });
  if (!row) return undefined;
  return { ...(row as unknown as ReporterCase), timeline: json(row.timeline), reporterWrap: row.reporterWrap, messages: json(row.messages), attachments: json(row.attachments) };
}

/** Locks the case for a change made with the receipt. */
export async function lockCaseByLookupHash(tx: DbOrTx, hash: Uint8Array): Promise<ReporterCase | undefined> {
  const rows = await tx.select(reporterCaseColumns).from(cases).where(eq(cases.lookupTokenHash, hash)).limit(1).for('update');
  return rows[0] as ReporterCase | undefined;
}

export async function lockCaseById(tx: DbOrTx, id: string): Promise<ReporterCase | undefined> {
  const rows = await tx.select(reporterCaseColumns).from(cases).where(eq(cases.id, id)).limit(1).for('update');
  return rows[0] as ReporterCase | undefined;
}

export async function findCaseByRef(db: DbOrTx, publicRef: string): Promise<(ReporterCase & { reporterPublicKey: Uint8Array }) | undefined> {
  const rows = await db.select({ ...reporterCaseColumns, reporterPublicKey: cases.reporterPublicKey }).from(cases)
    .where(eq(cases.publicRef, publicRef)).limit(1);
  return rows[0] as (ReporterCase & { reporterPublicKey: Uint8Array }) | undefined;
}

export async function isCasePending(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db.select({ pendingUntil: cases.pendingUntil }).from(cases).where(eq(cases.id, id)).limit(1);
  return rows[0]?.pendingUntil != null;
}

export async function markCaseSubmitted(tx: DbOrTx, id: string, patch: { routingFlagged: boolean }): Promise<void> {
  await tx.update(cases).set({ pendingUntil: null, routingFlagged: patch.routingFlagged }).where(eq(cases.id, id));
}

/** Optimistic: the change applies only to the version that was read. */
export async function updateCaseState(tx: DbOrTx, id: string, version: number, state: CaseState, updatedAt: Date): Promise<boolean> {
  const rows = await tx.update(cases).set({ state, version: version + 1, updatedAt })
    .where(and(eq(cases.id, id), eq(cases.version, version))).returning({ id: cases.id });
  return rows.length > 0;
}

/** Where a case waiting in needs_info goes back to: the state it left to get there. */
export async function findResumeState(db: DbOrTx, caseId: string): Promise<CaseState | null> {
  const rows = await db.select({ fromState: caseEvents.fromState }).from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.toState, 'needs_info')))
    .orderBy(desc(caseEvents.id)).limit(1);
  return (rows[0]?.fromState ?? null) as CaseState | null;
}

/** Submissions whose uploads never finished, oldest first, locked so two sweeps never collide. */
export async function lockStalePendingCases(tx: DbOrTx, now: Date, limit: number): Promise<string[]> {
  const rows = await tx.select({ id: cases.id }).from(cases)
    .where(and(isNotNull(cases.pendingUntil), lt(cases.pendingUntil, now)))
    .orderBy(asc(cases.pendingUntil)).limit(limit).for('update', { skipLocked: true });
  return rows.map((r) => r.id);
}

/** Deletes cases and everything hanging off them; returns the blob keys to delete. */
export async function deleteCases(tx: DbOrTx, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const blobs = await tx.delete(attachments).where(inArray(attachments.caseId, ids)).returning({ blobKey: attachments.blobKey });
  for (const table of [caseKeyWraps, caseEnvelopes, messages, caseEvents, caseBodies, caseAssignees, caseRecusals, caseLabels, deadlines]) {
    await tx.delete(table).where(inArray(table.caseId, ids));
  }
  await tx.delete(caseLinks).where(inArray(caseLinks.caseId, ids));
  await tx.delete(caseLinks).where(inArray(caseLinks.linkedCaseId, ids));
  await tx.delete(cases).where(inArray(cases.id, ids));
  return blobs.map((b) => b.blobKey);
}

export type CaseAccessRow = {
  id: string;
  state: CaseState;
  resumeState: CaseState | null;
  cadreId: string | null;
  pendingUntil: Date | null;
  /** Bodies K is sealed or granted to. */
  keyBodyIds: string[];
  routed: Array<{ bodyId: string; role: string }>;
  recusedStaffIds: string[];
};

/** What the access policy needs to decide on a case (policy.ts CaseResource). */
export async function findCaseAccess(db: DbOrTx, publicRef: string): Promise<CaseAccessRow | undefined> {
  const [c] = await db.select({ id: cases.id, state: cases.state, resumeState: cases.resumeState, cadreId: cases.cadreId, pendingUntil: cases.pendingUntil })
    .from(cases).where(eq(cases.publicRef, publicRef)).limit(1);
  if (!c) return undefined;
  const [wraps, routed, recusals] = await Promise.all([
    db.selectDistinct({ bodyId: caseKeyWraps.bodyId }).from(caseKeyWraps)
      .where(and(eq(caseKeyWraps.caseId, c.id), eq(caseKeyWraps.keyKind, 'case'), eq(caseKeyWraps.recipientKind, 'body'))),
    db.select({ bodyId: caseBodies.bodyId, role: caseBodies.role }).from(caseBodies)
      .where(eq(caseBodies.caseId, c.id)).orderBy(asc(caseBodies.createdAt)),
    db.select({ staffId: caseRecusals.staffId }).from(caseRecusals).where(eq(caseRecusals.caseId, c.id)),
  ]);
  return {
    id: c.id, state: c.state as CaseState, resumeState: c.resumeState as CaseState | null, cadreId: c.cadreId, pendingUntil: c.pendingUntil,
    keyBodyIds: wraps.flatMap((w) => (w.bodyId ? [w.bodyId] : [])),
    routed,
    recusedStaffIds: recusals.map((r) => r.staffId),
  };
}
