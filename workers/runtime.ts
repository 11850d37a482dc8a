// Starts everything a worker process runs: one BullMQ Worker per job definition, the
// outbox relay and the reconciler; close() stops them in order.
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../server/config.ts';
import { createDatabase, type Database } from '../server/db/client.ts';
import { createRedis } from '../server/redis.ts';
import type { JobData, JobDefinition, OutboxQueue, Queues } from './job-definition.ts';
import { createJobProcessor, type JobOutcome } from './job-runner.ts';
import { createWorkerLogger } from './logger.ts';
import { createOutboxRelay, type OutboxRelay } from './outbox-relay.ts';
import { createQueues } from './queues.ts';
import { createReconciler, type ReconcileStep, type Reconciler } from './reconciler.ts';
import { checkJobRegistry } from './registry.ts';

export type StartWorkersOptions = {
  config: Config;
  jobs: readonly JobDefinition[];
  /** Injected by tests; otherwise created from the config and closed with the runtime. */
  database?: Database;
  /** Jobs processed at once per queue, unless the definition says otherwise. Default 5. */
  concurrency?: number;
  log?: Logger;
  reconcileSteps?: readonly ReconcileStep[];
  /** Reconcile right away (default) as well as every config.reconcileEveryMs. */
  reconcileOnStart?: boolean;
  /** How long close() waits for a worker's jobs in hand before cutting its connections. Default 5 s. */
  closeTimeoutMs?: number;
};

export type WorkersRuntime = {
  queues: Queues;
  workers: ReadonlyMap<string, Worker<JobData, JobOutcome, string>>;
  relay: OutboxRelay;
  reconciler: Reconciler;
  close(): Promise<void>;
};

/** ioredis and BullMQ report every failed reconnect; one line per source per 30 s is enough. */
function logErrorsThrottled(client: { on(event: 'error', fn: (err: Error) => void): unknown }, log: Logger, what: string): void {
  let last = 0;
  client.on('error', (err) => {
    const now = Date.now();
    if (now - last < 30_000) return;
    last = now;
    log.warn({ err, what }, 'queue client error');
  });
}

/**
 * Records the clients BullMQ duplicates from the workers' connection (one blocking client
 * per Worker), so close() can always cut them: see closeWorkers.
 */
function trackDuplicates(template: Redis): Redis[] {
  const clients: Redis[] = [];
  const duplicate = template.duplicate.bind(template);
  template.duplicate = ((...args: Parameters<Redis['duplicate']>) => {
    const client = duplicate(...args);
    clients.push(client);
    return client;
  }) as Redis['duplicate'];
  return clients;
}

/**
 * Worker.close() waits for the jobs in hand, then quits its connections. With Redis
 * unreachable it never returns: the blocking fetch sits in ioredis's offline queue, and
 * disconnect() during a reconnect back-off emits no 'end'. Past the grace period the
 * connections are cut without waiting; a job still running is released when its lock
 * expires and BullMQ's stalled check hands it to another worker (handlers are idempotent).
 */
async function closeWorkers(
  workers: ReadonlyArray<Worker<JobData, JobOutcome, string>>, clients: readonly Redis[], graceMs: number, log: Logger,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    Promise.allSettled(workers.map((w) => w.close())).then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (!inTime) log.warn({ graceMs }, 'workers did not close in time; cutting their Redis connections');
  // Already closed by BullMQ when in time; disconnect() on an ended client is a no-op.
  for (const client of clients) client.disconnect();
}

export async function startWorkers(opts: StartWorkersOptions): Promise<WorkersRuntime> {
  const { config } = opts;
  const routes = checkJobRegistry(opts.jobs);
  const log = opts.log ?? createWorkerLogger(config);
  const database = opts.database ?? createDatabase(config.databaseUrl, { applicationName: 'minhbach-workers' });
  // Its own client so LISTEN never competes with the pool, and is easy to spot in pg_stat_activity.
  const listenDatabase = createDatabase(config.databaseUrl, { max: 1, applicationName: 'minhbach-outbox-listen' });

  // Producer side fails fast: when Redis is down the relay's add must fail and roll its
  // transaction back, not wait in an offline queue while holding row locks.
  const producer: Redis = createRedis(config.redisUrl, 'request');
  logErrorsThrottled(producer, log, 'producer');
  // The workers' shared main connection (maxRetriesPerRequest: null, as BullMQ requires);
  // BullMQ duplicates it for each worker's blocking fetch.
  const workerTemplate: Redis = createRedis(config.redisUrl, 'worker');
  const workerClients = trackDuplicates(workerTemplate);
  logErrorsThrottled(workerTemplate, log, 'worker');

  const queues = createQueues(opts.jobs, { connection: producer, prefix: config.redisPrefix });
  for (const [name, queue] of queues) logErrorsThrottled(queue, log, `queue ${name}`);
  const topicRoutes = new Map<string, OutboxQueue>();
  for (const [topic, def] of routes.byTopic) {
    const queue = queues.get(def.queue);
    if (queue) topicRoutes.set(topic, queue);
  }

  const runnerDeps = { database, config, log, queues };
  const workers = new Map<string, Worker<JobData, JobOutcome, string>>();
  for (const def of opts.jobs) {
    const worker = new Worker<JobData, JobOutcome, string>(def.queue, createJobProcessor(def, runnerDeps), {
      connection: workerTemplate,
      prefix: config.redisPrefix,
      concurrency: def.concurrency ?? opts.concurrency ?? 5,
    });
    logErrorsThrottled(worker, log, `worker ${def.queue}`);
    workers.set(def.queue, worker);
  }

  const relay = createOutboxRelay({
    database, listenSql: listenDatabase.sql, routes: topicRoutes, log, pollMs: config.outboxPollMs,
  });
  const reconciler = createReconciler({
    database, config, log, queues, routes: topicRoutes, everyMs: config.reconcileEveryMs, steps: opts.reconcileSteps ?? [],
  });

  let closing: Promise<void> | null = null;
  async function close(): Promise<void> {
    closing ??= (async () => {
      // Stop taking work first; Worker.close waits for the jobs in hand to finish.
      await Promise.allSettled([
        relay.close(), reconciler.close(), closeWorkers([...workers.values()], workerClients, opts.closeTimeoutMs ?? 5_000, log),
      ]);
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
      producer.disconnect();
      workerTemplate.disconnect();
      await listenDatabase.close();
      if (!opts.database) await database.close();
      log.info('workers closed');
    })();
    return closing;
  }

  try {
    await relay.start();
  } catch (err) {
    await close();
    throw err;
  }
  reconciler.start({ runNow: opts.reconcileOnStart !== false });
  log.info({ queues: [...queues.keys()], topics: routes.topics }, 'workers started');
  return { queues, workers, relay, reconciler, close };
}
