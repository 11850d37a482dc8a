// Legal deadlines of cases: the rows the deadline service keeps and the scheduler pages through.
import { and, asc, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { columnPlaceholder, reusable, reusableInsert } from '../db/reusable.ts';
import { bodies, cases, deadlines, outbox } from '../../drizzle/schema/index.ts';
import type { PauseInterval } from '../domain/calendar.ts';
import type { Extension } from '../domain/deadlines.ts';
import type { DayUnit, DeadlineKind } from '../domain/vocabulary.ts';

export type DeadlineRow = {
  id: string;
  caseId: string;
  bodyId: string | null;
  kind: DeadlineKind;
  unit: DayUnit;
  amount: number;
  startedOn: string;
  dueOn: string;
  pausedSince: string | null;
  /** Closed pauses only; the open one is pausedSince. */
  pauses: PauseInterval[];
  extensionLog: Extension[];
  state: 'open' | 'met' | 'missed' | 'cancelled';
  remindedAt: Date | null;
  escalatedAt: Date | null;
};

const columns = {
  id: deadlines.id, caseId: deadlines.caseId, bodyId: deadlines.bodyId, kind: deadlines.kind, unit: deadlines.unit,
  amount: deadlines.amount, startedOn: deadlines.startedOn, dueOn: deadlines.dueOn, pausedSince: deadlines.pausedSince,
  pauses: deadlines.pauses, extensionLog: deadlines.extensionLog, state: deadlines.state, remindedAt: deadlines.remindedAt,
  escalatedAt: deadlines.escalatedAt,
};

export type NewDeadline = Omit<DeadlineRow, 'id' | 'state' | 'remindedAt' | 'escalatedAt'>;

export async function insertDeadline(tx: DbOrTx, row: NewDeadline): Promise<DeadlineRow> {
  const [inserted] = await insertDeadlineRows(tx, [{ ...row, extensions: row.extensionLog.length }]);
  if (!inserted) throw new Error('deadline insert returned nothing');
  return inserted as DeadlineRow;
}

const insertDeadlineRows = reusableInsert('insert_deadline', (db, rows: Array<NewDeadline & { extensions: number }>) =>
  db.insert(deadlines).values(rows).returning(columns));

/** Every deadline of a case, open or closed, locked for the transition that changes them. */
export async function lockCaseDeadlines(tx: DbOrTx, caseId: string): Promise<DeadlineRow[]> {
  const rows = await selectLockedCaseDeadlines(tx, { caseId });
  return rows as DeadlineRow[];
}

const selectLockedCaseDeadlines = reusable((db) => db.select(columns).from(deadlines).where(eq(deadlines.caseId, sql.placeholder('caseId')))
  .orderBy(asc(deadlines.startedOn)).for('update').prepare('lock_case_deadlines'));

export async function lockDeadline(tx: DbOrTx, id: string): Promise<DeadlineRow | undefined> {
  const rows = await tx.select(columns).from(deadlines).where(eq(deadlines.id, id)).limit(1).for('update');
  return rows[0] as DeadlineRow | undefined;
}

/**
 * Every deadline of a case, open or closed. By the case alone: a case has a handful, and a
 * filter on state here would let a plan cached while the table was small walk one of the
 * indexes of open deadlines (every open deadline in the system) instead of the case's.
 */
export async function listCaseDeadlines(db: DbOrTx, caseId: string): Promise<DeadlineRow[]> {
  const rows = await selectCaseDeadlines(db, { caseId });
  return rows as DeadlineRow[];
}

const selectCaseDeadlines = reusable((db) => db.select(columns).from(deadlines).where(eq(deadlines.caseId, sql.placeholder('caseId')))
  .prepare('list_case_deadlines'));

export async function listOpenCaseDeadlines(db: DbOrTx, caseId: string): Promise<DeadlineRow[]> {
  return (await listCaseDeadlines(db, caseId)).filter((d) => d.state === 'open');
}

/** Open case deadlines after `afterId`, a page at a time (the reconciler's walk). */
export async function pageOpenCaseDeadlines(db: DbOrTx, afterId: string | null, limit: number): Promise<DeadlineRow[]> {
  const rows = await db.select(columns).from(deadlines)
    .where(and(eq(deadlines.state, 'open'), isNotNull(deadlines.caseId), afterId ? gt(deadlines.id, afterId) : undefined))
    .orderBy(asc(deadlines.id)).limit(limit);
  return rows as DeadlineRow[];
}

export type DeadlinePatch = Partial<Pick<DeadlineRow, 'dueOn' | 'pausedSince' | 'pauses' | 'extensionLog' | 'state' | 'remindedAt' | 'escalatedAt'>> & {
  closedAt?: Date;
};

export async function updateDeadline(tx: DbOrTx, id: string, patch: DeadlinePatch): Promise<void> {
  await tx.update(deadlines).set({
    ...patch,
    ...(patch.extensionLog ? { extensions: patch.extensionLog.length } : {}),
  }).where(eq(deadlines.id, id));
}

/** Writes the case's clock columns, as caseClocks computes them from its deadline rows. */
export async function updateCaseClocks(tx: DbOrTx, caseId: string, clocks: { nextDueOn: string | null; overdue: boolean }): Promise<void> {
  await updateCaseClockValues(tx, { caseId, ...clocks });
}

const updateCaseClockValues = reusable((db) => db.update(cases)
  .set({ nextDueOn: columnPlaceholder<string | null>('nextDueOn'), overdue: columnPlaceholder<boolean>('overdue') })
  .where(eq(cases.id, sql.placeholder('caseId'))).prepare('update_case_clocks'));

/** A body's deadline overrides (bodies.deadline_overrides), or null for the defaults. */
export async function findBodyDeadlineOverrides(db: DbOrTx, bodyId: string): Promise<unknown> {
  const rows = await db.select({ overrides: bodies.deadlineOverrides }).from(bodies).where(eq(bodies.id, bodyId)).limit(1);
  return rows[0]?.overrides ?? null;
}

export type DeadlineJobRow = { id: number; topic: string; dedupeKey: string; payload: unknown; availableAt: Date; dispatchedAt: Date | null; completedAt: Date | null };

/** The outbox rows of deadline jobs, by dedupe key (what the scheduler compares with Redis). */
export async function findDeadlineJobRows(db: DbOrTx, dedupeKeys: readonly string[]): Promise<DeadlineJobRow[]> {
  if (dedupeKeys.length === 0) return [];
  return db.select({
    id: outbox.id, topic: outbox.topic, dedupeKey: outbox.dedupeKey, payload: outbox.payload, availableAt: outbox.availableAt,
    dispatchedAt: outbox.dispatchedAt, completedAt: outbox.completedAt,
  }).from(outbox).where(inArray(outbox.dedupeKey, [...dedupeKeys]));
}
