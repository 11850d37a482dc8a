// Re-enqueues what Redis lost. Postgres is the source of truth: an outbox row that was
// dispatched but never completed must have a job in Redis; when it has none (FLUSHALL, a
// failover that dropped writes, a restored snapshot) the same job id is added again.
import type postgres from 'postgres';
import type { Logger } from 'pino';
import type { Config } from '../server/config.ts';
import type { Database, Db } from '../server/db/client.ts';
import {
  countUnroutableOutbox, listDispatchedUnfinished, type UnfinishedOutboxRow,
} from '../server/repositories/outbox.repository.ts';
import { jobIdFor, type OutboxQueue, type Queues } from './job-definition.ts';
import { addOutboxJobs } from './queues.ts';

export type ReconcileContext = {
  db: Db;
  sql: postgres.Sql;
  config: Config;
  log: Logger;
  queues: Queues;
  /** Topic → queue, as the relay routes. */
  routes: ReadonlyMap<string, OutboxQueue>;
};

export type ReconcileStepResult = { name: string; reEnqueued: number };
/** An extra check run after the outbox one (e.g. deadline jobs re-derived from cases). */
export type ReconcileStep = (ctx: ReconcileContext) => Promise<ReconcileStepResult>;

export type ReconcileReport = {
  /** Dispatched, unfinished rows looked up in Redis. */
  checked: number;
  /** Of those, rows whose job Redis no longer had, added again under the same job id. */
  reEnqueued: number;
  /** Of those, jobs in the failed set after their attempts: left for a person. */
  failed: number;
  /** Rows of topics no registered job consumes: they wait for a deploy that knows them. */
  unroutable: number;
  steps: Array<ReconcileStepResult & { ok: boolean }>;
};

export type Reconciler = {
  /** One reconcile pass; a call during a running pass shares it. */
  runOnce(): Promise<ReconcileReport>;
  /** Runs a pass now (unless `runNow` is false) and then every `everyMs`. */
  start(opts?: { runNow?: boolean }): void;
  close(): Promise<void>;
  /** Extra steps; later issues push theirs here or pass them to startWorkers. */
  readonly steps: ReconcileStep[];
  readonly lastReport: ReconcileReport | null;
};

export type ReconcilerOptions = {
  database: Pick<Database, 'db' | 'sql'>;
  config: Config;
  log: Logger;
  queues: Queues;
  routes: ReadonlyMap<string, OutboxQueue>;
  everyMs: number;
  steps?: readonly ReconcileStep[];
  pageSize?: number;
};

export function createReconciler(opts: ReconcilerOptions): Reconciler {
  const log = opts.log.child({ component: 'reconciler' });
  const pageSize = opts.pageSize ?? 200;
  const steps: ReconcileStep[] = [...(opts.steps ?? [])];
  const ctx: ReconcileContext = {
    db: opts.database.db, sql: opts.database.sql, config: opts.config, log, queues: opts.queues, routes: opts.routes,
  };
  let running: Promise<ReconcileReport> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let lastReport: ReconcileReport | null = null;

  async function reconcileOutbox(report: ReconcileReport): Promise<void> {
    let afterId = 0;
    for (;;) {
      const rows = await listDispatchedUnfinished(ctx.db, { afterId, limit: pageSize });
      const last = rows.at(-1);
      if (!last) return;
      afterId = last.id;
      const missing = new Map<OutboxQueue, UnfinishedOutboxRow[]>();
      await Promise.all(rows.map(async (row) => {
        const queue = opts.routes.get(row.topic);
        if (!queue) {
          report.unroutable += 1;
          return;
        }
        report.checked += 1;
        const job = await queue.getJob(jobIdFor(row.dedupeKey));
        if (!job) {
          missing.set(queue, [...(missing.get(queue) ?? []), row]);
        } else if (await job.isFailed()) {
          report.failed += 1;
        }
      }));
      for (const [queue, list] of missing) {
        await addOutboxJobs(queue, list);
        report.reEnqueued += list.length;
      }
      if (rows.length < pageSize) return;
    }
  }

  async function pass(): Promise<ReconcileReport> {
    const report: ReconcileReport = { checked: 0, reEnqueued: 0, failed: 0, unroutable: 0, steps: [] };
    await reconcileOutbox(report);
    report.unroutable += await countUnroutableOutbox(ctx.db, [...opts.routes.keys()]);
    for (const step of steps) {
      try {
        report.steps.push({ ...(await step(ctx)), ok: true });
      } catch (err) {
        log.error({ err, step: step.name }, 'reconcile step failed');
        report.steps.push({ name: step.name || 'anonymous', reEnqueued: 0, ok: false });
      }
    }
    const stepTotal = report.steps.reduce((n, s) => n + s.reEnqueued, 0);
    const level = report.reEnqueued + stepTotal > 0 || report.unroutable > 0 ? 'warn' : 'info';
    log[level]({ ...report }, 'reconcile pass done');
    lastReport = report;
    return report;
  }

  function runOnce(): Promise<ReconcileReport> {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  }

  function runQuietly(): void {
    runOnce().catch((err: unknown) => log.warn({ err }, 'reconcile pass failed; next one at the usual interval'));
  }

  return {
    runOnce,
    steps,
    get lastReport() {
      return lastReport;
    },
    start(startOpts = {}) {
      if (startOpts.runNow !== false) runQuietly();
      timer = setInterval(runQuietly, opts.everyMs);
    },
    async close() {
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
