// Queries built once and run many times (server/db/reusable.ts), against the real Postgres:
// each run uses the caller's connection or transaction and only its own values.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { reusable, reusableInsert } from '../../server/db/reusable.ts';
import { jobRuns } from '../../drizzle/schema/index.ts';
import { jobRunsScratch } from './harness.ts';

const prefix = `test:reusable:${randomUUID()}`;

const findRun = reusable((db) => db.select({ key: jobRuns.jobKey, result: jobRuns.result, finishedAt: jobRuns.finishedAt })
  .from(jobRuns).where(eq(jobRuns.jobKey, sql.placeholder('key'))).prepare('test_find_run'));

type NewRun = { jobKey: string; result?: unknown; finishedAt?: Date | ReturnType<typeof sql> };
const insertRuns = reusableInsert('test_insert_runs', (db, rows: NewRun[]) =>
  db.insert(jobRuns).values(rows).onConflictDoNothing().returning({ key: jobRuns.jobKey, result: jobRuns.result, finishedAt: jobRuns.finishedAt }));

describe('reusable queries', () => {
  const database = jobRunsScratch(prefix);

  it('runs on the transaction it is given, seeing what that transaction wrote and nothing it has not', async () => {
    const key = `${prefix}:in-tx`;
    const seen = await database.db.transaction(async (tx) => {
      await tx.insert(jobRuns).values({ jobKey: key, result: { n: 1 } });
      const inside = await findRun(tx, { key });
      const outside = await findRun(database.db, { key });
      return { inside, outside };
    });
    expect(seen.inside).toEqual([expect.objectContaining({ key, result: { n: 1 } })]);
    expect(seen.outside).toEqual([]);
    expect(await findRun(database.db, { key })).toHaveLength(1);
  });

  it('fills in each run its own values', async () => {
    await database.db.insert(jobRuns).values([{ jobKey: `${prefix}:a`, result: 'a' }, { jobKey: `${prefix}:b`, result: 'b' }]);
    const [a, b] = await Promise.all([findRun(database.db, { key: `${prefix}:a` }), findRun(database.db, { key: `${prefix}:b` })]);
    expect(a?.[0]?.result).toBe('a');
    expect(b?.[0]?.result).toBe('b');
  });

  it('inserts rows of every shape with their own values, encoded as the columns want', async () => {
    const when = new Date('2026-02-17T03:04:05.000Z');
    // Same shape twice with different values, then other shapes: a missing key (the column
    // default), a null, an SQL value, several rows.
    const first = await insertRuns(database.db, [{ jobKey: `${prefix}:1`, result: { tet: true }, finishedAt: when }]);
    const second = await insertRuns(database.db, [{ jobKey: `${prefix}:2`, result: [1, 2], finishedAt: new Date(when.getTime() + 1000) }]);
    const defaulted = await insertRuns(database.db, [{ jobKey: `${prefix}:3` }]);
    const nulled = await insertRuns(database.db, [{ jobKey: `${prefix}:4`, result: null }]);
    const fromSql = await insertRuns(database.db, [{ jobKey: `${prefix}:5`, finishedAt: sql`timestamptz '2027-01-01 00:00:00+07'` }]);
    const several = await insertRuns(database.db, [{ jobKey: `${prefix}:6`, result: 6 }, { jobKey: `${prefix}:7`, result: 7 }]);

    expect(first).toEqual([{ key: `${prefix}:1`, result: { tet: true }, finishedAt: when }]);
    expect(second).toEqual([{ key: `${prefix}:2`, result: [1, 2], finishedAt: new Date(when.getTime() + 1000) }]);
    expect(defaulted[0]?.finishedAt).toBeInstanceOf(Date);
    expect(Math.abs(defaulted[0]!.finishedAt.getTime() - Date.now())).toBeLessThan(60_000);
    expect(nulled[0]?.result).toBeNull();
    expect(fromSql[0]?.finishedAt).toEqual(new Date('2026-12-31T17:00:00.000Z'));
    expect(several.map((r) => r.result)).toEqual([6, 7]);
  });

  it('returns what the statement returns when a row conflicts', async () => {
    await insertRuns(database.db, [{ jobKey: `${prefix}:dup`, result: 1 }]);
    expect(await insertRuns(database.db, [{ jobKey: `${prefix}:dup`, result: 2 }])).toEqual([]);
    expect((await findRun(database.db, { key: `${prefix}:dup` }))[0]?.result).toBe(1);
  });

  it('refuses a query made through a transaction that has already ended, instead of running it outside it', async () => {
    const key = `${prefix}:stray`;
    let stray: Promise<unknown> | undefined;
    await expect(database.db.transaction(async (tx) => {
      await Promise.all([
        tx.execute(sql`SELECT 1/0`),
        // A sibling branch that goes on after the transaction failed and rolled back.
        new Promise<void>((resolve) => {
          setTimeout(() => {
            // Its outcome is taken at once, so the refusal is never an unhandled rejection.
            stray = tx.insert(jobRuns).values({ jobKey: key, result: 'stray' }).then(() => 'written', (err: unknown) => err);
            resolve();
          }, 100);
        }),
      ]);
    })).rejects.toThrow(/SELECT 1\/0/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Drizzle wraps the driver's error; the cause is the refusal.
    expect(await stray).toMatchObject({ cause: { message: expect.stringMatching(/transaction that has already ended/) } });
    expect(await findRun(database.db, { key })).toEqual([]);
  });
});
