// The filing statement against the real Postgres: every audited transaction in the system
// waits for the audit chain's head, so a filing takes it only after its other rows are written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../../server/db/client.ts';
import { routingSnapshot } from '../../server/services/intake-routing.service.ts';
import { createWorkflowWorld, fileCase, type WorkflowWorld } from '../factories/case.ts';
import { testDatabase } from './harness.ts';

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
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => { release = resolve; });
    let held = (): void => undefined;
    const holding = new Promise<void>((resolve) => { held = resolve; });
    // Another transaction holds the head, as a routing job's commit would.
    const holder = database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE`);
      held();
      await released;
    });
    await holding;
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
      release();
      await holder;
    }
    const filed = await filing;
    const [audit] = await database.db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_log WHERE resource_id = ${filed.id}`);
    expect(audit?.n).toBe(1);
  });
});
