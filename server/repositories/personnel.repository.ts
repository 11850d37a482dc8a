// The cadre directory as staff keep it, personnel actions and their history. Queries only;
// the rules are in server/domain/{personnel,holds}.ts and the services.
import { and, asc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { bodies, cadres, cases, holds, personnelActionEvents, personnelActions } from '../../drizzle/schema/index.ts';
import { BLOCKING_HOLD_STATES, RUNNING_CASE_STATES } from '../domain/holds.ts';
import { likePattern } from './directory.repository.ts';
import { searchKey } from '../domain/text.ts';
import type { CaseState, HoldState, Level, PersonnelActionKind, PersonnelActionState } from '../domain/vocabulary.ts';

export async function insertCadres(tx: DbOrTx, rows: (typeof cadres.$inferInsert)[]): Promise<{ id: string; fullName: string }[]> {
  if (rows.length === 0) return [];
  return tx.insert(cadres).values(rows).returning({ id: cadres.id, fullName: cadres.fullName });
}

export async function insertPersonnelActions(tx: DbOrTx, rows: (typeof personnelActions.$inferInsert)[]): Promise<void> {
  if (rows.length > 0) await tx.insert(personnelActions).values(rows);
}

// ── Cadres ──────────────────────────────────────────────────────────────────────────────

export type CadreRecord = {
  id: string; fullName: string; nameSearch: string; position: string; unitName: string; jurisdictionCode: string; level: Level;
  managingLevel: Level; managingJurisdictionCode: string; isPublic: boolean; protectedReporter: boolean;
  protectedByBodyId: string | null; clearedAt: Date | null; updatedAt: Date;
};

const cadreColumns = {
  id: cadres.id, fullName: cadres.fullName, nameSearch: cadres.nameSearch, position: cadres.position, unitName: cadres.unitName,
  jurisdictionCode: cadres.jurisdictionCode, level: cadres.level, managingLevel: cadres.managingLevel,
  managingJurisdictionCode: cadres.managingJurisdictionCode, isPublic: cadres.isPublic, protectedReporter: cadres.protectedReporter,
  protectedByBodyId: cadres.protectedByBodyId, clearedAt: cadres.clearedAt, updatedAt: cadres.updatedAt,
};

/** Staff search: every cadre, public or not, by name without diacritics; keyset on (name_search, id). */
export async function searchDirectory(
  db: DbOrTx, opts: { q: string; after: { nameSearch: string; id: string } | null; limit: number },
): Promise<CadreRecord[]> {
  const key = searchKey(opts.q);
  const rows = await db.select(cadreColumns).from(cadres).where(and(
    key === '' ? undefined : sql`${cadres.nameSearch} ILIKE ${likePattern(key)}`,
    opts.after ? sql`(${cadres.nameSearch}, ${cadres.id}) > (${opts.after.nameSearch}, ${opts.after.id}::uuid)` : undefined,
  )).orderBy(asc(cadres.nameSearch), asc(cadres.id)).limit(opts.limit);
  return rows as CadreRecord[];
}

export async function findCadre(db: DbOrTx, id: string): Promise<CadreRecord | undefined> {
  const rows = await db.select(cadreColumns).from(cadres).where(eq(cadres.id, id)).limit(1);
  return rows[0] as CadreRecord | undefined;
}

/**
 * The cadre row, locked against other lockers and edits but not against rows that merely
 * reference it (cases, actions: their foreign-key checks take KEY SHARE, which NO KEY UPDATE
 * lets through; FOR UPDATE would make a case being routed wait on a hold proposal).
 */
export async function lockCadre(tx: DbOrTx, id: string): Promise<CadreRecord | undefined> {
  const rows = await tx.select(cadreColumns).from(cadres).where(eq(cadres.id, id)).limit(1).for('no key update');
  return rows[0] as CadreRecord | undefined;
}

export type CadrePatch = Partial<Pick<CadreRecord, 'fullName' | 'position' | 'unitName' | 'jurisdictionCode' | 'level' | 'managingLevel' | 'managingJurisdictionCode' | 'isPublic'>>;

export async function updateCadre(tx: DbOrTx, id: string, patch: CadrePatch & { nameSearch?: string }): Promise<void> {
  await tx.update(cadres).set({ ...patch, updatedAt: sql`now()` }).where(eq(cadres.id, id));
}

export async function markCadreProtected(tx: DbOrTx, id: string, bodyId: string, at: Date): Promise<void> {
  await tx.update(cadres).set({ protectedReporter: true, protectedByBodyId: bodyId, protectedAt: at, updatedAt: at }).where(eq(cadres.id, id));
}

/** The body (of the given kind) at a jurisdiction: whose cadres a personnel desk manages. */
export async function findBodyByJurisdiction(db: DbOrTx, jurisdictionCode: string, kind: string): Promise<string | undefined> {
  const rows = await db.select({ id: bodies.id }).from(bodies)
    .where(and(eq(bodies.jurisdictionCode, jurisdictionCode), eq(bodies.kind, kind), eq(bodies.active, true))).orderBy(asc(bodies.createdAt)).limit(1);
  return rows[0]?.id;
}

export type BodyName = { id: string; nameVi: string; nameEn: string; kind: string; jurisdictionCode: string };

export async function findBodyNames(db: DbOrTx, ids: readonly string[]): Promise<Map<string, BodyName>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: bodies.id, nameVi: bodies.nameVi, nameEn: bodies.nameEn, kind: bodies.kind, jurisdictionCode: bodies.jurisdictionCode })
    .from(bodies).where(inArray(bodies.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

// ── Personnel actions ───────────────────────────────────────────────────────────────────

export type ActionRecord = {
  id: string; cadreId: string; kind: PersonnelActionKind; state: PersonnelActionState; proposingBodyId: string; positionTitle: string;
  proposedOn: string; noticeUntil: string | null; decisionRef: string | null; version: number; heldFromState: PersonnelActionState | null;
  reviewOutcome: 'no_objection' | 'objection' | null; reviewRef: string | null; createdAt: Date; updatedAt: Date;
};

const actionColumns = {
  id: personnelActions.id, cadreId: personnelActions.cadreId, kind: personnelActions.kind, state: personnelActions.state,
  proposingBodyId: personnelActions.proposingBodyId, positionTitle: personnelActions.positionTitle, proposedOn: personnelActions.proposedOn,
  noticeUntil: personnelActions.noticeUntil, decisionRef: personnelActions.decisionRef, version: personnelActions.version,
  heldFromState: personnelActions.heldFromState, reviewOutcome: personnelActions.reviewOutcome, reviewRef: personnelActions.reviewRef,
  createdAt: personnelActions.createdAt, updatedAt: personnelActions.updatedAt,
};

export async function insertAction(tx: DbOrTx, row: typeof personnelActions.$inferInsert): Promise<ActionRecord> {
  const [inserted] = await tx.insert(personnelActions).values(row).returning(actionColumns);
  if (!inserted) throw new Error('personnel action insert returned nothing');
  return inserted as ActionRecord;
}

export async function findAction(db: DbOrTx, id: string): Promise<ActionRecord | undefined> {
  const rows = await db.select(actionColumns).from(personnelActions).where(eq(personnelActions.id, id)).limit(1);
  return rows[0] as ActionRecord | undefined;
}

/**
 * The action row, locked. Approval and every hold placement lock it first, so a hold being
 * placed and an approval of the same action queue up here and never pass each other.
 */
export async function lockAction(tx: DbOrTx, id: string): Promise<ActionRecord | undefined> {
  const rows = await tx.select(actionColumns).from(personnelActions).where(eq(personnelActions.id, id)).limit(1).for('update');
  return rows[0] as ActionRecord | undefined;
}

/** A cadre's actions in the given states, locked in id order (a fixed order cannot deadlock). */
export async function lockActionsOfCadre(tx: DbOrTx, cadreId: string, states: readonly PersonnelActionState[]): Promise<ActionRecord[]> {
  const rows = await tx.select(actionColumns).from(personnelActions)
    .where(and(eq(personnelActions.cadreId, cadreId), inArray(personnelActions.state, [...states])))
    .orderBy(asc(personnelActions.id)).for('update');
  return rows as ActionRecord[];
}

export type ActionPatch = Partial<Pick<ActionRecord, 'state' | 'noticeUntil' | 'decisionRef' | 'heldFromState' | 'reviewOutcome' | 'reviewRef' | 'positionTitle' | 'proposedOn'>> & {
  reviewedBy?: string | null; reviewedAt?: Date | null;
};

/** Applies only to the version that was read, and moves the version on. */
export async function updateAction(tx: DbOrTx, id: string, version: number, patch: ActionPatch): Promise<boolean> {
  const rows = await tx.update(personnelActions).set({ ...patch, version: version + 1, updatedAt: sql`now()` })
    .where(and(eq(personnelActions.id, id), eq(personnelActions.version, version))).returning({ id: personnelActions.id });
  return rows.length > 0;
}

export type ActionListItem = ActionRecord & {
  cadreName: string; cadrePosition: string; cadreUnit: string; cadreClearedAt: Date | null; protectedReporter: boolean; commentCount: number;
};

// Comments are the reports filed about the notice; counted, never shown.
const commentCount = sql<number>`(SELECT count(*)::int FROM ${cases} WHERE ${cases.noticeActionId} = ${personnelActions.id} AND ${cases.pendingUntil} IS NULL)`;

export async function listActions(
  db: DbOrTx,
  opts: { bodyId: string; state?: PersonnelActionState; cadreId?: string; after: { proposedOn: string; id: string } | null; limit: number },
): Promise<ActionListItem[]> {
  const rows = await db.select({
    ...actionColumns, cadreName: cadres.fullName, cadrePosition: cadres.position, cadreUnit: cadres.unitName,
    cadreClearedAt: cadres.clearedAt, protectedReporter: cadres.protectedReporter, commentCount,
  }).from(personnelActions).innerJoin(cadres, eq(cadres.id, personnelActions.cadreId))
    .where(and(
      eq(personnelActions.proposingBodyId, opts.bodyId),
      opts.state ? eq(personnelActions.state, opts.state) : undefined,
      opts.cadreId ? eq(personnelActions.cadreId, opts.cadreId) : undefined,
      opts.after ? sql`(${personnelActions.proposedOn}, ${personnelActions.id}) > (${opts.after.proposedOn}::date, ${opts.after.id}::uuid)` : undefined,
    ))
    .orderBy(asc(personnelActions.proposedOn), asc(personnelActions.id)).limit(opts.limit);
  return rows as ActionListItem[];
}

export async function countComments(db: DbOrTx, actionId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(cases)
    .where(and(eq(cases.noticeActionId, actionId), isNull(cases.pendingUntil)));
  return row?.n ?? 0;
}

// ── History ─────────────────────────────────────────────────────────────────────────────

export type NewActionEvent = typeof personnelActionEvents.$inferInsert;

export async function insertActionEvents(tx: DbOrTx, rows: NewActionEvent[]): Promise<void> {
  if (rows.length > 0) await tx.insert(personnelActionEvents).values(rows);
}

export type ActionEventRow = {
  id: number; kind: string; fromState: string | null; toState: string | null; actorKind: string; actorStaffId: string | null;
  holdId: string | null; detail: Record<string, unknown>; createdAt: Date;
};

export async function listActionEvents(db: DbOrTx, actionId: string, afterId: number, limit: number): Promise<ActionEventRow[]> {
  const rows = await db.select({
    id: personnelActionEvents.id, kind: personnelActionEvents.kind, fromState: personnelActionEvents.fromState, toState: personnelActionEvents.toState,
    actorKind: personnelActionEvents.actorKind, actorStaffId: personnelActionEvents.actorStaffId, holdId: personnelActionEvents.holdId,
    detail: personnelActionEvents.detail, createdAt: personnelActionEvents.createdAt,
  }).from(personnelActionEvents)
    .where(and(eq(personnelActionEvents.actionId, actionId), sql`${personnelActionEvents.id} > ${afterId}`))
    .orderBy(asc(personnelActionEvents.id)).limit(limit);
  return rows as ActionEventRow[];
}

// ── Cases that hold a cadre's new actions ───────────────────────────────────────────────

export type RunningCaseRow = {
  id: string; publicRef: string; state: CaseState; resumeState: CaseState | null; cadreId: string; isAnonymous: boolean;
  isCorroborated: boolean; signsOfViolation: boolean; wasAccepted: boolean;
};

/** The cadre's cases in a running inspection state, with whether each was accepted. */
export async function listRunningCasesOfCadre(db: DbOrTx, cadreId: string): Promise<RunningCaseRow[]> {
  // Written out: in a one-table select drizzle drops the table names, which the subquery needs.
  const wasAccepted: SQL<boolean> = sql<boolean>`EXISTS (SELECT 1 FROM case_events ce WHERE ce.case_id = "cases"."id" AND ce.kind = 'case.accept')`;
  const rows = await db.select({
    id: cases.id, publicRef: cases.publicRef, state: cases.state, resumeState: cases.resumeState, cadreId: cases.cadreId,
    isAnonymous: cases.isAnonymous, isCorroborated: cases.isCorroborated, signsOfViolation: cases.signsOfViolation, wasAccepted,
  }).from(cases).where(and(eq(cases.cadreId, cadreId), inArray(cases.state, [...RUNNING_CASE_STATES]), isNull(cases.pendingUntil)))
    .orderBy(asc(cases.id));
  return rows as RunningCaseRow[];
}

/** Per action: the blocking holds as the personnel page shows them (no case, only the body and dates). */
export type HoldSummary = { id: string; actionId: string; state: HoldState; reviewOn: string | null; placingBodyId: string; proceedAnyway: boolean };

export async function listBlockingHoldSummaries(db: DbOrTx, actionIds: readonly string[]): Promise<HoldSummary[]> {
  if (actionIds.length === 0) return [];
  const rows = await db.select({
    id: holds.id, actionId: holds.actionId, state: holds.state, reviewOn: holds.reviewOn, placingBodyId: holds.placingBodyId,
    proceedAnyway: sql<boolean>`${holds.proceedAnywayRef} IS NOT NULL`,
  }).from(holds).where(and(inArray(holds.actionId, [...actionIds]), inArray(holds.state, [...BLOCKING_HOLD_STATES])))
    .orderBy(asc(holds.reviewOn), asc(holds.id));
  return rows as HoldSummary[];
}
