// Shared by the workflow tests: workers of this deployment against the run's database and
// a Redis prefix of the test's own, and small waits and reads.
import { and, eq, inArray } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import type { Config } from '../../server/config.ts';
import type { Database } from '../../server/db/client.ts';
import { createRedis } from '../../server/redis.ts';
import { caseEvents, cases, deadlines, notifications, outbox } from '../../drizzle/schema/index.ts';
import { createWorkerLogger } from '../../workers/logger.ts';
import { jobs, reconcileSteps } from '../../workers/registry.ts';
import { startWorkers, type WorkersRuntime } from '../../workers/runtime.ts';
import { deleteRedisPrefix } from '../support/cleanup.ts';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createWorkflowWorld, type WorkflowWorld } from '../factories/case.ts';
import { testConfig, testDatabase } from './harness.ts';

// The poll and reconcile intervals are long so that only NOTIFY, delays and explicit passes act.
export const SLOW = { OUTBOX_POLL_MS: '60000', RECONCILE_EVERY_MS: '3600000' };

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The hooks a workflow test file starts with: the run's database, a harness and a world,
 * with the workers of each test stopped after it. `use` receives them once they exist.
 */
export function workflowSuite(use: (s: { database: Database; h: Harness; world: WorkflowWorld }) => void): void {
  let database: Database | undefined;
  let h: Harness | undefined;
  beforeAll(async () => {
    database = testDatabase();
    h = workflowHarness(database);
    use({ database, h, world: await createWorkflowWorld(database.db) });
  });
  afterEach(() => h?.cleanup());
  afterAll(async () => {
    await h?.close();
    await database?.close();
  });
}

export type Harness = {
  config(overrides?: Record<string, string>): Config;
  start(c: Config, extra?: Partial<Parameters<typeof startWorkers>[0]>): Promise<WorkersRuntime>;
  redis: Redis;
  cleanup(): Promise<void>;
  close(): Promise<void>;
};

export function workflowHarness(database: Database): Harness {
  const redis = createRedis(testConfig().redisUrl, 'request');
  const prefixes: string[] = [];
  const runtimes: WorkersRuntime[] = [];
  return {
    redis,
    config(overrides = {}) {
      const c = testConfig({ ...SLOW, ...overrides });
      prefixes.push(c.redisPrefix);
      return c;
    },
    async start(c, extra = {}) {
      const runtime = await startWorkers({
        config: c, jobs, reconcileSteps, database, log: createWorkerLogger(c), reconcileOnStart: false, concurrency: 4, ...extra,
      });
      runtimes.push(runtime);
      return runtime;
    },
    async cleanup() {
      for (const r of runtimes.splice(0).reverse()) await r.close();
      for (const p of prefixes.splice(0)) await deleteRedisPrefix(redis, `${p}:`);
    },
    async close() {
      redis.disconnect();
    },
  };
}

export const caseRow = async (db: Database['db'], id: string) => (await db.select().from(cases).where(eq(cases.id, id)))[0];
export const caseDeadlines = (db: Database['db'], id: string) => db.select().from(deadlines).where(eq(deadlines.caseId, id));
export const caseTimeline = (db: Database['db'], id: string) => db.select().from(caseEvents).where(eq(caseEvents.caseId, id));
export const notificationsFor = (db: Database['db'], caseRef: string) => db.select().from(notifications).where(eq(notifications.caseRef, caseRef));

/** Outbox rows of the given topics about a case (payload.caseId). */
export async function caseOutbox(db: Database['db'], caseId: string, topics: string[]) {
  const rows = await db.select().from(outbox).where(and(inArray(outbox.topic, topics)));
  return rows.filter((r) => (r.payload as { caseId?: string }).caseId === caseId);
}
