// What the workflow reads and writes on a case: its facts (for planTransition), its state
// columns, its timeline events and the bodies it is routed to.
import { and, asc, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { columnPlaceholder, reusable } from '../db/reusable.ts';
import { bodies, cadres, caseAssignees, caseBodies, caseEvents, cases, holds, messages, personnelActions } from '../../drizzle/schema/index.ts';
import { HOLDABLE_ACTION_STATES, type HoldFacts, type PersonnelActionFacts } from '../domain/holds.ts';
import type { BodyKind, CaseState, Category, Classification, Complexity, ConclusionOutcome, Level } from '../domain/vocabulary.ts';
import type { CaseClocks } from '../services/deadline-schedule.ts';

export type CaseRow = {
  id: string;
  publicRef: string;
  state: CaseState;
  resumeState: CaseState | null;
  classification: Classification | null;
  category: Category;
  jurisdictionCode: string;
  isAnonymous: boolean;
  hasSignedPetition: boolean;
  isCorroborated: boolean;
  cadreId: string | null;
  overdue: boolean;
  urgent: boolean;
  complexity: Complexity;
  mergedIntoId: string | null;
  congressWindow: boolean;
  signsOfViolation: boolean;
  resolutionExtensions: number;
  receivedOn: string;
  pendingUntil: Date | null;
  version: number;
};

const caseColumns = {
  id: cases.id, publicRef: cases.publicRef, state: cases.state, resumeState: cases.resumeState, classification: cases.classification,
  category: cases.category, jurisdictionCode: cases.jurisdictionCode, isAnonymous: cases.isAnonymous,
  hasSignedPetition: cases.hasSignedPetition, isCorroborated: cases.isCorroborated, cadreId: cases.cadreId, overdue: cases.overdue,
  urgent: cases.urgent, complexity: cases.complexity, mergedIntoId: cases.mergedIntoId, congressWindow: cases.congressWindow,
  signsOfViolation: cases.signsOfViolation, resolutionExtensions: cases.resolutionExtensions, receivedOn: cases.receivedOn,
  pendingUntil: cases.pendingUntil, version: cases.version,
};

const caseIdParam = sql.placeholder('caseId');
const selectLockedCase = reusable((db) => db.select(caseColumns).from(cases).where(eq(cases.id, caseIdParam)).limit(1).for('update').prepare('lock_case_row'));
const selectCase = reusable((db) => db.select(caseColumns).from(cases).where(eq(cases.id, caseIdParam)).limit(1).prepare('find_case_row'));

/** The case row, locked for a change: concurrent transitions of one case queue up here. */
export async function lockCaseRow(tx: DbOrTx, caseId: string): Promise<CaseRow | undefined> {
  const rows = await selectLockedCase(tx, { caseId });
  return rows[0] as CaseRow | undefined;
}

export async function findCaseRow(db: DbOrTx, caseId: string): Promise<CaseRow | undefined> {
  const rows = await selectCase(db, { caseId });
  return rows[0] as CaseRow | undefined;
}

const selectAssigneeIds = reusable((db) => db.select({ staffId: caseAssignees.staffId }).from(caseAssignees)
  .where(eq(caseAssignees.caseId, caseIdParam)).prepare('list_assignee_ids'));

export async function listAssigneeIds(db: DbOrTx, caseId: string): Promise<string[]> {
  const rows = await selectAssigneeIds(db, { caseId });
  return rows.map((r) => r.staffId);
}

export async function insertAssignees(tx: DbOrTx, caseId: string, staffIds: readonly string[], assignedBy: string | null): Promise<void> {
  if (staffIds.length === 0) return;
  await tx.insert(caseAssignees).values(staffIds.map((staffId) => ({ caseId, staffId, assignedBy }))).onConflictDoNothing();
}

/**
 * Whether the reporter has been written to since the case entered its current state (the
 * day it did, since public-facing dates are kept to the day).
 */
export async function hasAnsweredReporterSince(db: DbOrTx, caseId: string, state: CaseState): Promise<boolean> {
  const [entered] = await db.select({ on: caseEvents.occurredOn }).from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.toState, state))).orderBy(desc(caseEvents.id)).limit(1);
  if (!entered) return false;
  const rows = await db.select({ id: messages.id }).from(messages)
    .where(and(eq(messages.caseId, caseId), eq(messages.direction, 'to_reporter'), gte(messages.sentOn, entered.on))).limit(1);
  return rows.length > 0;
}

export type CaseStatePatch = {
  state: CaseState;
  resumeState: CaseState | null;
  classification: Classification | null;
  complexity: Complexity;
  mergedIntoId: string | null;
  signsOfViolation: boolean;
  resolutionExtensions: number;
  outcome?: ConclusionOutcome;
  updatedAt: Date;
};

/**
 * Optimistic: applies only to the version that was read, and moves the version on. With
 * `clocks`, the same update writes the columns that follow the case's deadlines, for a
 * transition that changed its clocks just before (applyDeadlineEffects' onCaseClocks).
 */
