// The outbox → BullMQ path against real Postgres and Redis: relay woken by NOTIFY, exactly
// one job per row however often it is relayed, recovery from a lost Redis, validation.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { Type } from 'typebox';
import { inArray, like } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { Config } from '../../server/config.ts';
import type { Database } from '../../server/db/client.ts';
import { createDatabase } from '../../server/db/client.ts';
import { runMigrations } from '../../server/db/migrate.ts';
import { createRedis } from '../../server/redis.ts';
import { enqueueOutbox, type OutboxEvent } from '../../server/repositories/outbox.repository.ts';
import { jobRuns, outbox } from '../../drizzle/schema/index.ts';
import { defineJob, jobIdFor, type OutboxJob, type OutboxQueue } from '../../workers/job-definition.ts';
import { createJobProcessor } from '../../workers/job-runner.ts';
import { createWorkerLogger } from '../../workers/logger.ts';
import { createOutboxRelay, type OutboxRelay } from '../../workers/outbox-relay.ts';
import { addOutboxJobs, createQueues } from '../../workers/queues.ts';
import { startWorkers, type WorkersRuntime } from '../../workers/runtime.ts';
import { deleteRedisPrefix, dropDatabase } from '../support/cleanup.ts';
import { testConfig, testDatabase } from './harness.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

const TOPIC = 'test.outbox-relay';
const UNROUTED_TOPIC = 'test.outbox-relay.unrouted';
const QUEUE = '{test-outbox-relay}';
// Longer than any wait below: when a row is relayed in time, only NOTIFY can explain it.
const SLOW_POLL = { OUTBOX_POLL_MS: '60000', RECONCILE_EVERY_MS: '3600000' };

/** Handler invocations by dedupe key, keys whose first run should fail, and gates a run waits at. */
const runs = new Map<string, number>();
const failOnce = new Set<string>();
const gates = new Map<string, Promise<void>>();

