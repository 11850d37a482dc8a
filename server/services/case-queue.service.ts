// The staff queue: filters to the repository's keyset query, rows to CaseSummary with the
// deadline badge in working days.
import type { Db } from '../db/client.ts';
import { localDateOf, type Calendar } from '../domain/calendar.ts';
import { decodeQueueCursor, dueSoonUntil, encodeQueueCursor, QUEUE_PAGE_DEFAULT, QUEUE_PAGE_MAX, workingDaysLeft } from '../domain/queue.ts';
import type { Actor } from '../domain/policy.ts';
import type { CaseSummary, CountsQuery, CountsResponse, QueueQuery, QueueResponse } from '../schemas/casework.ts';
import { countQueue, listQueuePage, type QueueFilter, type QueueRow } from '../repositories/case-queue.repository.ts';
import { loadCalendar } from './deadline.service.ts';

const labelsOf = (v: QueueRow['labels']): string[] => {
  if (v === null) return [];
  if (Array.isArray(v)) return v;
  // postgres.js returns text[] parsed; a bare '{a,b}' literal only if the type is unknown.
  return v.replace(/^\{|\}$/g, '').split(',').filter((s) => s !== '');
};

export function toSummary(r: QueueRow, cal: Calendar, today: string): CaseSummary {
  return {
    id: r.id, publicRef: r.publicRef, state: r.state, classification: r.classification, category: r.category,
    jurisdictionCode: r.jurisdictionCode, receivedOn: r.receivedOn, nextDueOn: r.nextDueOn,
    workingDaysLeft: workingDaysLeft(cal, today, r.nextDueOn), overdue: r.overdue || (r.nextDueOn !== null && r.nextDueOn < today),
    urgent: r.urgent, complexity: r.complexity, isAnonymous: r.isAnonymous, labels: labelsOf(r.labels), assigneeCount: Number(r.assigneeCount),
    cadre: r.cadreId && r.cadreName !== null ? { id: r.cadreId, fullName: r.cadreName, position: r.cadrePosition ?? '' } : null,
  };
}

function filterOf(actor: Actor, q: CountsQuery, cal: Calendar, today: string): QueueFilter {
  // Always the actor's own body's queue; `body` narrows it to cases another body holds too.
  const f: QueueFilter = { bodyId: actor.bodyId, selfCadreId: actor.cadreId, staffId: actor.staffId };
  if (q.body !== undefined && q.body !== actor.bodyId) f.alsoHeldBy = q.body;
  if (q.category) f.category = q.category;
  if (q.due === 'soon') f.due = { kind: 'soon', today, until: dueSoonUntil(cal, today) };
  if (q.due === 'overdue') f.due = { kind: 'overdue', today };
  if (q.assignee === 'unassigned') f.assignee = { kind: 'unassigned' };
  else if (q.assignee === 'me') f.assignee = { kind: 'me', staffId: actor.staffId };
  else if (q.assignee) f.assignee = { kind: 'staff', staffId: q.assignee };
  if (q.label) f.label = q.label;
  if (q.q) f.refPrefix = q.q.toUpperCase();
  return f;
}

export async function listQueue(deps: { db: Db }, actor: Actor, q: QueueQuery, now = new Date()): Promise<QueueResponse> {
  const cal = await loadCalendar(deps.db);
  const today = localDateOf(now);
  const limit = Math.min(q.limit ? Number(q.limit) : QUEUE_PAGE_DEFAULT, QUEUE_PAGE_MAX);
  const f = filterOf(actor, q, cal, today);
  if (q.state) f.state = q.state;
  const rows = await listQueuePage(deps.db, f, q.after ? decodeQueueCursor(q.after) : null, limit);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toSummary(r, cal, today)),
    nextCursor: rows.length > limit && last ? encodeQueueCursor({ dueOn: last.queueDueOn, caseId: last.id }) : null,
  };
}

export async function countCases(deps: { db: Db }, actor: Actor, q: CountsQuery, now = new Date()): Promise<CountsResponse> {
  const cal = await loadCalendar(deps.db);
  const today = localDateOf(now);
  const rows = await countQueue(deps.db, filterOf(actor, q, cal, today), today, dueSoonUntil(cal, today));
  const byState: Record<string, number> = {};
  let total = 0, overdue = 0, dueSoon = 0;
  for (const r of rows) {
    byState[r.state] = r.n;
    total += r.n; overdue += r.overdue; dueSoon += r.dueSoon;
  }
  return { total, overdue, dueSoon, byState };
}
