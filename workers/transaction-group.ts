// Group commit for jobs whose transactions are short and independent of each other (one
// route-case job per case). Members submitted while a group is in flight wait and then run
// together: concurrently, in one transaction, so postgres.js pipelines their statements on
// one connection. Each round trip, begin and commit is then shared by the whole group; on
// this machine a round trip (two socket writes and a wake-up on each side) costs more than
// most of the statements it carries.
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../server/db/client.ts';

export type TransactionGroupOptions = {
  /** Members per transaction at most. */
  maxSize: number;
  /** Transactions in flight at once; members that arrive meanwhile wait for the next group. */
  maxInFlight?: number;
  /** Runs when a shared transaction opens, before any member (e.g. to hold the audit entries). */
  onBegin?: (tx: Tx) => void;
  /** Runs in a shared transaction after every member succeeded, as its last write. */
  beforeCommit?: (tx: Tx) => Promise<void>;
  /** How long a member of a shared transaction may wait for a lock before the group gives up. Default 2 s. */
  lockTimeoutMs?: number;
};

export type TransactionGroupStats = {
  /** Transactions committed with more than one member in them. */
  groups: number;
  /** Members that ran in their own transaction: alone in a group, or after a group failed. */
  alone: number;
  /** Groups rolled back because a member (or the connection) failed; their members ran again alone. */
  failedGroups: number;
};

export type TransactionGroup = {
  /** Runs `effects` in a transaction, perhaps shared with other members; resolves after commit. */
  run<T>(effects: (tx: Tx) => Promise<T>): Promise<T>;
  readonly stats: Readonly<TransactionGroupStats>;
};

type Member = {
  effects: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
};

/**
 * Members must not depend on each other's writes nor touch the same rows in conflicting
 * ways: within the group their statements interleave. A member's failure rolls the whole
 * group back, then every member runs again in a transaction of its own, so only the member
 * at fault fails, with its own error. Effects must therefore be safe to run twice when the
 * first run rolled back, as any transaction retried after a serialization failure is.
 * A group commits when its slowest member is done: a member waiting on a lock holds the rest
 * for up to lockTimeoutMs, after which the group fails and every member runs alone.
 */
export function createTransactionGroup(db: Pick<Db, 'transaction'>, opts: TransactionGroupOptions): TransactionGroup {
  const maxSize = Math.max(1, opts.maxSize);
  const maxInFlight = Math.max(1, opts.maxInFlight ?? 1);
  const lockTimeoutMs = Math.max(1, Math.trunc(opts.lockTimeoutMs ?? 2_000));
  const stats: TransactionGroupStats = { groups: 0, alone: 0, failedGroups: 0 };
  const waiting: Member[] = [];
  let inFlight = 0;
  let flushQueued = false;

  async function runAlone(member: Member): Promise<void> {
    stats.alone += 1;
    try {
      member.resolve(await db.transaction((tx) => member.effects(tx)));
    } catch (err) {
      member.reject(err);
    }
  }

  async function runGroup(members: Member[]): Promise<void> {
    if (members.length === 1) return runAlone(members[0] as Member);
    let results: unknown[];
    try {
      results = await db.transaction(async (tx) => {
        // A member stuck behind another transaction's lock would hold up the whole group: past
        // the timeout the group fails and its members run alone. Sent ahead of the members'
        // statements on the same connection, not awaited on its own.
        const timeout = tx.execute(sql.raw(`SET LOCAL lock_timeout = ${lockTimeoutMs}`)).then(() => undefined);
        opts.onBegin?.(tx);
        // Settled, not Promise.all: every member's statements must have been answered before
        // the rollback is sent, or their rejections would go unobserved.
        const settled = await Promise.allSettled([timeout, ...members.map((m) => m.effects(tx))]);
        const failed = settled.find((s) => s.status === 'rejected');
        if (failed) throw failed.reason;
        await opts.beforeCommit?.(tx);
        return settled.slice(1).map((s) => (s as PromiseFulfilledResult<unknown>).value);
      });
    } catch {
      // A member's error, a deadlock or a lost connection: nothing was committed.
      stats.failedGroups += 1;
      await Promise.all(members.map(runAlone));
      return;
    }
    stats.groups += 1;
    members.forEach((m, i) => m.resolve(results[i]));
  }

  function flush(): void {
    flushQueued = false;
    while (waiting.length > 0 && inFlight < maxInFlight) {
      const members = waiting.splice(0, maxSize);
      inFlight += 1;
      void runGroup(members).finally(() => {
        inFlight -= 1;
        if (waiting.length > 0) queueFlush();
      });
    }
  }

  function queueFlush(): void {
    if (flushQueued) return;
    flushQueued = true;
    // Members submitted in the same turn of the event loop start together.
    setImmediate(flush);
  }

  return {
    stats,
    run<T>(effects: (tx: Tx) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        waiting.push({ effects, resolve: resolve as (value: unknown) => void, reject });
        queueFlush();
      });
    },
  };
}
