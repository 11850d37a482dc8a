// Deadline jobs as delayed BullMQ jobs, re-derived from Postgres. Each running deadline
// has outbox rows for its reminder and escalation (available at their fire time, so the
// relay alone would run them, late at worst by one poll); this puts the same job ids in
// Redis ahead of time with the right delay. Run after a transition commits and by the
// reconciler on start-up and every few minutes, so a FLUSHALL loses no deadline.
import type { Db } from '../server/db/client.ts';
import type { Calendar } from '../server/domain/calendar.ts';
import type { DeadlinePolicy } from '../server/domain/deadlines.ts';
import {
  findDeadlineJobRows, listOpenCaseDeadlines, pageOpenCaseDeadlines, updateDeadline, type DeadlineRow,
} from '../server/repositories/deadline.repository.ts';
import { enqueueOutbox } from '../server/repositories/outbox.repository.ts';
import { currentDueOn, scheduledDeadlineJobs, type ScheduledDeadlineJob } from '../server/services/deadline-schedule.ts';
import { loadCalendar, loadDeadlinePolicy, refreshCaseClocks } from '../server/services/deadline.service.ts';
import { jobIdFor, type OutboxQueue } from './job-definition.ts';
import type { ReconcileStep } from './reconciler.ts';

export type DeadlineSchedulerDeps = {
  db: Db;
  /** The queue that consumes a topic (the relay's routes). */
  queueFor: (topic: string) => OutboxQueue | undefined;
  now?: () => Date;
};

export type DeadlineSyncResult = { rowsWritten: number; jobsAdded: number };

/**
 * Makes Postgres and Redis hold every job these open deadlines should have: a due date the
 * holiday table has since moved is recomputed, missing outbox rows are written, and each
 * pending row due in the future gets its delayed job (same job id: adding twice is a no-op).
 */
export async function syncDeadlineJobs(deps: DeadlineSchedulerDeps, rows: readonly DeadlineRow[], calendar: Calendar): Promise<DeadlineSyncResult> {
  const now = deps.now?.() ?? new Date();
  const policies = new Map<string | null, DeadlinePolicy>();
  const wanted: ScheduledDeadlineJob[] = [];
  let rowsWritten = 0;
  await deps.db.transaction(async (tx) => {
    for (const row of rows) {
      let policy = policies.get(row.bodyId);
      if (!policy) policies.set(row.bodyId, (policy = await loadDeadlinePolicy(tx, row.bodyId)));
      const due = currentDueOn(row, calendar);
      if (due !== null && due !== row.dueOn) {
        await updateDeadline(tx, row.id, { dueOn: due });
        await refreshCaseClocks(tx, row.caseId);
      }
      wanted.push(...scheduledDeadlineJobs({ ...row, dueOn: due ?? row.dueOn }, calendar, policy, now));
    }
    const existing = new Set((await findDeadlineJobRows(tx, wanted.map((j) => j.dedupeKey))).map((r) => r.dedupeKey));
    for (const job of wanted) {
      if (existing.has(job.dedupeKey)) continue;
      if ((await enqueueOutbox(tx, { topic: job.topic, dedupeKey: job.dedupeKey, payload: job.payload, availableAt: job.fireAt })) !== null) rowsWritten += 1;
    }
  });

  const pending = (await findDeadlineJobRows(deps.db, wanted.map((j) => j.dedupeKey)))
    .filter((r) => r.dispatchedAt === null && r.completedAt === null && r.availableAt.getTime() > now.getTime());
  const jobsAdded = await addDelayedJobs(deps, pending.map((r) => ({ ...r, outboxId: r.id })), { skipExisting: true });
  return { rowsWritten, jobsAdded };
}

/**
 * Gives outbox rows of deadline jobs their delayed BullMQ jobs (job id from the dedupe key,
 * so adding twice is a no-op). `skipExisting` asks Redis first, to count only what was missing.
 */
export async function addDelayedJobs(
  deps: Pick<DeadlineSchedulerDeps, 'queueFor'>,
  rows: ReadonlyArray<{ outboxId: number; topic: string; dedupeKey: string; payload: unknown; availableAt: Date }>,
  opts: { skipExisting: boolean },
): Promise<number> {
  let added = 0;
  await Promise.all(rows.map(async (row) => {
    const queue = deps.queueFor(row.topic);
    if (!queue) return;
    const jobId = jobIdFor(row.dedupeKey);
    if (opts.skipExisting && (await queue.getJob(jobId))) return;
    await queue.add(row.topic, { outboxId: row.outboxId, dedupeKey: row.dedupeKey, payload: row.payload }, {
      jobId, delay: Math.max(0, row.availableAt.getTime() - Date.now()),
    });
    added += 1;
  }));
  return added;
}

/** After a job changed a case's deadlines: its delayed jobs, right away rather than at the next reconcile. */
export async function syncCaseDeadlineJobs(deps: DeadlineSchedulerDeps, caseId: string): Promise<DeadlineSyncResult> {
  const rows = await listOpenCaseDeadlines(deps.db, caseId);
  if (rows.length === 0) return { rowsWritten: 0, jobsAdded: 0 };
  return syncDeadlineJobs(deps, rows, await loadCalendar(deps.db));
}

/** Reconciler step: every open case deadline, a page at a time. */
export const deadlineJobsStep: ReconcileStep = async function deadlineJobs(ctx) {
  const deps: DeadlineSchedulerDeps = { db: ctx.db, queueFor: (topic) => ctx.routes.get(topic) };
  const calendar = await loadCalendar(ctx.db);
  let afterId: string | null = null;
  let reEnqueued = 0;
  for (;;) {
    const page: DeadlineRow[] = await pageOpenCaseDeadlines(ctx.db, afterId, 200);
    if (page.length === 0) break;
    const result = await syncDeadlineJobs(deps, page, calendar);
    reEnqueued += result.jobsAdded;
    afterId = page.at(-1)?.id ?? null;
    if (page.length < 200) break;
  }
  return { name: 'deadline-jobs', reEnqueued };
};
