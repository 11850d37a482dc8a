// The staff queue: a body's cases in deadline order, by keyset over case_bodies_queue
// (body_id, queue_due_on, case_id), so any page costs one index range walk.
import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
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
  /** Only cases also routed or granted to this other body (e.g. forwarded to that committee). */
  alsoHeldBy?: string;
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

const ph = (name: string) => sql.placeholder(name);

/**
 * The WHERE clause with placeholders, its shape (which filters are present) and the values.
 * The same shape is the same statement, so the queue's statements are built once and prepared.
 */
function conditions(f: QueueFilter): { where: SQL[]; shape: string; values: Record<string, unknown> } {
  const where: SQL[] = [eq(caseBodies.bodyId, ph('bodyId')), isNull(cases.pendingUntil)];
  const values: Record<string, unknown> = { bodyId: f.bodyId, staffId: f.staffId };
  const shape: string[] = [];
  if (f.selfCadreId !== null) {
    where.push(sql`${cases.cadreId} IS DISTINCT FROM ${ph('selfCadreId')}::uuid`);
    values['selfCadreId'] = f.selfCadreId;
    shape.push('self');
  }
  where.push(sql`NOT EXISTS (SELECT 1 FROM ${caseRecusals} WHERE ${caseRecusals.caseId} = ${caseBodies.caseId} AND ${caseRecusals.staffId} = ${ph('staffId')})`);
  // On case_bodies, so the planner walks case_bodies_queue_state for exactly this state.
  if (f.state) { where.push(eq(caseBodies.caseState, ph('state'))); values['state'] = f.state; shape.push('state'); }
  if (f.category) { where.push(eq(cases.category, ph('category'))); values['category'] = f.category; shape.push('category'); }
  if (f.due?.kind === 'soon') {
    where.push(sql`${caseBodies.queueDueOn} >= ${ph('today')}::date`, sql`${caseBodies.queueDueOn} <= ${ph('until')}::date`);
    Object.assign(values, { today: f.due.today, until: f.due.until });
    shape.push('soon');
  }
  if (f.due?.kind === 'overdue') {
    // The escalation job sets the flag; a due day already past counts before it runs.
    where.push(sql`(${caseBodies.queueDueOn} < ${ph('today')}::date OR ${cases.overdue})`);
    values['today'] = f.due.today;
    shape.push('overdue');
  }
  if (f.assignee?.kind === 'unassigned') {
    where.push(sql`NOT EXISTS (SELECT 1 FROM ${caseAssignees} WHERE ${caseAssignees.caseId} = ${caseBodies.caseId})`);
    shape.push('unassigned');
  } else if (f.assignee) {
    where.push(sql`EXISTS (SELECT 1 FROM ${caseAssignees} WHERE ${caseAssignees.caseId} = ${caseBodies.caseId} AND ${caseAssignees.staffId} = ${ph('assignee')}::uuid)`);
    values['assignee'] = f.assignee.staffId;
    shape.push('assignee');
  }
  if (f.label) {
    where.push(sql`EXISTS (SELECT 1 FROM ${caseLabels} WHERE ${caseLabels.caseId} = ${caseBodies.caseId} AND ${caseLabels.label} = ${ph('label')})`);
    values['label'] = f.label;
    shape.push('label');
  }
  if (f.alsoHeldBy) {
    where.push(sql`EXISTS (SELECT 1 FROM case_bodies ob WHERE ob.case_id = ${caseBodies.caseId} AND ob.body_id = ${ph('alsoHeldBy')}::uuid)`);
    values['alsoHeldBy'] = f.alsoHeldBy;
    shape.push('also');
  }
  if (f.refPrefix) { where.push(sql`${cases.publicRef} LIKE ${ph('refLike')}`); values['refLike'] = `${escapeLike(f.refPrefix)}%`; shape.push('ref'); }
  return { where, shape: shape.join(','), values };
}

function preparePage(db: Db, where: SQL[], name: string) {
  return db.select({
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
    .limit(ph('limit'))
    .prepare(name);
}
type PreparedPage = ReturnType<typeof preparePage>;
const pageStatements = new WeakMap<Db, Map<string, PreparedPage>>();

/** One page in (next deadline, id) order; `limit + 1` rows tell whether another page exists. */
export async function listQueuePage(db: Db, f: QueueFilter, after: QueueKey | null, limit: number): Promise<QueueRow[]> {
  const { where, shape, values } = conditions(f);
  const key = `${shape}|${after ? 'after' : 'first'}`;
  let byShape = pageStatements.get(db);
  if (!byShape) pageStatements.set(db, (byShape = new Map()));
  let statement = byShape.get(key);
  if (!statement) {
    // One row comparison: the planner turns it into the start of the index range.
    if (after) where.push(sql`(${caseBodies.queueDueOn}, ${caseBodies.caseId}) > (${ph('afterDue')}::date, ${ph('afterId')}::uuid)`);
    statement = preparePage(db, where, `case_queue_${byShape.size}`);
    byShape.set(key, statement);
  }
  const rows = await statement.execute({ ...values, limit: limit + 1, ...(after ? { afterDue: after.dueOn, afterId: after.caseId } : {}) });
  return rows as QueueRow[];
}

export type QueueCounts = { state: CaseState; n: number; overdue: number; dueSoon: number };

/** Counts by state, with overdue and due-soon counts, under the same filters (state aside). */
export async function countQueue(db: Db, f: QueueFilter, today: string, soonUntil: string): Promise<QueueCounts[]> {
  const { where, values } = conditions({ ...f, state: undefined } as QueueFilter);
  const rows = await db.select({
    state: cases.state,
    n: sql<number>`count(*)::int`,
    overdue: sql<number>`(count(*) FILTER (WHERE ${caseBodies.queueDueOn} < ${today}::date OR ${cases.overdue}))::int`,
    dueSoon: sql<number>`(count(*) FILTER (WHERE ${caseBodies.queueDueOn} >= ${today}::date AND ${caseBodies.queueDueOn} <= ${soonUntil}::date))::int`,
  }).from(caseBodies)
    .innerJoin(cases, eq(cases.id, caseBodies.caseId))
    .where(and(...where))
    .groupBy(cases.state)
    .prepare('case_queue_counts').execute(values);
  return rows.map((r) => ({ ...r, state: r.state as CaseState, n: Number(r.n), overdue: Number(r.overdue), dueSoon: Number(r.dueSoon) }));
}

