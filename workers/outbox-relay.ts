// Moves committed outbox rows into BullMQ. Woken by LISTEN 'outbox' (the insert trigger
// notifies at commit); a slow poll is the safety net for a lost notification.
import type postgres from 'postgres';
import type { Logger } from 'pino';
import type { Database } from '../server/db/client.ts';
import {
  claimPendingOutbox, msUntilNextOutboxDue, type ClaimedOutboxRow,
} from '../server/repositories/outbox.repository.ts';
import type { OutboxQueue } from './job-definition.ts';
import { addOutboxJobs, withTimeout } from './queues.ts';

export const OUTBOX_CHANNEL = 'outbox';

export type OutboxRelayOptions = {
  database: Pick<Database, 'db'>;
  /**
   * The client to LISTEN with. postgres.js runs LISTEN on a connection of its own and
   * LISTENs again after that connection is lost and re-established.
   */
  listenSql: postgres.Sql;
  /** Topic → the queue of the job that consumes it. Other topics are left pending. */
  routes: ReadonlyMap<string, OutboxQueue>;
  log: Logger;
  pollMs: number;
  batchSize?: number;
  /** Upper bound on one Redis add; past it the transaction rolls back and the rows stay pending. */
  addTimeoutMs?: number;
};

export type OutboxRelayStats = {
  passes: number;
  failedPasses: number;
  relayed: number;
  notifications: number;
  /** LISTEN confirmations: 1 after start, +1 per re-LISTEN after a reconnect. */
  listens: number;
};

export type OutboxRelay = {
  /** LISTENs (resolves once listening), runs a first pass and starts the safety-net poll. */
  start(): Promise<void>;
  /** Asks for a pass. Coalesced: one pass at a time, plus one more if woken during it. */
  wake(): void;
  /** Runs one pass now, outside the coalescing; returns how many rows it dispatched. */
  runPass(): Promise<number>;
  /** Resolves once no woken pass is running (follow-up passes included). */
  settled(): Promise<void>;
  close(): Promise<void>;
  readonly stats: Readonly<OutboxRelayStats>;
};

const RETRY_BASE_MS = 250;
const RETRY_MAX_MS = 5_000;
/** The next delayed row's due time is looked up at most this often (it costs a range scan). */
const DUE_CHECK_EVERY_MS = 1_000;

export function createOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  const { db } = opts.database;
  const log = opts.log.child({ component: 'outbox-relay' });
  const batchSize = opts.batchSize ?? 100;
  const addTimeoutMs = opts.addTimeoutMs ?? 5_000;
  const topics = [...opts.routes.keys()];
  const stats: OutboxRelayStats = { passes: 0, failedPasses: 0, relayed: 0, notifications: 0, listens: 0 };

  let closed = false;
  let running: Promise<void> | null = null;
  let again = false;
  let consecutiveFailures = 0;
  let pollTimer: NodeJS.Timeout | undefined;
  let nextTimer: NodeJS.Timeout | undefined;
  let listener: { unlisten: () => Promise<void> } | undefined;
  let lastDueCheck = 0;
  let nextTimerAt = 0;

  async function relayBatch(): Promise<number> {
    return db.transaction(async (tx) => {
      const rows = await claimPendingOutbox(tx, { topics, limit: batchSize });
      if (rows.length === 0) return 0;
      const byQueue = new Map<OutboxQueue, ClaimedOutboxRow[]>();
      for (const row of rows) {
        // Completed before it was marked dispatched (an earlier add outlived its rolled-back
        // transaction and the job ran): nothing to add, only the bookkeeping to finish.
        if (row.completedAt) continue;
        const queue = opts.routes.get(row.topic);
        if (!queue) continue; // cannot happen: the claim filters by routed topics
        byQueue.set(queue, [...(byQueue.get(queue) ?? []), row]);
      }
      // Inside the transaction on purpose: if Redis refuses, the rollback leaves the rows
      // pending. If the commit fails after the add, the next pass adds the same job ids
      // again: a no-op.
      await Promise.all([...byQueue].map(([queue, list]) =>
        withTimeout(addOutboxJobs(queue, list), addTimeoutMs, 'adding outbox jobs to Redis')));
      return rows.length;
    });
  }

  async function pass(): Promise<number> {
    stats.passes += 1;
    let total = 0;
    for (;;) {
      const n = await relayBatch();
      total += n;
      stats.relayed += n;
      if (n < batchSize || closed) return total;
    }
  }

  function scheduleNext(ms: number): void {
    clearTimeout(nextTimer);
    if (closed) return;
    nextTimerAt = Date.now() + ms;
    nextTimer = setTimeout(() => {
      nextTimer = undefined;
      wake();
    }, ms);
  }

  async function loop(): Promise<void> {
    for (;;) {
      again = false;
      try {
        const n = await pass();
        consecutiveFailures = 0;
        if (n > 0) log.debug({ dispatched: n }, 'outbox rows dispatched');
      } catch (err) {
        consecutiveFailures += 1;
        stats.failedPasses += 1;
        const retryMs = Math.min(opts.pollMs, RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(consecutiveFailures - 1, 10));
        // Rows stay pending; retry sooner than the slow poll, backing off while it lasts.
        log.warn({ err, retryMs, consecutiveFailures }, 'outbox relay pass failed');
        scheduleNext(retryMs);
        return;
      }
      if (closed) return;
      if (again) continue;
      await scheduleDue();
      // A notification that arrived while scheduleDue awaited must not be lost: check again
      // after the last await, since `running` is only cleared once this returns.
      if (!again || closed) return;
    }
  }

  /** Wakes the relay when the next delayed row (availableAt in the future) falls due. */
  async function scheduleDue(): Promise<void> {
    if (closed) return;
    const sinceCheck = Date.now() - lastDueCheck;
    if (sinceCheck < DUE_CHECK_EVERY_MS) {
      // Checked a moment ago: look again when the interval is up, unless a wake-up comes sooner
      // (a row written since may fall due before the one the current wake-up is for).
      const checkAt = lastDueCheck + DUE_CHECK_EVERY_MS;
      if (!nextTimer || nextTimerAt > checkAt) scheduleNext(checkAt - Date.now());
      return;
    }
    lastDueCheck = Date.now();
    try {
      const ms = await msUntilNextOutboxDue(db, topics);
      if (ms !== null && ms < opts.pollMs) scheduleNext(ms + 10);
    } catch {
      // The poll covers it.
    }
  }

  function wake(): void {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    // While backing off after a failure, the scheduled retry covers any new rows.
    if (consecutiveFailures > 0 && nextTimer) return;
    clearTimeout(nextTimer);
    nextTimer = undefined;
    running = loop().finally(() => {
      running = null;
    });
  }

  return {
    stats,
    async start() {
      listener = await opts.listenSql.listen(
        OUTBOX_CHANNEL,
        () => {
          stats.notifications += 1;
          wake();
        },
        // Called after the first LISTEN and after every re-LISTEN: notifications sent while
        // disconnected are lost, so catch up with a pass.
        () => {
          stats.listens += 1;
          if (stats.listens > 1) log.info('outbox LISTEN re-established');
          wake();
        },
      );
      pollTimer = setInterval(wake, opts.pollMs);
    },
    wake,
    runPass: pass,
    async settled() {
      while (running) await running;
    },
    async close() {
      closed = true;
      clearInterval(pollTimer);
      clearTimeout(nextTimer);
      if (listener) await withTimeout(listener.unlisten(), 2_000, 'UNLISTEN').catch(() => {});
      await running;
    },
  };
}
