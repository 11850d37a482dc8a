// The staff queue: a body's cases in deadline order, by keyset over case_bodies_queue
// (body_id, queue_due_on, case_id), so any page costs one index range walk.
import { and, asc, eq, gte, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { cadres, caseAssignees, caseBodies, caseLabels, caseRecusals, cases } from '../../drizzle/schema/index.ts';
import type { QueueKey } from '../domain/queue.ts';
import type { CaseState, Category, Classification, Complexity } from '../domain/vocabulary.ts';

export type QueueFilter = {
  bodyId: string;
  /** Cases about this cadre (the actor themselves) never appear. */
  selfCadreId: string | null;
  /** Cases this staff member recused from never appear. */
  staffId: string;
  state?: CaseState;
  category?: Category;
  /** Inclusive day bounds on the next deadline ('due soon'), or 'overdue' before `today`. */
  due?: { kind: 'soon'; today: string; until: string } | { kind: 'overdue'; today: string };
  assignee?: { kind: 'me' | 'staff'; staffId: string } | { kind: 'unassigned' };
  label?: string;
  refPrefix?: string;
};

export type QueueRow = {
  id: string;
  publicRef: string;
  state: CaseState;
  classification: Classification | null;
  category: Category;
  jurisdictionCode: string;
  receivedOn: string;
  nextDueOn: string | null;
  queueDueOn: string;
  overdue: boolean;
  urgent: boolean;
  complexity: Complexity;
  isAnonymous: boolean;
  labels: string[] | string | null;
  assigneeCount: number;
  cadreId: string | null;
  cadreName: string | null;
  cadrePosition: string | null;
};

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function conditions(f: QueueFilter): SQL[] {
  const out: SQL[] = [eq(caseBodies.bodyId, f.bodyId), isNull(cases.pendingUntil)];
  if (f.selfCadreId !== null) out.push(sql`${cases.cadreId} IS DISTINCT FROM ${f.selfCadreId}`);
  out.push(sql`NOT EXISTS (SELECT 1 FROM ${caseRecusals} WHERE ${caseRecusals.caseId} = ${caseBodies.caseId} AND ${caseRecusals.staffId} = ${f.staffId})`);
  if (f.state) out.push(eq(cases.state, f.state));
  if (f.category) out.push(eq(cases.category, f.category));
  if (f.due?.kind === 'soon') out.push(gte(caseBodies.queueDueOn, f.due.today), lte(caseBodies.queueDueOn, f.due.until));
  if (f.due?.kind === 'overdue') {
    // The escalation job sets the flag; a due day already past counts before it runs.
    out.push(or(lt(caseBodies.queueDueOn, f.due.today), eq(cases.overdue, true)) as SQL);
  }
  if (f.assignee?.kind === 'unassigned') {
    out.push(sql`NOT EXISTS (SELECT 1 FROM ${caseAssignees} WHERE ${caseAssignees.caseId} = ${caseBodies.caseId})`);
  } else if (f.assignee) {
    out.push(sql`EXISTS (SELECT 1 FROM ${caseAssignees} WHERE ${caseAssignees.caseId} = ${caseBodies.caseId} AND ${caseAssignees.staffId} = ${f.assignee.staffId})`);
  }
  if (f.label) out.push(sql`EXISTS (SELECT 1 FROM ${caseLabels} WHERE ${caseLabels.caseId} = ${caseBodies.caseId} AND ${caseLabels.label} = ${f.label})`);
  if (f.refPrefix) out.push(sql`${cases.publicRef} LIKE ${`${escapeLike(f.refPrefix)}%`}`);
  return out;
}

/** One page in (next deadline, id) order; `limit + 1` rows tell whether another page exists. */
export async function listQueuePage(db: DbOrTx, f: QueueFilter, after: QueueKey | null, limit: number): Promise<QueueRow[]> {
  const where = conditions(f);
  if (after) {
    // One row comparison: the planner turns it into the start of the index range.
    where.push(sql`(${caseBodies.queueDueOn}, ${caseBodies.caseId}) > (${after.dueOn}::date, ${after.caseId}::uuid)`);
  }
  const rows = await db.select({
    id: cases.id, publicRef: cases.publicRef, state: cases.state, classification: cases.classification, category: cases.category,
    jurisdictionCode: cases.jurisdictionCode, receivedOn: cases.receivedOn, nextDueOn: cases.nextDueOn, queueDueOn: caseBodies.queueDueOn,
    overdue: cases.overdue, urgent: cases.urgent, complexity: cases.complexity, isAnonymous: cases.isAnonymous,
    labels: sql<string[] | null>`(SELECT array_agg(${caseLabels.label} ORDER BY ${caseLabels.label}) FROM ${caseLabels} WHERE ${caseLabels.caseId} = ${cases.id})`,
    assigneeCount: sql<number>`(SELECT count(*)::int FROM ${caseAssignees} WHERE ${caseAssignees.caseId} = ${cases.id})`,
    cadreId: cases.cadreId, cadreName: cadres.fullName, cadrePosition: cadres.position,
  }).from(caseBodies)
    .innerJoin(cases, eq(cases.id, caseBodies.caseId))
    .leftJoin(cadres, eq(cadres.id, cases.cadreId))
    .where(and(...where))
    .orderBy(asc(caseBodies.queueDueOn), asc(caseBodies.caseId))
    .limit(limit + 1);
  return rows as QueueRow[];
}

export type QueueCounts = { state: CaseState; n: number; overdue: number; dueSoon: number };

/** Counts by state, with overdue and due-soon counts, under the same filters (state aside). */
export async function countQueue(db: DbOrTx, f: QueueFilter, today: string, soonUntil: string): Promise<QueueCounts[]> {
  const rows = await db.select({
    state: cases.state,
    n: sql<number>`count(*)::int`,
    overdue: sql<number>`(count(*) FILTER (WHERE ${caseBodies.queueDueOn} < ${today}::date OR ${cases.overdue}))::int`,
    dueSoon: sql<number>`(count(*) FILTER (WHERE ${caseBodies.queueDueOn} >= ${today}::date AND ${caseBodies.queueDueOn} <= ${soonUntil}::date))::int`,
  }).from(caseBodies)
    .innerJoin(cases, eq(cases.id, caseBodies.caseId))
    .where(and(...conditions({ ...f, state: undefined } as QueueFilter)))
    .groupBy(cases.state);
  return rows.map((r) => ({ ...r, state: r.state as CaseState, n: Number(r.n), overdue: Number(r.overdue), dueSoon: Number(r.dueSoon) }));
}

