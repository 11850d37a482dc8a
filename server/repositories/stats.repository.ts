// Counts for the public statistics. Metadata only (state, outcome, flags, days, deadline
// states), grouped by jurisdiction so that any area's figures are sums of these rows. Each
// query is one pass over cases (and deadlines): the service reads them once a minute for
// every area at once, so no request pattern makes the scans more frequent.
import { and, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { cases, deadlines } from '../../drizzle/schema/index.ts';
import type { CaseState, ConclusionOutcome, DeadlineKind } from '../domain/vocabulary.ts';

/** Cases still waiting for their uploads are not received yet. */
const isReceived = isNull(cases.pendingUntil);

export type CaseCountRow = {
  jurisdictionCode: string;
  state: CaseState;
  resumeState: CaseState | null;
  outcome: ConclusionOutcome | null;
  n: number;
  /** Received on or after the `since` day. */
  recent: number;
  overdue: number;
};

export async function countCasesForStats(db: DbOrTx, opts: { since: string }): Promise<CaseCountRow[]> {
  const rows = await db.select({
    jurisdictionCode: cases.jurisdictionCode, state: cases.state, resumeState: cases.resumeState, outcome: cases.outcome,
    n: count(),
    recent: sql<number>`count(*) FILTER (WHERE ${cases.receivedOn} >= ${opts.since}::date)`.mapWith(Number),
    overdue: sql<number>`count(*) FILTER (WHERE ${cases.overdue})`.mapWith(Number),
  }).from(cases)
    .where(isReceived)
    .groupBy(cases.jurisdictionCode, cases.state, cases.resumeState, cases.outcome);
  return rows as CaseCountRow[];
}

export type DeadlineCountRow = { jurisdictionCode: string; kind: DeadlineKind; met: number; missed: number };

/** Case deadlines of these kinds that ended met or missed (cancelled ones are left out). */
export async function countEndedDeadlines(db: DbOrTx, opts: { kinds: readonly DeadlineKind[] }): Promise<DeadlineCountRow[]> {
  const rows = await db.select({
    jurisdictionCode: cases.jurisdictionCode, kind: deadlines.kind,
    met: sql<number>`count(*) FILTER (WHERE ${deadlines.state} = 'met')`.mapWith(Number),
    missed: sql<number>`count(*) FILTER (WHERE ${deadlines.state} = 'missed')`.mapWith(Number),
  }).from(deadlines)
    .innerJoin(cases, eq(cases.id, deadlines.caseId))
    .where(and(inArray(deadlines.kind, [...opts.kinds]), inArray(deadlines.state, ['met', 'missed']), isReceived))
    .groupBy(cases.jurisdictionCode, deadlines.kind);
  return rows as DeadlineCountRow[];
}

export type OnTimeRow = { jurisdictionCode: string; cases: number; onTime: number };

/**
 * Cases in these states whose deadlines of these kinds have all ended (at least one), and
 * how many of them missed none. The cases are narrowed before the deadlines are grouped per
 * case: grouping every deadline first took twice as long on 200k cases.
 */
export async function countCasesOnTime(
  db: DbOrTx, opts: { states: readonly CaseState[]; kinds: readonly DeadlineKind[] },
): Promise<OnTimeRow[]> {
  const perCase = db.select({
    jurisdictionCode: cases.jurisdictionCode,
    missedAny: sql<boolean>`bool_or(${deadlines.state} = 'missed')`.as('missed_any'),
    openAny: sql<boolean>`bool_or(${deadlines.state} = 'open')`.as('open_any'),
  }).from(cases)
    .innerJoin(deadlines, eq(deadlines.caseId, cases.id))
    .where(and(
      inArray(cases.state, [...opts.states]), isReceived,
      inArray(deadlines.kind, [...opts.kinds]), inArray(deadlines.state, ['met', 'missed', 'open']),
    ))
    .groupBy(cases.id, cases.jurisdictionCode)
    .as('per_case');
  const rows = await db.select({
    jurisdictionCode: perCase.jurisdictionCode,
    cases: count(),
    onTime: sql<number>`count(*) FILTER (WHERE NOT ${perCase.missedAny})`.mapWith(Number),
  }).from(perCase)
    .where(sql`NOT ${perCase.openAny}`)
    .groupBy(perCase.jurisdictionCode);
  return rows as OnTimeRow[];
}
