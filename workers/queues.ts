// BullMQ queues for the registered jobs, and the one way outbox rows become jobs (used by
// the relay and by the reconciler alike, so both produce the same job id and options).
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DEFAULT_JOB_OPTIONS, jobIdFor, type JobData, type JobDefinition, type OutboxQueue } from './job-definition.ts';

export type OutboxJobSource = { id: number; topic: string; dedupeKey: string; payload: unknown };

/**
 * One producer Queue per definition. `connection` is shared and stays the caller's to
 * close (BullMQ leaves caller-owned clients open); `prefix` is config.redisPrefix.
 */
export function createQueues(
  definitions: readonly JobDefinition[],
  opts: { connection: Redis; prefix: string },
): Map<string, OutboxQueue> {
  const queues = new Map<string, OutboxQueue>();
  for (const def of definitions) {
    queues.set(def.queue, new Queue<JobData, unknown, string>(def.queue, {
      connection: opts.connection,
      prefix: opts.prefix,
      defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, ...def.jobOptions },
    }));
  }
  return queues;
}

/**
 * Adds jobs for outbox rows. The job id is derived from the dedupe key, so adding a row
 * whose job already exists (waiting, active, completed or failed) adds nothing.
 */
export async function addOutboxJobs(queue: OutboxQueue, rows: readonly OutboxJobSource[]): Promise<void> {
  if (rows.length === 0) return;
  await queue.addBulk(rows.map((row) => ({
    name: row.topic,
    data: { outboxId: row.id, dedupeKey: row.dedupeKey, payload: row.payload },
    opts: { jobId: jobIdFor(row.dedupeKey) },
  })));
}

/**
 * Puts the jobs of committed outbox rows of some topics in Redis for the process that wrote
 * them, as the relay would (same queues, job ids and options): the web intake hands its
 * case.received row over at once instead of waking the relay for it.
 */
export type OutboxDispatcher = {
  readonly topics: ReadonlySet<string>;
  dispatch(rows: readonly OutboxJobSource[]): Promise<void>;
  close(): Promise<void>;
};

export function createOutboxDispatcher(
  definitions: readonly JobDefinition[], topics: readonly string[], opts: { connection: Redis; prefix: string },
): OutboxDispatcher {
  const consumers = definitions.filter((def) => def.topics.some((t) => topics.includes(t)));
  const queues = createQueues(consumers, opts);
  // A failed add rejects to its caller, who hands the rows to the relay: no need to print it too.
  for (const queue of queues.values()) queue.on('error', () => {});
  const queueOf = new Map<string, OutboxQueue>();
  for (const def of consumers) {
    const queue = queues.get(def.queue);
    for (const topic of def.topics) if (queue && topics.includes(topic)) queueOf.set(topic, queue);
  }
  return {
    topics: new Set(queueOf.keys()),
    async dispatch(rows) {
      const byQueue = new Map<OutboxQueue, OutboxJobSource[]>();
      for (const row of rows) {
        const queue = queueOf.get(row.topic);
        if (!queue) throw new Error(`no queue for outbox topic ${row.topic}`);
        byQueue.set(queue, [...(byQueue.get(queue) ?? []), row]);
      }
      await Promise.all([...byQueue].map(([queue, list]) => addOutboxJobs(queue, list)));
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}

/** Rejects after `ms` so a Redis that never answers cannot hold a Postgres transaction open. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
