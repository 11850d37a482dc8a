// A worker process killed with SIGKILL in the middle of a job: another process finishes it,
// and its effects happen exactly once. The workers run as child processes (workers/main.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { Database } from '../../server/db/client.ts';
import { outbox } from '../../drizzle/schema/index.ts';
import { deleteRedisPrefix } from '../support/cleanup.ts';
import { createWorkflowWorld, submitCase, type WorkflowWorld } from '../factories/case.ts';
import { testConfig, testDatabase } from './harness.ts';
import { caseDeadlines, caseOutbox, caseTimeline, notificationsFor, waitFor, workflowHarness, type Harness } from './workflow-support.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

function startWorkerProcess(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const exited = (child: ChildProcess): Promise<void> => new Promise((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) resolve();
  else child.once('exit', () => resolve());
});

describe('a worker process killed mid-job', () => {
  let database: Database;
  let h: Harness;
  let world: WorkflowWorld;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    database = testDatabase();
    h = workflowHarness(database);
    world = await createWorkflowWorld(database.db);
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(children.map(exited));
    await h.close();
    await database.close();
  });

  it('is finished by another process, exactly once', { timeout: 120_000 }, async () => {
    const db = database.db;
    const c = testConfig({ OUTBOX_POLL_MS: '1000', RECONCILE_EVERY_MS: '3600000' });
    const env = {
      DATABASE_URL: c.databaseUrl, REDIS_URL: c.redisUrl, REDIS_PREFIX: c.redisPrefix, LOG_LEVEL: 'silent',
      OUTBOX_POLL_MS: '1000', RECONCILE_EVERY_MS: '3600000', DATA_DIR: c.dataDir,
    };
    const submitted = await submitCase(db, world);
    // Hold the case row: the route-case job blocks inside its transaction when it reaches it.
    const holder = postgres(c.databaseUrl, { max: 1, onnotice: () => {} });
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => { release = resolve; });
    const holding = holder.begin(async (tx) => {
      await tx`SELECT id FROM cases WHERE id = ${submitted.id} FOR UPDATE`;
      await released;
    });
    try {
      const first = startWorkerProcess(env);
      children.push(first);
      await waitFor('the job to block on the case row', async () => {
        const [row] = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE application_name = 'minhbach-workers' AND wait_event_type = 'Lock' AND datname = current_database()`);
        return (row?.n ?? 0) > 0;
      }, 60_000);
      first.kill('SIGKILL');
      await exited(first);
    } finally {
      release();
      await holding;
      await holder.end();
    }
    const [row] = await caseOutbox(db, submitted.id, ['case.received']);
    expect(row?.completedAt).toBeNull();
    expect(await caseTimeline(db, submitted.id).then((t) => t.filter((e) => e.kind === 'case.routed'))).toHaveLength(0);

    // The second process takes the job over once BullMQ finds it stalled (its lock expired).
    const second = startWorkerProcess(env);
    children.push(second);
    await waitFor('the job to complete in the second process', async () =>
      (await db.select().from(outbox).where(eq(outbox.id, row!.id)))[0]?.completedAt != null, 100_000);
    await waitFor('its follow-ups', async () => (await caseDeadlines(db, submitted.id)).length === 1
      && (await notificationsFor(db, submitted.publicRef)).length >= 3, 20_000);
    second.kill('SIGTERM');
    await exited(second);

    const timeline = await caseTimeline(db, submitted.id);
    expect(timeline.filter((e) => e.kind === 'case.routed')).toHaveLength(1);
    expect(timeline.filter((e) => e.kind === 'case.start_triage')).toHaveLength(1);
    expect(await caseDeadlines(db, submitted.id)).toHaveLength(1);
    expect((await notificationsFor(db, submitted.publicRef)).filter((n) => n.kind === 'case.routed')).toHaveLength(3);
    await deleteRedisPrefix(h.redis, `${c.redisPrefix}:`);
  });
});
