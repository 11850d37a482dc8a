// The transactional outbox. Services call enqueueOutbox inside the transaction that makes
// the state change; the worker-side relay, the job runner and the reconciler use the rest.
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, notInArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { reusable, reusableInsert } from '../db/reusable.ts';
import { outbox } from '../../drizzle/schema/index.ts';

// Outbox bookkeeping keeps only the day: a row written by a public submission must not
// date it more precisely than the case's received_on (the columns are used as flags).
// Keep in step with the column defaults in drizzle/schema/system.ts.
const OUTBOX_DAY = sql`(date_trunc('day', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') AT TIME ZONE 'Asia/Ho_Chi_Minh')`;

/** Payloads carry ids and codes only, never report content: Redis and the logs see them. */
export type OutboxPayload = Record<string, unknown>;

export type OutboxEvent = {
  topic: string;
  /** Deterministic (e.g. `case/<id>/triage`): a second write of the same event is a no-op. */
  dedupeKey: string;
  payload: OutboxPayload;
  /** Not relayed before this time (deadlines, delayed follow-ups). Defaults to now. */
  availableAt?: Date;
  /**
   * Written already completed: the writer's own job ran the reaction in the same
   * transaction, so the row records the event and is never relayed.
   */
  settled?: boolean;
};

export type ClaimedOutboxRow = {
  id: number;
  topic: string;
  dedupeKey: string;
  payload: unknown;
  completedAt: Date | null;
};

export type UnfinishedOutboxRow = { id: number; topic: string; dedupeKey: string; payload: unknown };

const MAX_DEDUPE_KEY_LENGTH = 200;
const MAX_ERROR_LENGTH = 500;

export class OutboxKeyError extends Error {
  constructor(problem: string) {
    super(`Outbox dedupe key ${problem}`);
    this.name = 'OutboxKeyError';
  }
}

