// The filing statement against the real Postgres and Redis: every audited transaction in the
// system waits for the audit chain's head, so a filing takes it only after its other rows are
// written; and the filing's route job goes to Redis from the filing process, with the relay
// as the fallback when Redis does not take it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { sql } from 'drizzle-orm';
import type { Database } from '../../server/db/client.ts';
import { createRedis } from '../../server/redis.ts';
import { INTAKE_TOPICS } from '../../server/services/intake.service.ts';
import { routingSnapshot } from '../../server/services/intake-routing.service.ts';
import { jobIdFor } from '../../workers/job-definition.ts';
import routeCaseJob from '../../workers/jobs/route-case.job.ts';
import { createOutboxDispatcher } from '../../workers/queues.ts';
import { jobs } from '../../workers/registry.ts';
import { createWorkflowWorld, fileCase, type WorkflowWorld } from '../factories/case.ts';
import { deleteRedisPrefix } from '../support/cleanup.ts';
import { deferred } from '../support/deferred.ts';
import { testConfig, testDatabase } from './harness.ts';

describe('a filing and the audit chain', () => {
  let database: Database;
  let world: WorkflowWorld;

  beforeAll(async () => {
    database = testDatabase();
    world = await createWorkflowWorld(database.db);
  });

  afterAll(async () => {
    await database.close();
  });

  const outboxIds = async (): Promise<number> => {
    // nextval is not transactional: another connection sees an insert's id being taken.
    const [row] = await database.db.execute<{ n: string }>(sql`SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS n FROM outbox_id_seq`);
    return Number(row?.n);
  };

  it('writes the case, its envelope, bodies, event and outbox row before it waits for the audit head', async () => {
    const routing = await routingSnapshot(database.db);
    const released = deferred();
    const holding = deferred();
    // Another transaction holds the head, as a routing job's commit would.
    const holder = database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE`);
      holding.resolve();
      await released.promise;
    });
    await holding.promise;
    const before = await outboxIds();
    const filing = fileCase(database, world, routing);
    try {
      // The filing now waits for the head's row lock: find it waiting.
      await expect.poll(async () => {
        const [row] = await database.db.execute<{ n: number }>(sql`
          SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE wait_event_type = 'Lock' AND query LIKE 'WITH keys AS%' AND datname = current_database()`);
        return row?.n;
      }, { timeout: 5000, interval: 20 }).toBe(1);
      // Its outbox row took its id already: the head is the last thing it waits for.
      expect(await outboxIds()).toBe(before + 1);
    } finally {
      released.resolve();
      await holder;
    }
    const filed = await filing;
    const [audit] = await database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE resource_id = ${filed.id}`);
    expect(audit?.n).toBe(1);
  });

  describe('the route job, handed to Redis by the filing process', () => {
    const config = testConfig();
    const redis = createRedis(config.redisUrl, 'request');
    const dispatcher = createOutboxDispatcher(jobs, [INTAKE_TOPICS.received], { connection: redis, prefix: config.redisPrefix });
    // Nothing listens there: the add fails at once, as when Redis is down.
    const downRedis = createRedis('redis://127.0.0.1:1', 'request', { retryStrategy: () => null });
    downRedis.on('error', () => {});
    const downDispatcher = createOutboxDispatcher(jobs, [INTAKE_TOPICS.received], { connection: downRedis, prefix: config.redisPrefix });
    const queue = new Queue(routeCaseJob.queue, { connection: redis, prefix: config.redisPrefix });
    const wakeUps: number[] = [];
    let unlisten: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      ({ unlisten } = await database.sql.listen('outbox', () => { wakeUps.push(Date.now()); }));
    });

    afterAll(async () => {
      await unlisten?.();
      await queue.close();
      await dispatcher.close();
      await downDispatcher.close();
      await deleteRedisPrefix(redis, config.redisPrefix);
      redis.disconnect();
      downRedis.disconnect();
    });

    const receivedRow = async (caseId: string) => {
      const [row] = await database.db.execute<{ id: string; dedupe_key: string; payload: unknown; dispatched: boolean }>(sql`
        SELECT id::text, dedupe_key, payload, dispatched_at IS NOT NULL AS dispatched FROM outbox
        WHERE topic = ${INTAKE_TOPICS.received} AND payload->>'caseId' = ${caseId}`);
      if (!row) throw new Error('no case.received row');
      return row;
    };

    it('writes the row dispatched, puts the job under the id the relay would give it, and does not wake the relay', async () => {
      const before = wakeUps.length;
      const filed = await fileCase(database, world, await routingSnapshot(database.db), dispatcher);
      const row = await receivedRow(filed.id);
      expect(row.dispatched).toBe(true);
      const job = await queue.getJob(jobIdFor(row.dedupe_key));
      expect(job?.data).toEqual({ outboxId: Number(row.id), dedupeKey: row.dedupe_key, payload: row.payload });
      expect(job?.data.payload).toMatchObject({ caseId: filed.id });
      // A notification is delivered at commit; give a stray one time to arrive.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(wakeUps.length).toBe(before);
    });

    it('when Redis does not take the job, hands the row back to the relay and wakes it', async () => {
      const before = wakeUps.length;
      const filed = await fileCase(database, world, await routingSnapshot(database.db), downDispatcher);
      const row = await receivedRow(filed.id);
      expect(row.dispatched).toBe(false);
      expect(await queue.getJob(jobIdFor(row.dedupe_key))).toBeUndefined();
      await expect.poll(() => wakeUps.length, { timeout: 5000 }).toBeGreaterThan(before);
    });
  });
});