export async function updateCaseAfterTransition(
  tx: DbOrTx, caseId: string, version: number, patch: CaseStatePatch, clocks?: CaseClocks,
): Promise<boolean> {
  if (patch.outcome !== undefined) {
    const rows = await tx.update(cases).set({ ...patch, version: version + 1, ...(clocks ?? {}) })
      .where(and(eq(cases.id, caseId), eq(cases.version, version))).returning({ id: cases.id });
    return rows.length > 0;
  }
  const { state, resumeState, classification, complexity, mergedIntoId, signsOfViolation, resolutionExtensions, updatedAt } = patch;
  const values = {
    caseId, version, nextVersion: version + 1,
    state, resumeState, classification, complexity, mergedIntoId, signsOfViolation, resolutionExtensions, updatedAt,
  };
  const rows = clocks
    ? await updateCaseStateAndClocks(tx, { ...values, ...clocks })
    : await updateCaseState(tx, values);
  return rows.length > 0;
}

// A transition without a conclusion (all but one) writes these columns: one statement text.
const stateColumns = () => ({
  state: columnPlaceholder<CaseState>('state'), resumeState: columnPlaceholder<CaseState | null>('resumeState'),
  classification: columnPlaceholder<Classification | null>('classification'), complexity: columnPlaceholder<Complexity>('complexity'),
  mergedIntoId: columnPlaceholder<string | null>('mergedIntoId'), signsOfViolation: columnPlaceholder<boolean>('signsOfViolation'),
  resolutionExtensions: columnPlaceholder<number>('resolutionExtensions'), updatedAt: columnPlaceholder<Date>('updatedAt'),
  version: columnPlaceholder<number>('nextVersion'),
});
const versionMatches = and(eq(cases.id, caseIdParam), eq(cases.version, sql.placeholder('version')));
const updateCaseState = reusable((db) => db.update(cases).set(stateColumns())
  .where(versionMatches).returning({ id: cases.id }).prepare('update_case_state'));
const updateCaseStateAndClocks = reusable((db) => db.update(cases)
  .set({ ...stateColumns(), nextDueOn: columnPlaceholder<string | null>('nextDueOn'), overdue: columnPlaceholder<boolean>('overdue') })
  .where(versionMatches).returning({ id: cases.id }).prepare('update_case_state_and_clocks'));

export type RoutedBody = { bodyId: string; role: string; reason: string; kind: BodyKind; level: Level; jurisdictionCode: string };

/** The bodies a case is routed or forwarded to, in the order they were added. */
export async function listRoutedBodies(db: DbOrTx, caseId: string): Promise<RoutedBody[]> {
  const rows = await selectRoutedBodies(db, { caseId });
  return rows as RoutedBody[];
}

const selectRoutedBodies = reusable((db) => db.select({
  bodyId: caseBodies.bodyId, role: caseBodies.role, reason: caseBodies.reason, kind: bodies.kind, level: bodies.level,
  jurisdictionCode: bodies.jurisdictionCode,
}).from(caseBodies).innerJoin(bodies, eq(bodies.id, caseBodies.bodyId))
  .where(eq(caseBodies.caseId, caseIdParam)).orderBy(asc(caseBodies.createdAt), sql`${caseBodies.role} = 'added'`).prepare('list_routed_bodies'));

// Holds on the personnel actions of the case's cadre, as the workflow proposes and lifts them.

export async function listPendingActionsOfCadre(db: DbOrTx, cadreId: string): Promise<PersonnelActionFacts[]> {
  const rows = await db.select({ id: personnelActions.id, cadreId: personnelActions.cadreId, kind: personnelActions.kind, state: personnelActions.state })
    .from(personnelActions).where(and(eq(personnelActions.cadreId, cadreId), inArray(personnelActions.state, [...HOLDABLE_ACTION_STATES])));
  return rows as PersonnelActionFacts[];
}

export async function listCaseHolds(db: DbOrTx, caseId: string): Promise<HoldFacts[]> {
  const rows = await db.select({ id: holds.id, state: holds.state, personnelActionId: holds.actionId, caseId: holds.caseId, reviewOn: holds.reviewOn })
    .from(holds).where(eq(holds.caseId, caseId));
  return rows as HoldFacts[];
}

/** One hold per action and case (holds_action_case): a repeated proposal adds nothing. */
export async function insertProposedHolds(tx: DbOrTx, caseId: string, actionIds: readonly string[], placingBodyId: string): Promise<string[]> {
  if (actionIds.length === 0) return [];
  const rows = await tx.insert(holds).values(actionIds.map((actionId) => ({ actionId, caseId, placingBodyId, state: 'proposed' })))
    .onConflictDoNothing().returning({ id: holds.id });
  return rows.map((r) => r.id);
}

export async function markCadreCleared(tx: DbOrTx, cadreId: string, at: Date): Promise<void> {
  await tx.update(cadres).set({ clearedAt: at, updatedAt: at }).where(eq(cadres.id, cadreId));
}
