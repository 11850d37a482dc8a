// Counts for the public statistics. Metadata only (state, outcome, category, flags, days,
// deadline states, routed bodies, hold states and decisions), grouped by jurisdiction so that any area's
// figures are sums of these rows (medians come from per-jurisdiction histograms of days).
// Each query is one pass over its tables: the service reads them once a minute for every
// area at once, so no request pattern makes the scans more frequent.
import { and, count, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { bodies, caseBodies, caseEvents, cases, deadlines, holds, personnelActionEvents } from '../../drizzle/schema/index.ts';
import type { HoldTally } from '../domain/public-stats.ts';
import type { BodyKind, CaseState, Category, ConclusionOutcome, DeadlineKind, Level } from '../domain/vocabulary.ts';

/** Cases still waiting for their uploads are not received yet. */
const isReceived = isNull(cases.pendingUntil);

export type CaseCountRow = {
  jurisdictionCode: string;
  state: CaseState;
  resumeState: CaseState | null;
  outcome: ConclusionOutcome | null;
  category: Category;
  n: number;
  /** Received on or after the `since` day. */
  recent: number;
  overdue: number;
};

export async function countCasesForStats(db: DbOrTx, opts: { since: string }): Promise<CaseCountRow[]> {
  const rows = await db.select({
    jurisdictionCode: cases.jurisdictionCode, state: cases.state, resumeState: cases.resumeState, outcome: cases.outcome,
    category: cases.category,
    n: count(),
    recent: sql<number>`count(*) FILTER (WHERE ${cases.receivedOn} >= ${opts.since}::date)`.mapWith(Number),
    overdue: sql<number>`count(*) FILTER (WHERE ${cases.overdue})`.mapWith(Number),
  }).from(cases)
    .where(isReceived)
    .groupBy(cases.jurisdictionCode, cases.state, cases.resumeState, cases.outcome, cases.category);
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

export type BodyCountRow = {
  jurisdictionCode: string;
  /** Kept in the service to tell bodies apart; never published. */
  bodyId: string;
  bodyNameVi: string; bodyNameEn: string; bodyKind: BodyKind; bodyLevel: Level; bodyJurisdictionCode: string;
  n: number;
};

/** Cases routed to each body of these kinds (case_bodies), by the case's jurisdiction. */
export async function countCasesByBody(db: DbOrTx, opts: { kinds: readonly BodyKind[] }): Promise<BodyCountRow[]> {
  const rows = await db.select({
    jurisdictionCode: cases.jurisdictionCode, bodyId: bodies.id,
    bodyNameVi: bodies.nameVi, bodyNameEn: bodies.nameEn, bodyKind: bodies.kind, bodyLevel: bodies.level,
    bodyJurisdictionCode: bodies.jurisdictionCode,
    n: count(),
  }).from(caseBodies)
    .innerJoin(cases, eq(cases.id, caseBodies.caseId))
    .innerJoin(bodies, eq(bodies.id, caseBodies.bodyId))
    .where(and(isReceived, inArray(bodies.kind, [...opts.kinds])))
    .groupBy(cases.jurisdictionCode, bodies.id);
  return rows as BodyCountRow[];
}

export type DaysRow = { jurisdictionCode: string; measure: 'triage' | 'conclusion'; days: number; n: number };

/**
 * How many cases took each number of calendar days from receipt to leaving triage with one of
 * these decisions, and from receipt to the conclusion: a histogram per jurisdiction, so a
 * median can be taken over any area. One pass over case_events; a case leaves triage with a
 * decision at most once (no transition leads back into it) and is concluded at most once.
 */
export async function countDaysToDecisions(
  db: DbOrTx, opts: { triageDecisions: readonly CaseState[]; concluded: CaseState },
): Promise<DaysRow[]> {
  const measure = sql<'triage' | 'conclusion'>`CASE WHEN ${caseEvents.toState} = ${opts.concluded} THEN 'conclusion' ELSE 'triage' END`;
  // Never negative: an event dated before the day of receipt could only be a data error.
  const days = sql<number>`greatest(${caseEvents.occurredOn} - ${cases.receivedOn}, 0)`;
  const rows = await db.select({
    jurisdictionCode: cases.jurisdictionCode, measure, days: days.mapWith(Number), n: count(),
  }).from(caseEvents)
    .innerJoin(cases, eq(cases.id, caseEvents.caseId))
    .where(and(isReceived, or(
      and(eq(caseEvents.fromState, 'triage'), inArray(caseEvents.toState, [...opts.triageDecisions])),
      eq(caseEvents.toState, opts.concluded),
    )))
    // By position: the expressions carry bound parameters, which Postgres would not match
    // between the select list and a repeated GROUP BY.
    .groupBy(sql`1, 2, 3`);
  return rows as DaysRow[];
}

export type HoldTallyRow = HoldTally & { jurisdictionCode: string };

/**
 * Holds on personnel actions by the jurisdiction of the case they came from, grouped by
 * state, whether the placing decision (`placedEvent` in the action's history) is recorded,
 * whether it was recorded since `since`, and whether the hold was lifted since then. Counts
 * only: no cadre, action or hold leaves this query.
 */
export async function countHolds(db: DbOrTx, opts: { placedEvent: string; since: Date }): Promise<HoldTallyRow[]> {
  // A hold is confirmed at most once (confirm leads only out of 'proposed'); min() is for safety.
  const placings = db.select({
    holdId: personnelActionEvents.holdId,
    placedAt: sql<Date>`min(${personnelActionEvents.createdAt})`.as('placed_at'),
  }).from(personnelActionEvents)
    .where(eq(personnelActionEvents.kind, opts.placedEvent))
    .groupBy(personnelActionEvents.holdId)
    .as('placings');
  const since = sql`${opts.since.toISOString()}::timestamptz`;
  const rows = await db.select({
    jurisdictionCode: cases.jurisdictionCode,
    state: holds.state,
    isPlaced: sql<boolean>`${placings.placedAt} IS NOT NULL`,
    placedSince: sql<boolean>`coalesce(${placings.placedAt} >= ${since}, false)`,
    liftedSince: sql<boolean>`coalesce(${holds.liftedAt} >= ${since}, false)`,
    n: count(),
  }).from(holds)
    .innerJoin(cases, eq(cases.id, holds.caseId))
    .leftJoin(placings, eq(placings.holdId, holds.id))
    // By position, as in countDaysToDecisions: the expressions carry bound parameters.
    .groupBy(sql`1, 2, 3, 4, 5`);
  return rows as HoldTallyRow[];
}
