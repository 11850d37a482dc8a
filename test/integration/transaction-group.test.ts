// Group commit against the real Postgres: members that arrive together share a transaction,
// a late member waits for the next one, and one member's failure costs the others nothing.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inArray, like, sql } from 'drizzle-orm';
import type { Database, Tx } from '../../server/db/client.ts';
import { jobRuns } from '../../drizzle/schema/index.ts';
import { createTransactionGroup } from '../../workers/transaction-group.ts';
import { testDatabase } from './harness.ts';

describe('transaction group', () => {
  let database: Database;
  const prefix = `test:group:${randomUUID()}`;

  beforeAll(() => {
    database = testDatabase();
  });

  afterEach(async () => {
    await database.db.delete(jobRuns).where(like(jobRuns.jobKey, `${prefix}:%`));
  });

  afterAll(async () => {
    await database.close();
  });

  async function txid(tx: Tx): Promise<string> {
    const [row] = await tx.execute<{ id: string }>(sql`SELECT txid_current()::text AS id`);
    return row!.id;
  }

  /** Writes a row for `key` and returns the transaction it was written in. */
  const writer = (key: string) => async (tx: Tx): Promise<string> => {
    await tx.insert(jobRuns).values({ jobKey: `${prefix}:${key}`, result: { key } });
    return txid(tx);
  };

  async function storedKeys(keys: string[]): Promise<string[]> {
    const rows = await database.db.select({ key: jobRuns.jobKey }).from(jobRuns).where(inArray(jobRuns.jobKey, keys.map((k) => `${prefix}:${k}`)));
    return rows.map((r) => r.key.slice(prefix.length + 1)).sort();
  }

  it('commits members submitted together in one transaction, each getting its own result', async () => {
    const group = createTransactionGroup(database.db, { maxSize: 16 });
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const txids = await Promise.all(keys.map((k) => group.run(writer(k))));
    expect(new Set(txids).size).toBe(1);
    expect(await storedKeys(keys)).toEqual(keys);
    expect(group.stats).toMatchObject({ groups: 1, alone: 0, failedGroups: 0 });
  });

  it('puts at most maxSize members in a transaction', async () => {
    const group = createTransactionGroup(database.db, { maxSize: 2 });
    const txids = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => group.run(writer(k))));
    expect(new Set(txids).size).toBe(3);
    expect(txids[0]).toBe(txids[1]);
    expect(txids[2]).toBe(txids[3]);
    expect(txids[4]).not.toBe(txids[3]);
  });

  it('runs a member that arrives while a transaction is in flight in the next one, with the others that waited', async () => {
    const group = createTransactionGroup(database.db, { maxSize: 16 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const firstStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const first = group.run(async (tx) => {
      const id = await writer('first')(tx);
      started();
      await gate;
      return id;
    });
    await firstStarted;
    const later = ['x', 'y'].map((k) => group.run(writer(k)));
    // Still waiting for the first transaction: nothing of theirs is written yet.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await storedKeys(['x', 'y'])).toEqual([]);
    release();
    const [firstTx, xTx, yTx] = await Promise.all([first, ...later]);
    expect(xTx).toBe(yTx);
    expect(xTx).not.toBe(firstTx);
    expect(await storedKeys(['first', 'x', 'y'])).toEqual(['first', 'x', 'y']);
  });

  it('fails only the member at fault: the others are rolled back with it, then committed alone', async () => {
    const group = createTransactionGroup(database.db, { maxSize: 16 });
    let runsOfFaulty = 0;
    const results = await Promise.allSettled([
      group.run(writer('ok-1')),
      group.run(async (tx) => {
        runsOfFaulty += 1;
        await writer('faulty')(tx);
        throw new Error('refused by the member (test)');
      }),
      group.run(writer('ok-2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'refused by the member (test)' });
    // Once in the group, once alone; neither run's row survives.
    expect(runsOfFaulty).toBe(2);
    expect(await storedKeys(['faulty', 'ok-1', 'ok-2'])).toEqual(['ok-1', 'ok-2']);
    const [a, , b] = results as Array<PromiseFulfilledResult<string>>;
    expect(a!.value).not.toBe(b!.value);
    expect(group.stats).toMatchObject({ groups: 0, failedGroups: 1, alone: 3 });
  });

  it('fails a member whose statement errors without leaving the others half-written', async () => {
    const group = createTransactionGroup(database.db, { maxSize: 16 });
    const results = await Promise.allSettled([
      group.run(writer('dup')),
      // The same key twice violates job_runs' primary key: Postgres aborts the shared transaction.
      group.run(writer('dup')),
      group.run(writer('other')),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(await storedKeys(['dup', 'other'])).toEqual(['dup', 'other']);
  });
});