export function checkDedupeKey(key: string): void {
  if (key.length === 0) throw new OutboxKeyError('must not be empty');
  if (key.length > MAX_DEDUPE_KEY_LENGTH) throw new OutboxKeyError(`must be at most ${MAX_DEDUPE_KEY_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) throw new OutboxKeyError('must not contain control characters');
}

/**
 * Writes an outbox event in the caller's transaction. Returns the new row's id, or null
 * when an event with the same dedupe key already exists (the first one wins).
 */
export async function enqueueOutbox(tx: DbOrTx, event: OutboxEvent): Promise<number | null> {
  checkDedupeKey(event.dedupeKey);
  const rows = await insertOutboxRows(tx, [{
    topic: event.topic,
    dedupeKey: event.dedupeKey,
    payload: event.payload,
    ...(event.availableAt ? { availableAt: event.availableAt } : {}),
    ...(event.settled ? { dispatchedAt: OUTBOX_DAY, completedAt: OUTBOX_DAY } : {}),
  }]);
  return rows[0]?.id ?? null;
}

/** Several rows in one statement; returns those written (rows whose key exists are skipped). */
export async function enqueueOutboxMany(tx: DbOrTx, events: readonly OutboxEvent[]): Promise<Array<{ id: number; dedupeKey: string }>> {
  if (events.length === 0) return [];
  for (const event of events) checkDedupeKey(event.dedupeKey);
  return insertOutboxRows(tx, events.map((event) => ({
    topic: event.topic,
    dedupeKey: event.dedupeKey,
    payload: event.payload,
    // Every row names its time: a multi-row insert cannot leave one to the column default.
    availableAt: event.availableAt ?? OUTBOX_DAY,
    ...(event.settled ? { dispatchedAt: OUTBOX_DAY, completedAt: OUTBOX_DAY } : {}),
  })));
}

type NewOutboxRow = Pick<typeof outbox.$inferInsert, 'topic' | 'dedupeKey' | 'payload'> & {
  availableAt?: Date | SQL;
  dispatchedAt?: SQL;
  completedAt?: SQL;
};

const insertOutboxRows = reusableInsert('insert_outbox', (db, rows: NewOutboxRow[]) => db.insert(outbox).values(rows)
  .onConflictDoNothing({ target: outbox.dedupeKey })
  .returning({ id: outbox.id, dedupeKey: outbox.dedupeKey }));

/**
 * Marks up to `limit` due, undispatched rows of the given topics dispatched and returns them,
 * in one statement. The caller adds their jobs to Redis before its transaction commits: if
 * that fails, the rollback leaves the rows pending. SKIP LOCKED lets several relays run side
 * by side: each row is claimed by one of them until its transaction ends.
 */
export async function claimPendingOutbox(tx: DbOrTx, opts: { topics: readonly string[]; limit: number }): Promise<ClaimedOutboxRow[]> {
  if (opts.topics.length === 0) return [];
  const rows = await claimDueRows(tx, { topics: [...opts.topics], limit: opts.limit });
  // Oldest due first, as claimed (RETURNING keeps no order of its own).
  return rows.sort((a, b) => a.availableAt.getTime() - b.availableAt.getTime() || a.id - b.id)
    .map(({ availableAt: _, ...row }) => row);
}

const claimDueRows = reusable((db) => {
  const due = db.select({ id: outbox.id }).from(outbox)
    .where(and(isNull(outbox.dispatchedAt), lte(outbox.availableAt, sql`now()`), sql`${outbox.topic} = ANY(${sql.placeholder('topics')}::text[])`))
    // Oldest due first, in the order of the outbox_due index (rows written at once share their day).
    .orderBy(asc(outbox.availableAt), asc(outbox.id))
    .limit(sql.placeholder('limit'))
    .for('update', { skipLocked: true });
  return db.update(outbox).set({ dispatchedAt: OUTBOX_DAY }).where(inArray(outbox.id, due))
    .returning({
      id: outbox.id, topic: outbox.topic, dedupeKey: outbox.dedupeKey, payload: outbox.payload, completedAt: outbox.completedAt,
      availableAt: outbox.availableAt,
    })
    .prepare('claim_pending_outbox');
});

/** Milliseconds until the next undispatched row of these topics falls due, or null if none waits. */
export async function msUntilNextOutboxDue(db: DbOrTx, topics: readonly string[]): Promise<number | null> {
  if (topics.length === 0) return null;
  // Computed in the database so the relay's clock never matters.
  const rows = await db
    .select({ ms: sql<string | null>`ceil(extract(epoch from (min(${outbox.availableAt}) - now())) * 1000)` })
    .from(outbox)
    .where(and(isNull(outbox.dispatchedAt), gt(outbox.availableAt, sql`now()`), inArray(outbox.topic, [...topics])));
  const ms = rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(0, Number(ms));
}

/**
 * Claims one row for the job that handles it, in the job's transaction: marks it completed
 * and so locks it until commit. A concurrent run of the same job waits here and then finds it
 * completed (or, if the first rolled back, claims it). True when this run claimed it.
 */
export async function claimOutboxRow(tx: DbOrTx, id: number, dedupeKey: string): Promise<boolean> {
  const rows = await updateClaimed(tx, { id, dedupeKey });
  return rows.length > 0;
}

const updateClaimed = reusable((db) => db
  .update(outbox)
  .set({ completedAt: OUTBOX_DAY, attempts: sql`${outbox.attempts} + 1` })
  .where(and(eq(outbox.id, sql.placeholder('id')), eq(outbox.dedupeKey, sql.placeholder('dedupeKey')), isNull(outbox.completedAt)))
  .returning({ id: outbox.id })
  .prepare('claim_outbox_row'));

export async function getOutboxState(db: DbOrTx, id: number): Promise<{ dedupeKey: string; completedAt: Date | null } | undefined> {
  const rows = await selectOutboxState(db, { id });
  return rows[0];
}

const selectOutboxState = reusable((db) => db
  .select({ dedupeKey: outbox.dedupeKey, completedAt: outbox.completedAt })
  .from(outbox)
  .where(eq(outbox.id, sql.placeholder('id')))
  .limit(1)
  .prepare('get_outbox_state'));

/** Marks a row completed; a no-op when it already is, so a second run changes nothing. */
export async function markOutboxCompleted(tx: DbOrTx, id: number): Promise<boolean> {
  const rows = await tx
    .update(outbox)
    .set({ completedAt: OUTBOX_DAY, attempts: sql`${outbox.attempts} + 1` })
    .where(and(eq(outbox.id, id), isNull(outbox.completedAt)))
    .returning({ id: outbox.id });
  return rows.length > 0;
}

/** Records a failed run. The message is the error's, never the payload. */
export async function recordOutboxFailure(db: DbOrTx, id: number, message: string): Promise<void> {
  await db
    .update(outbox)
    .set({ attempts: sql`${outbox.attempts} + 1`, lastError: message.slice(0, MAX_ERROR_LENGTH) })
    .where(and(eq(outbox.id, id), isNull(outbox.completedAt)));
}

/**
 * Hands rows back to the relay: their writer marked them dispatched but could not put their
 * jobs in Redis. The relay is woken (the insert trigger fired for none of them).
 */
export async function releaseDispatchedOutbox(db: DbOrTx, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db.execute<{ released: number }>(sql`
    WITH released AS (
      UPDATE ${outbox} SET dispatched_at = NULL
      WHERE ${inArray(outbox.id, [...ids])} AND ${outbox.completedAt} IS NULL
      RETURNING 1
    )
    SELECT count(*)::int AS released, pg_notify('outbox', '') FROM released`);
  return rows[0]?.released ?? 0;
}

/** Rows handed to BullMQ whose job has not finished: what the reconciler checks against Redis. */
export async function listDispatchedUnfinished(db: DbOrTx, opts: { afterId: number; limit: number }): Promise<UnfinishedOutboxRow[]> {
  return db
    .select({ id: outbox.id, topic: outbox.topic, dedupeKey: outbox.dedupeKey, payload: outbox.payload })
    .from(outbox)
    .where(and(isNotNull(outbox.dispatchedAt), isNull(outbox.completedAt), gt(outbox.id, opts.afterId)))
    .orderBy(asc(outbox.id))
    .limit(opts.limit);
}

/** Undispatched rows whose topic no registered job consumes: they would wait forever. */
export async function countUnroutableOutbox(db: DbOrTx, topics: readonly string[]): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(outbox)
    .where(topics.length === 0 ? isNull(outbox.dispatchedAt) : and(isNull(outbox.dispatchedAt), notInArray(outbox.topic, [...topics])));
  return rows[0]?.n ?? 0;
}
