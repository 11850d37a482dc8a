// Group commit against the real Postgres: members that arrive together share a transaction,
// a late member waits for the next one, and one member's failure costs the others nothing.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../server/db/client.ts';
import { appendAudits, appendHeldAudits, holdAudits, verifyAuditChain } from '../../server/services/audit.service.ts';
import { auditLog, jobRuns } from '../../drizzle/schema/index.ts';
import { createTransactionGroup } from '../../workers/transaction-group.ts';
import { jobRunsScratch, testConfig } from './harness.ts';
import { deferred } from '../support/deferred.ts';

describe('transaction group', () => {
  const prefix = `test:group:${randomUUID()}`;
  const database = jobRunsScratch(prefix);

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
    const gate = deferred();
    const firstStarted = deferred();
    const first = group.run(async (tx) => {
      const id = await writer('first')(tx);
      firstStarted.resolve();
      await gate.promise;
      return id;
    });
    await firstStarted.promise;
    const later = ['x', 'y'].map((k) => group.run(writer(k)));
    // Still waiting for the first transaction: nothing of theirs is written yet.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await storedKeys(['x', 'y'])).toEqual([]);
    gate.resolve();
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

  it('holds the members\' audit entries and appends them once, after the last member, so no member runs while the chain head is locked', async () => {
    const group = createTransactionGroup(database.db, { maxSize: 16, onBegin: holdAudits, beforeCommit: appendHeldAudits });
    const probe = postgres(testConfig().databaseUrl, { max: 1, onnotice: () => {} });
    const resource = `${prefix}:audit`;
    /** Whether another connection could take the chain head right now. */
    const headFree = () => probe.begin(async (t) => {
      try {
        await t`SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE NOWAIT`;
        return true;
      } catch {
        return false;
      }
    });
    try {
      const seen = await Promise.all(['first', 'second'].map((name, i) => group.run(async (tx) => {
        await appendAudits(tx, [{ actorKind: 'system', action: `test.group.${name}`, resourceKind: 'test', resourceId: resource }]);
        // The second member looks after the first has "appended": the head must still be free.
        if (i === 1) await new Promise((resolve) => setTimeout(resolve, 20));
        return headFree();
      })));
      expect(seen).toEqual([true, true]);
    } finally {
      await probe.end();
    }
    const rows = await database.db.select({ action: auditLog.action }).from(auditLog)
      .where(and(eq(auditLog.resourceKind, 'test'), eq(auditLog.resourceId, resource))).orderBy(asc(auditLog.id));
    expect(rows.map((r) => r.action)).toEqual(['test.group.first', 'test.group.second']);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });

  it('gives up on a member stuck behind another transaction\'s lock: the others commit alone, and it finishes alone once the lock is gone', async () => {
    await database.db.insert(jobRuns).values({ jobKey: `${prefix}:locked`, result: 0 });
    const holder = postgres(testConfig().databaseUrl, { max: 1, onnotice: () => {} });
    const released = deferred();
    const isLocked = deferred();
    const holding = holder.begin(async (t) => {
      await t`SELECT 1 FROM job_runs WHERE job_key = ${`${prefix}:locked`} FOR UPDATE`;
      isLocked.resolve();
      await released.promise;
    });
    try {
      await isLocked.promise;
      const group = createTransactionGroup(database.db, { maxSize: 16, lockTimeoutMs: 200 });
      const stuck = group.run(async (tx) => {
        await tx.update(jobRuns).set({ result: 1 }).where(eq(jobRuns.jobKey, `${prefix}:locked`));
        return 'stuck';
      });
      const free = group.run(writer('free'));
      await free;
      // The free member committed while the other still waits for the lock.
      expect(await storedKeys(['free'])).toEqual(['free']);
      expect(group.stats.failedGroups).toBe(1);
      released.resolve();
      await holding;
      expect(await stuck).toBe('stuck');
      const [row] = await database.db.select({ result: jobRuns.result }).from(jobRuns).where(eq(jobRuns.jobKey, `${prefix}:locked`));
      expect(row?.result).toBe(1);
    } finally {
      released.resolve();
      await holding.catch(() => {});
      await holder.end();
    }
  });
});
