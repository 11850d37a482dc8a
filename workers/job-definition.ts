// What a job is: `workers/jobs/<name>.job.ts` exports one JobDefinition. A definition owns
// one queue and the outbox topics routed to it; its payload is validated on dequeue.
import type { Job, JobsOptions, Queue } from 'bullmq';
import type { Static, TSchema } from 'typebox';
import type postgres from 'postgres';
import type { Logger } from 'pino';
import type { Config } from '../server/config.ts';
import type { Db, Tx } from '../server/db/client.ts';

/** What the relay puts in Redis: ids only (the outbox payload holds no content either). */
export type JobData = { outboxId: number; dedupeKey: string; payload: unknown };

export type OutboxQueue = Queue<JobData, unknown, string>;
export type OutboxJob = Job<JobData, unknown, string>;
/** Queues by name. Handlers never add jobs directly: follow-ups go through the outbox. */
export type Queues = ReadonlyMap<string, OutboxQueue>;

export type RunOnceResult<T> = { ran: true; value: T } | { ran: false };

export type JobContext = {
  db: Db;
  sql: postgres.Sql;
  config: Config;
  log: Logger;
  queues: Queues;
  /** The outbox row this job relays. BullMQ's job name is the topic. */
  outbox: Readonly<{ id: number; topic: string; dedupeKey: string }>;
  /**
   * Runs `effects` in one transaction that also marks the outbox row completed. The row is
   * locked first, so a concurrent second run waits and then skips; a run after completion
   * skips at once. Put every Postgres effect of the job in here.
   */
  runOnce<T>(effects: (tx: Tx) => Promise<T>): Promise<RunOnceResult<T>>;
};

export type JobOptions = Pick<JobsOptions, 'attempts' | 'backoff' | 'removeOnComplete' | 'removeOnFail'>;

export type JobDefinition<S extends TSchema = TSchema> = {
  /** kebab-case, like the file: `route-case` for `route-case.job.ts`. */
  name: string;
  /** One queue per definition, with a Redis Cluster hash tag: `{workflow}`. */
  queue: string;
  /** Outbox topics this job consumes; each topic belongs to exactly one definition. */
  topics: readonly string[];
  payload: S;
  jobOptions?: JobOptions;
  concurrency?: number;
  /**
   * Every Postgres effect of the handler is inside runOnce, and what it does outside is
   * harmless to repeat: the runner then leaves the check of the outbox row to runOnce (which
   * makes it under the row lock) instead of reading the row once more beforehand.
   */
  effectsInRunOnce?: boolean;
  /**
   * Group commit (transaction-group.ts): runOnce bodies of jobs in hand at the same time run
   * together in one transaction, up to maxSize of them. Only for jobs that never touch the
   * same rows as another job of theirs in flight (route-case: one job per case).
   */
  groupCommit?: { maxSize: number; maxInFlight?: number };
  // Method syntax on purpose: it lets a JobDefinition<TObject<...>> sit in a JobDefinition[].
  handler(ctx: JobContext, payload: Static<S>, job: OutboxJob): Promise<unknown>;
};

/** Identity function that infers the payload type for the handler. */
export function defineJob<S extends TSchema>(definition: JobDefinition<S>): JobDefinition<S> {
  return definition;
}

export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  // 5 s, 10 s, 20 s, 40 s between attempts; jitter spreads retries after an outage.
  backoff: { type: 'exponential', delay: 5_000, jitter: 0.2 },
  // Completed jobs stay a day so a late re-add of the same job id is still a no-op in
  // Redis; after that, the completed outbox row makes a re-run skip anyway.
  removeOnComplete: { age: 24 * 60 * 60 },
  // Failed jobs stay until someone looks at them; the reconciler leaves them alone.
  removeOnFail: false,
} as const satisfies JobOptions;

/**
 * The BullMQ job id for an outbox dedupe key. BullMQ refuses ids containing ':' and ids
 * that read as integers, so ':' and '%' are percent-escaped and an all-digit key gets a
 * leading '%'. The mapping is injective: two keys never share a job id.
 */
export function jobIdFor(dedupeKey: string): string {
  const escaped = dedupeKey.replace(/%/g, '%25').replace(/:/g, '%3A');
  return /^-?\d+$/.test(escaped) ? `%${escaped}` : escaped;
}
