// Holds on personnel actions and their review clocks (deadlines rows with hold_id, kind
// hold_review). Queries only; the rules are in server/domain/{holds,hold-lifecycle}.ts.
import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { cadres, caseRecusals, cases, deadlines, holds, personnelActions } from '../../drizzle/schema/index.ts';
import { BLOCKING_HOLD_STATES, type HoldFacts, type ProceedAnywayDecision } from '../domain/holds.ts';
import type { HoldState, PersonnelActionKind, PersonnelActionState } from '../domain/vocabulary.ts';

export type HoldRecord = HoldFacts & {
  placingBodyId: string;
  legalBasis: string | null;
  scope: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  renewals: number;
  proceedAnywayRef: string | null;
  proceedAnywayBodyId: string | null;
  liftReason: string | null;
  proposedAt: Date;
  version: number;
};

const holdColumns = {
  id: holds.id, state: holds.state, personnelActionId: holds.actionId, caseId: holds.caseId, reviewOn: holds.reviewOn,
  placingBodyId: holds.placingBodyId, legalBasis: holds.legalBasis, scope: holds.scope, decidedBy: holds.decidedBy,
  decidedAt: holds.decidedAt, renewals: holds.renewals, proceedAnywayRef: holds.proceedAnywayRef,
  proceedAnywayBodyId: holds.proceedAnywayBodyId, liftReason: holds.liftReason, proposedAt: holds.proposedAt, version: holds.version,
};

export async function findHold(db: DbOrTx, id: string): Promise<HoldRecord | undefined> {
  const rows = await db.select(holdColumns).from(holds).where(eq(holds.id, id)).limit(1);
  return rows[0] as HoldRecord | undefined;
}

export async function lockHold(tx: DbOrTx, id: string): Promise<HoldRecord | undefined> {
  const rows = await tx.select(holdColumns).from(holds).where(eq(holds.id, id)).limit(1).for('update');
  return rows[0] as HoldRecord | undefined;
}

/** Every hold on an action, whatever its state (the approval check and the history read them). */
export async function listHoldsOfAction(db: DbOrTx, actionId: string): Promise<HoldRecord[]> {
  const rows = await db.select(holdColumns).from(holds).where(eq(holds.actionId, actionId)).orderBy(asc(holds.proposedAt), asc(holds.id));
  return rows as HoldRecord[];
}

export const proceedAnywayOf = (rows: readonly HoldRecord[]): ProceedAnywayDecision[] =>
  rows.filter((h) => h.proceedAnywayRef !== null).map((h) => ({ holdId: h.id, personnelActionId: h.personnelActionId, decisionRef: h.proceedAnywayRef ?? '' }));

export type HoldPatch = Partial<Pick<HoldRecord, 'state' | 'legalBasis' | 'scope' | 'decidedBy' | 'decidedAt' | 'reviewOn' | 'renewals' | 'proceedAnywayRef' | 'proceedAnywayBodyId' | 'liftReason'>> & {
  decisionReason?: string | null; liftedAt?: Date | null; proceedAnywayAt?: Date | null; proceedAnywayBy?: string | null;
};

export async function updateHold(tx: DbOrTx, id: string, version: number, patch: HoldPatch): Promise<boolean> {
  const rows = await tx.update(holds).set({ ...patch, version: version + 1 })
    .where(and(eq(holds.id, id), eq(holds.version, version))).returning({ id: holds.id });
  return rows.length > 0;
}

/** Lifts those of the holds still blocking; returns the ones it lifted (a hold lifted meanwhile is left as it is). */
export async function liftBlockingHolds(
  tx: DbOrTx, holdIds: readonly string[], liftReason: string, at: Date,
): Promise<Array<{ id: string; personnelActionId: string; caseId: string }>> {
  if (holdIds.length === 0) return [];
  return tx.update(holds).set({ state: 'lifted', liftReason, liftedAt: at, version: sql`${holds.version} + 1` })
    .where(and(inArray(holds.id, [...holdIds]), inArray(holds.state, [...BLOCKING_HOLD_STATES])))
    .returning({ id: holds.id, personnelActionId: holds.actionId, caseId: holds.caseId });
}

export async function insertProposedHold(tx: DbOrTx, actionId: string, caseId: string, placingBodyId: string): Promise<string | null> {
  const rows = await tx.insert(holds).values({ actionId, caseId, placingBodyId, state: 'proposed' }).onConflictDoNothing().returning({ id: holds.id });
  return rows[0]?.id ?? null;
}