const testJob = defineJob({
  name: 'test-outbox-relay',
  queue: QUEUE,
  topics: [TOPIC],
  payload: Type.Object({ caseRef: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  jobOptions: { backoff: { type: 'fixed', delay: 50 } },
  async handler(ctx, payload) {
    const key = ctx.outbox.dedupeKey;
    runs.set(key, (runs.get(key) ?? 0) + 1);
    if (failOnce.delete(key)) throw new Error('transient failure (test)');
    await gates.get(key);
    // No ON CONFLICT: a second effect for the same key would fail the job visibly.
    await ctx.runOnce(async (tx) => {
      await tx.insert(jobRuns).values({ jobKey: key, result: { caseRef: payload.caseRef } });
    });
  },
});

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('outbox relay and job runtime', () => {
  let database: Database;
  let redis: Redis;
  const prefixes: string[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  let runKey = '';

  beforeAll(() => {
    database = testDatabase();
    redis = createRedis(testConfig().redisUrl, 'request');
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await database.db.delete(outbox).where(inArray(outbox.topic, [TOPIC, UNROUTED_TOPIC]));
    await database.db.delete(jobRuns).where(like(jobRuns.jobKey, 'test:%'));
    for (const prefix of prefixes.splice(0)) await deleteRedisPrefix(redis, `${prefix}:`);
    runs.clear();
    failOnce.clear();
    gates.clear();
  });

  afterAll(async () => {
    redis.disconnect();
    await database.close();
  });

  function config(overrides: Record<string, string> = {}): Config {
    const c = testConfig({ ...SLOW_POLL, ...overrides });
    prefixes.push(c.redisPrefix);
    runKey = `test:${randomUUID()}`;
    return c;
  }

  async function start(c: Config, extra: Partial<Parameters<typeof startWorkers>[0]> = {}): Promise<WorkersRuntime> {
    const runtime = await startWorkers({
      config: c, jobs: [testJob], database, log: createWorkerLogger(c), reconcileOnStart: false, ...extra,
    });
    cleanups.push(() => runtime.close());
    return runtime;
  }

  /** A relay and its queue with no workers, so relayed jobs stay in Redis. */
  function standaloneRelay(c: Config, db: Database = database): { relay: OutboxRelay; queue: OutboxQueue } {
    const producer = createRedis(c.redisUrl, 'request');
    const queue = createQueues([testJob], { connection: producer, prefix: c.redisPrefix }).get(QUEUE)!;
    const relay = createOutboxRelay({
      database: db, listenSql: db.sql, routes: new Map([[TOPIC, queue]]), log: createWorkerLogger(c), pollMs: 60_000,
    });
    cleanups.push(async () => {
      await relay.close();
      await queue.close();
      producer.disconnect();
    });
    return { relay, queue };
  }

  async function write(events: Array<Omit<OutboxEvent, 'topic'>>): Promise<void> {
    await database.db.transaction(async (tx) => {
      for (const event of events) await enqueueOutbox(tx, { topic: TOPIC, ...event });
    });
  }

  function rows(keys: string[]) {
    return database.db.select().from(outbox).where(inArray(outbox.dedupeKey, keys));
  }

  async function countCompleted(keys: string[]): Promise<number> {
    return (await rows(keys)).filter((r) => r.completedAt !== null).length;
  }

  async function jobRunCount(keys: string[]): Promise<number> {
    const found = await database.db.select().from(jobRuns).where(inArray(jobRuns.jobKey, keys));
    return found.length;
  }

  function keysFor(label: string, n: number): string[] {
    return Array.from({ length: n }, (_, i) => `${runKey}:${label}:${i}`);
  }

  it('relays a committed row on NOTIFY, long before the poll, and the handler completes it once', async () => {
    const c = config();
    const runtime = await start(c);
    // The first pass (run on LISTEN) is over, so it cannot be what picks the row up.
    await runtime.relay.settled();
    const passesBefore = runtime.relay.stats.passes;
    const [key] = keysFor('notify', 1) as [string];
    const started = Date.now();
    await write([{ dedupeKey: key, payload: { caseRef: 'case-1' } }]);

    await waitFor('the row to be completed', async () => (await countCompleted([key])) === 1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(runtime.relay.stats.notifications).toBeGreaterThan(0);
    expect(runtime.relay.stats.passes).toBeGreaterThan(passesBefore);
    const [row] = await rows([key]);
    expect(row?.dispatchedAt).not.toBeNull();
    expect(row?.completedAt).not.toBeNull();
    expect(row?.attempts).toBe(1);
    expect(runs.get(key)).toBe(1);
    expect(await jobRunCount([key])).toBe(1);
    // The dedupe key holds ':'; the job id is its escaped form.
    const job = await runtime.queues.get(QUEUE)!.getJob(jobIdFor(key));
    expect(job?.id).toBe(key.replaceAll(':', '%3A'));
    expect(job?.returnvalue).toEqual({ status: 'completed' });
  });

  it('relays a burst of separate commits without losing a wake-up', async () => {
    const c = config();
    const runtime = await start(c);
    await runtime.relay.settled();
    const keys = keysFor('burst', 40);
    await Promise.all(keys.map((dedupeKey, i) => write([{ dedupeKey, payload: { caseRef: `case-${i}` } }])));
    await waitFor('every row to complete', async () => (await countCompleted(keys)) === keys.length);
    expect(runtime.relay.stats.relayed).toBe(keys.length);
    expect(runs.size).toBe(keys.length);
  });

  it('never relays a row whose transaction rolled back', async () => {
    const c = config();
    const runtime = await start(c);
    await runtime.relay.settled();
    const [rolledBack, committed] = keysFor('rollback', 2) as [string, string];
    await expect(database.db.transaction(async (tx) => {
      await enqueueOutbox(tx, { topic: TOPIC, dedupeKey: rolledBack, payload: { caseRef: 'case-rb' } });
      throw new Error('state change refused');
    })).rejects.toThrow('state change refused');
    // A later commit wakes the relay: it must find only the committed row.
    await write([{ dedupeKey: committed, payload: { caseRef: 'case-ok' } }]);
    await waitFor('the committed row to complete', async () => (await countCompleted([committed])) === 1);

    expect(await rows([rolledBack])).toHaveLength(0);
    expect(await runtime.queues.get(QUEUE)!.getJob(jobIdFor(rolledBack))).toBeUndefined();
    expect(runs.has(rolledBack)).toBe(false);
    expect(await jobRunCount([rolledBack])).toBe(0);
  });

  it('enqueues each row once when two relays race and when a row is relayed again', async () => {
    const c = config();
    const keys = keysFor('race', 250);
    await write(keys.map((dedupeKey, i) => ({ dedupeKey, payload: { caseRef: `case-${i}` } })));
    // Separate pools, so the two relays really run their transactions side by side.
    const otherDb = createDatabase(c.databaseUrl, { max: 3 });
    cleanups.push(() => otherDb.close());
    const a = standaloneRelay(c);
    const b = standaloneRelay(c, otherDb);

    const [byA, byB] = await Promise.all([a.relay.runPass(), b.relay.runPass()]);
    expect(byA + byB).toBe(keys.length);
    expect((await a.queue.getJobCounts('wait')).wait).toBe(keys.length);

    // A relay whose commit was lost after the add relays the same rows again: no new job.
    await database.db.update(outbox).set({ dispatchedAt: null }).where(inArray(outbox.dedupeKey, keys));
    expect(await b.relay.runPass()).toBe(keys.length);
    expect((await a.queue.getJobCounts('wait')).wait).toBe(keys.length);

    const runtime = await start(c);
    await waitFor('every row to complete', async () => (await countCompleted(keys)) === keys.length, 15_000);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(keys.length);
    expect(await jobRunCount(keys)).toBe(keys.length);

    // A row completed but not marked dispatched (its add outlived a rolled-back relay
    // transaction) is only marked: no job is added for it.
    const queue = runtime.queues.get(QUEUE)!;
    expect((await queue.clean(0, 10_000, 'completed')).length).toBe(keys.length);
    await database.db.update(outbox).set({ dispatchedAt: null }).where(inArray(outbox.dedupeKey, keys));
    expect(await runtime.relay.runPass()).toBe(keys.length);
    expect(await queue.getJobCounts('wait', 'active', 'completed')).toEqual({ wait: 0, active: 0, completed: 0 });

    // Running every job a second time (same job ids added again) changes nothing.
    const before = await rows(keys);
    await addOutboxJobs(queue, before);
    await waitFor('the second runs to finish', async () => (await queue.getJobCounts('completed')).completed === keys.length, 15_000);
    expect((await queue.getJob(jobIdFor(keys[0]!)))?.returnvalue).toEqual({ status: 'already-completed' });
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(await jobRunCount(keys)).toBe(keys.length);
    const after = await rows(keys);
    expect(after.map((r) => [r.id, r.completedAt?.getTime(), r.attempts]))
      .toEqual(before.map((r) => [r.id, r.completedAt?.getTime(), r.attempts]));
  });

  it('lets one of two concurrent runs of the same job take effect', async () => {
    const c = config();
    const [key] = keysFor('concurrent', 1) as [string];
    await write([{ dedupeKey: key, payload: { caseRef: 'case-c' } }]);
    const [row] = await rows([key]);
    const process = createJobProcessor(testJob, {
      database, config: c, log: createWorkerLogger(c), queues: new Map(),
    });
    const job = {
      id: jobIdFor(key), name: TOPIC, attemptsMade: 0, opts: { attempts: 5 },
      data: { outboxId: row!.id, dedupeKey: key, payload: { caseRef: 'case-c' } },
    } as unknown as OutboxJob;
    // Both runs are held inside the handler, past the early "already completed?" check, so
    // the row lock in runOnce is what decides.
    let open!: () => void;
    gates.set(key, new Promise<void>((resolve) => {
      open = resolve;
    }));
    const both = Promise.all([process(job), process(job)]);
    await waitFor('both runs to enter the handler', () => runs.get(key) === 2);
    open();
    const outcomes = await both;
    // The run that found the row completed under the lock says so.
    expect(outcomes.map((o) => o.status).sort()).toEqual(['already-completed', 'completed']);
    expect(runs.get(key)).toBe(2);
    expect(await jobRunCount([key])).toBe(1);
    expect((await rows([key]))[0]).toMatchObject({ attempts: 1 });
    expect((await rows([key]))[0]?.completedAt).not.toBeNull();
    // A third run after completion does not reach the handler.
    expect(await process(job)).toEqual({ status: 'already-completed' });
    expect(runs.get(key)).toBe(2);
  });

  it('re-enqueues dispatched jobs that Redis lost, and each runs exactly once', async () => {
    const c = config();
    const keys = keysFor('flush', 20);
    await write(keys.map((dedupeKey, i) => ({ dedupeKey, payload: { caseRef: `case-${i}` } })));
    const { relay, queue } = standaloneRelay(c);
    expect(await relay.runPass()).toBe(keys.length);
    expect(await queue.getJob(jobIdFor(keys[0]!))).toBeDefined();

    // FLUSHALL, scoped to this test's prefix: the shared Redis may serve a running portal.
    await deleteRedisPrefix(redis, `${c.redisPrefix}:`);
    expect(await queue.getJob(jobIdFor(keys[0]!))).toBeUndefined();
    expect(await countCompleted(keys)).toBe(0);

    const extraStep = async function deadlines() {
      return { name: 'deadlines', reEnqueued: 0 };
    };
    const failingStep = async function broken(): Promise<{ name: string; reEnqueued: number }> {
      throw new Error('step failed (test)');
    };
    const runtime = await start(c, { reconcileSteps: [extraStep, failingStep] });
    const report = await runtime.reconciler.runOnce();
    expect(report).toMatchObject({ checked: keys.length, reEnqueued: keys.length, failed: 0 });
    expect(report.steps).toEqual([
      { name: 'deadlines', reEnqueued: 0, ok: true },
      { name: 'broken', reEnqueued: 0, ok: false },
    ]);

    await waitFor('every row to complete', async () => (await countCompleted(keys)) === keys.length, 10_000);
    expect(runs.size).toBe(keys.length);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(await jobRunCount(keys)).toBe(keys.length);
    // Nothing left to repair.
    expect(await runtime.reconciler.runOnce()).toMatchObject({ checked: 0, reEnqueued: 0 });
  });

  it('leaves rows of a topic no job consumes pending, and counts them', async () => {
    const c = config();
    const runtime = await start(c);
    // Other test files may leave rows of their own topics: compare, do not assume zero.
    const before = (await runtime.reconciler.runOnce()).unroutable;
    const [key] = keysFor('unrouted', 1) as [string];
    await database.db.transaction((tx) => enqueueOutbox(tx, { topic: UNROUTED_TOPIC, dedupeKey: key, payload: { caseRef: 'case-u' } }));
    await runtime.relay.runPass();
    expect((await rows([key]))[0]?.dispatchedAt).toBeNull();
    expect((await runtime.reconciler.runOnce()).unroutable).toBe(before + 1);
  });

  it('keeps rows pending while Redis is down and relays them when it is back', async () => {
    const redisPort = Number(new URL(testConfig().redisUrl).port || 6379);
    const proxy: TcpProxy = await startTcpProxy(redisPort);
    cleanups.push(() => proxy.close());
    const c = config({ REDIS_URL: proxy.url('redis') });
    const runtime = await start(c);
    await runtime.queues.get(QUEUE)!.waitUntilReady();

    await proxy.stop();
    const keys = keysFor('outage', 3);
    await write(keys.map((dedupeKey, i) => ({ dedupeKey, payload: { caseRef: `case-${i}` } })));
    await waitFor('a relay pass to fail', () => runtime.relay.stats.failedPasses > 0);
    expect((await rows(keys)).every((r) => r.dispatchedAt === null)).toBe(true);

    await proxy.start();
    await waitFor('the rows to be relayed and completed', async () => (await countCompleted(keys)) === keys.length, 15_000);
    expect((await rows(keys)).every((r) => r.dispatchedAt !== null)).toBe(true);
    expect([...runs.values()]).toEqual([1, 1, 1]);
  });

  it('fails a job whose payload is invalid without retrying, keeps it and says why', async () => {
    const c = config();
    const runtime = await start(c);
    const queue = runtime.queues.get(QUEUE)!;
    const [key] = keysFor('invalid', 1) as [string];
    await write([{ dedupeKey: key, payload: { caseRef: 4242 } }]);

    let state = '';
    await waitFor('the job to fail', async () => {
      state = (await (await queue.getJob(jobIdFor(key)))?.getState()) ?? '';
      return state === 'failed';
    });
    const job = await queue.getJob(jobIdFor(key));
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toMatch(/^invalid payload: \/caseRef /);
    expect(job?.failedReason).not.toContain('4242');
    expect((await queue.getFailed()).map((j) => j.id)).toContain(jobIdFor(key));
    expect(runs.has(key)).toBe(false);
    const [row] = await rows([key]);
    expect(row).toMatchObject({ completedAt: null, attempts: 1 });
    expect(row?.lastError).toMatch(/^invalid payload/);
    // A failed job still exists in Redis: the reconciler reports it and leaves it alone.
    expect(await runtime.reconciler.runOnce()).toMatchObject({ checked: 1, reEnqueued: 0, failed: 1 });
  });

  it('retries a failing handler with backoff and records the error on the row', async () => {
    const c = config();
    await start(c);
    const [key] = keysFor('retry', 1) as [string];
    failOnce.add(key);
    await write([{ dedupeKey: key, payload: { caseRef: 'case-r' } }]);
    await waitFor('the row to complete after a retry', async () => (await countCompleted([key])) === 1);
    expect(runs.get(key)).toBe(2);
    expect(await jobRunCount([key])).toBe(1);
    const [row] = await rows([key]);
    expect(row?.attempts).toBe(2);
    expect(row?.lastError).toBe('Error: transient failure (test)');
  });

  it('LISTENs again after its connection drops and catches up on what it missed', async () => {
    const c = config();
    const runtime = await start(c);
    expect(runtime.relay.stats.listens).toBe(1);
    const killed = await database.sql`
      SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
      WHERE application_name = 'minhbach-outbox-listen' AND datname = current_database()`;
    expect(killed.length).toBe(1);
    // Written while the listener may be down: the catch-up pass after re-LISTEN finds it.
    const [missed, later] = keysFor('relisten', 2) as [string, string];
    await write([{ dedupeKey: missed, payload: { caseRef: 'case-m' } }]);
    await waitFor('LISTEN to be re-established', () => runtime.relay.stats.listens >= 2);
    await write([{ dedupeKey: later, payload: { caseRef: 'case-l' } }]);
    await waitFor('both rows to complete', async () => (await countCompleted([missed, later])) === 2);
  });

  it('holds a row until its availableAt and then relays it without waiting for the poll', async () => {
    const c = config();
    const runtime = await start(c);
    const [key] = keysFor('delayed', 1) as [string];
    // The database's clock decides when a row is due, not this process's.
    const [clock] = await database.sql<Array<{ ms: number }>>`SELECT (extract(epoch FROM now()) * 1000)::float8 AS ms`;
    const availableAt = new Date(clock!.ms + 1_500);
    await write([{ dedupeKey: key, payload: { caseRef: 'case-d' }, availableAt }]);
    await waitFor('the NOTIFY pass', () => runtime.relay.stats.notifications > 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await rows([key]))[0]?.dispatchedAt).toBeNull();
    await waitFor('the row to complete once due', async () => (await countCompleted([key])) === 1, 5_000);
    // dispatched_at keeps only the day (outbox bookkeeping never dates a submission), so
    // the database clock at completion shows the row waited for its moment.
    const [row] = await rows([key]);
    expect(row!.dispatchedAt).not.toBeNull();
    const [after] = await database.sql<Array<{ ms: number }>>`SELECT (extract(epoch FROM now()) * 1000)::float8 AS ms`;
    expect(after!.ms).toBeGreaterThanOrEqual(availableAt.getTime());
  });
});

// Its own database: in the shared one, other files' rows wake listeners at any moment.
describe('the outbox trigger', () => {
  it('wakes the relay for a due row, and not for a row written completed or one due after the longest poll', async () => {
    const url = new URL(inject('databaseUrl'));
    const name = `${url.pathname.slice(1)}_notify_${randomUUID().slice(0, 8)}`;
    const admin = new URL(url);
    admin.pathname = '/postgres';
    url.pathname = `/${name}`;
    await runMigrations(url.toString());
    const db = createDatabase(url.toString(), { max: 2 });
    try {
      let heard = 0;
      const listener = await db.sql.listen('outbox', () => {
        heard += 1;
      });
      const settle = async (): Promise<number> => {
        // A notification arrives within milliseconds of its commit.
        await new Promise((resolve) => setTimeout(resolve, 200));
        return heard;
      };
      await enqueueOutbox(db.db, { topic: TOPIC, dedupeKey: 'trigger/settled', payload: {}, settled: true });
      await enqueueOutbox(db.db, { topic: TOPIC, dedupeKey: 'trigger/tomorrow', payload: {}, availableAt: new Date(Date.now() + 86_400_000) });
      expect(await settle()).toBe(0);
      await enqueueOutbox(db.db, { topic: TOPIC, dedupeKey: 'trigger/soon', payload: {}, availableAt: new Date(Date.now() + 60_000) });
      expect(await settle()).toBe(1);
      await enqueueOutbox(db.db, { topic: TOPIC, dedupeKey: 'trigger/due', payload: {} });
      expect(await settle()).toBe(2);
      const [settled] = await db.db.select().from(outbox).where(inArray(outbox.dedupeKey, ['trigger/settled']));
      expect(settled?.completedAt).not.toBeNull();
      expect(settled?.dispatchedAt).not.toBeNull();
      await listener.unlisten();
    } finally {
      await db.close();
      await dropDatabase(admin.toString(), name);
    }
  });
});
