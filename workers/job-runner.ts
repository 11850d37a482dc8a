// Wraps a JobDefinition's handler as a BullMQ processor: validates on dequeue, skips work
// already done, gives the handler its context, and keeps the outbox row's bookkeeping.
import { UnrecoverableError } from 'bullmq';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Logger } from 'pino';
import type { Config } from '../server/config.ts';
import type { Database, Tx } from '../server/db/client.ts';
import {
  claimOutboxRow, getOutboxState, markOutboxCompleted, recordOutboxFailure,
} from '../server/repositories/outbox.repository.ts';
import { appendHeldAudits, holdAudits } from '../server/services/audit.service.ts';
import { errorText, safeError } from './errors.ts';
import type { JobContext, JobDefinition, OutboxJob, Queues, RunOnceResult } from './job-definition.ts';
import { createTransactionGroup } from './transaction-group.ts';

export type JobRunnerDeps = {
  database: Pick<Database, 'db' | 'sql'>;
  config: Config;
  log: Logger;
  queues: Queues;
};

/** What BullMQ stores as the return value: a status, never handler output. */
export type JobOutcome = { status: 'completed' | 'already-completed' | 'no-outbox-row' };

const Envelope = Compile(Type.Object({
  outboxId: Type.Integer({ minimum: 1 }),
  dedupeKey: Type.String({ minLength: 1 }),
  payload: Type.Unknown(),
}));

function describeErrors(errors: ReadonlyArray<{ instancePath: string; message: string }>): string {
  // Paths and rule messages only: the offending value is never echoed.
  return errors.slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
}

export function createJobProcessor(definition: JobDefinition, deps: JobRunnerDeps): (job: OutboxJob) => Promise<JobOutcome> {
  const payloadValidator = Compile(definition.payload);
  const { db, sql } = deps.database;
  // A shared transaction appends its members' audit entries once, after all of them.
  const group = definition.groupCommit
    ? createTransactionGroup(db, { ...definition.groupCommit, onBegin: holdAudits, beforeCommit: appendHeldAudits })
    : null;
  const transaction = <T>(effects: (tx: Tx) => Promise<T>): Promise<T> => (group ? group.run(effects) : db.transaction(effects));

  async function recordFailure(outboxId: number, message: string, log: Logger): Promise<void> {
    try {
      await recordOutboxFailure(db, outboxId, message);
    } catch (err) {
      // Postgres may be what failed; BullMQ still has the reason and will retry.
      log.warn({ err }, 'could not record the failure on the outbox row');
    }
  }

  return async (job) => {
    const log = deps.log.child({ queue: definition.queue, job: definition.name, jobId: job.id, attempt: job.attemptsMade + 1 });
    if (!Envelope.Check(job.data)) {
      throw new UnrecoverableError(`invalid job envelope: ${describeErrors(Envelope.Errors(job.data))}`);
    }
    const { outboxId, dedupeKey, payload } = job.data;
    if (!payloadValidator.Check(payload)) {
      const reason = `invalid payload: ${describeErrors(payloadValidator.Errors(payload))}`;
      await recordFailure(outboxId, reason, log);
      log.error({ reason }, 'job payload failed validation; not retried');
      throw new UnrecoverableError(reason);
    }

    if (!definition.effectsInRunOnce) {
      const state = await getOutboxState(db, outboxId);
      // A different dedupe key means the id now names another row (e.g. a database restored
      // from backup under a Redis that kept its jobs): never complete someone else's row.
      if (!state || state.dedupeKey !== dedupeKey) {
        log.warn('no matching outbox row; job skipped');
        return { status: 'no-outbox-row' };
      }
      if (state.completedAt) {
        log.debug('outbox row already completed; job skipped');
        return { status: 'already-completed' };
      }
    }

    let completedInRunOnce = false;
    let skipped: JobOutcome['status'] | null = null;
    const ctx: JobContext = {
      db,
      sql,
      config: deps.config,
      log,
      queues: deps.queues,
      outbox: Object.freeze({ id: outboxId, topic: job.name, dedupeKey }),
      runOnce: <T>(effects: (tx: Tx) => Promise<T>) =>
        transaction(async (tx): Promise<RunOnceResult<T>> => {
          // Group commit may roll this body back and run it again alone: only the run that
          // commits decides whether the effects were skipped.
          skipped = null;
          // Completed first, in the same transaction as the effects: the row stays locked until
          // commit, and the effects' last write (the audit entry) is the last before it.
          if (!(await claimOutboxRow(tx, outboxId, dedupeKey))) {
            const row = await getOutboxState(tx, outboxId);
            skipped = !row || row.dedupeKey !== dedupeKey ? 'no-outbox-row' : 'already-completed';
            return { ran: false };
          }
          return { ran: true, value: await effects(tx) };
        }).then((result) => {
          completedInRunOnce = true;
          return result;
        }),
    };

    try {
      await definition.handler(ctx, payload, job);
      // Handlers without Postgres effects may skip runOnce; the row is completed here then.
      // After a committed runOnce (done, or found done) there is nothing left to mark.
      if (!completedInRunOnce) await markOutboxCompleted(db, outboxId);
    } catch (err) {
      await recordFailure(outboxId, errorText(err), log);
      log.warn({ err, attemptsLeft: Math.max(0, (job.opts.attempts ?? 1) - job.attemptsMade - 1) }, 'job failed');
      // BullMQ keeps the message and stack in Redis: strip SQL parameters first.
      throw safeError(err);
    }
    if (skipped) {
      log.debug({ skipped }, 'outbox row missing or already completed; effects skipped');
      return { status: skipped };
    }
    log.debug('job completed');
    return { status: 'completed' };
  };
}
