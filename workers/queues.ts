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