export type BodyHoldItem = HoldRecord & {
  casePublicRef: string; cadreId: string; cadreName: string; cadrePosition: string; actionKind: PersonnelActionKind;
  actionState: PersonnelActionState; positionTitle: string; proposingBodyId: string; recusedStaffIds: string[];
};

/** A body's holds for its lead's decision page: oldest proposal first, keyset on (proposed_at, id). */
export async function listBodyHolds(
  db: DbOrTx, opts: { bodyId: string; states: readonly HoldState[]; after: { proposedAt: string; id: string } | null; limit: number },
): Promise<BodyHoldItem[]> {
  const rows = await db.select({
    ...holdColumns, casePublicRef: cases.publicRef, cadreId: cadres.id, cadreName: cadres.fullName, cadrePosition: cadres.position,
    actionKind: personnelActions.kind, actionState: personnelActions.state, positionTitle: personnelActions.positionTitle,
    proposingBodyId: personnelActions.proposingBodyId,
    recusedStaffIds: sql<string[]>`coalesce((SELECT array_agg(${caseRecusals.staffId}::text) FROM ${caseRecusals} WHERE ${caseRecusals.caseId} = ${holds.caseId}), '{}')`,
  }).from(holds)
    .innerJoin(personnelActions, eq(personnelActions.id, holds.actionId))
    .innerJoin(cadres, eq(cadres.id, personnelActions.cadreId))
    .innerJoin(cases, eq(cases.id, holds.caseId))
    .where(and(
      eq(holds.placingBodyId, opts.bodyId), inArray(holds.state, [...opts.states]),
      opts.after ? sql`(${holds.proposedAt}, ${holds.id}) > (${opts.after.proposedAt}::timestamptz, ${opts.after.id}::uuid)` : undefined,
    ))
    .orderBy(asc(holds.proposedAt), asc(holds.id)).limit(opts.limit);
  return rows as BodyHoldItem[];
}

export async function findRecusedStaffIds(db: DbOrTx, caseId: string): Promise<string[]> {
  const rows = await db.select({ staffId: caseRecusals.staffId }).from(caseRecusals).where(eq(caseRecusals.caseId, caseId));
  return rows.map((r) => r.staffId);
}

export async function findCaseRefAndCadre(db: DbOrTx, caseId: string): Promise<{ id: string; publicRef: string; cadreId: string | null } | undefined> {
  const rows = await db.select({ id: cases.id, publicRef: cases.publicRef, cadreId: cases.cadreId }).from(cases).where(eq(cases.id, caseId)).limit(1);
  return rows[0];
}

// ── Review clocks ───────────────────────────────────────────────────────────────────────

export type HoldDeadlineRow = { id: string; holdId: string; dueOn: string; startedOn: string; amount: number; state: string; remindedAt: Date | null; escalatedAt: Date | null };

const deadlineColumns = {
  id: deadlines.id, holdId: deadlines.holdId, dueOn: deadlines.dueOn, startedOn: deadlines.startedOn, amount: deadlines.amount,
  state: deadlines.state, remindedAt: deadlines.remindedAt, escalatedAt: deadlines.escalatedAt,
};

export async function insertHoldDeadline(
  tx: DbOrTx, row: { holdId: string; bodyId: string; amount: number; startedOn: string; dueOn: string },
): Promise<HoldDeadlineRow> {
  const [inserted] = await tx.insert(deadlines).values({ ...row, kind: 'hold_review', unit: 'calendar' }).returning(deadlineColumns);
  if (!inserted) throw new Error('hold deadline insert returned nothing');
  return inserted as HoldDeadlineRow;
}

/** Closes the hold's running review clock (renewed: met; lifted or refused: cancelled). */
export async function closeHoldDeadlines(tx: DbOrTx, holdIds: readonly string[], state: 'met' | 'missed' | 'cancelled', at: Date): Promise<void> {
  if (holdIds.length === 0) return;
  await tx.update(deadlines).set({ state, closedAt: at })
    .where(and(inArray(deadlines.holdId, [...holdIds]), eq(deadlines.state, 'open')));
}

export async function lockHoldDeadline(tx: DbOrTx, id: string): Promise<HoldDeadlineRow | undefined> {
  const rows = await tx.select(deadlineColumns).from(deadlines).where(and(eq(deadlines.id, id), isNotNull(deadlines.holdId))).limit(1).for('update');
  return rows[0] as HoldDeadlineRow | undefined;
}

export async function markHoldDeadline(tx: DbOrTx, id: string, patch: { remindedAt?: Date; escalatedAt?: Date }): Promise<void> {
  await tx.update(deadlines).set(patch).where(eq(deadlines.id, id));
}
