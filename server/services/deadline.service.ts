// Applies a transition's deadline effects to the deadlines table, in the caller's
// transaction, and writes the outbox rows for each running deadline's reminder and
// escalation jobs (available at their fire time, so Postgres alone could run them late).
import type { DbOrTx, Tx } from '../db/client.ts';
import { compareDates, createCalendar, type Calendar, type IsoDate } from '../domain/calendar.ts';
import type { DeadlineEffect } from '../domain/case-lifecycle.ts';
import {
  DEFAULT_DEADLINE_POLICY, computeDueDate, extendDeadline, pauseDeadline, resolveDeadlinePolicy, resumeDeadline, startDeadline,
  type DeadlinePolicy, type DeadlinePolicyOverrides,
} from '../domain/deadlines.ts';
import { AppError } from '../domain/errors.ts';
import type { Complexity, DeadlineKind } from '../domain/vocabulary.ts';
import {
  findBodyDeadlineOverrides, insertDeadline, listCaseDeadlines, lockCaseDeadlines, updateCaseClocks, updateDeadline, type DeadlineRow,
} from '../repositories/deadline.repository.ts';
import { listHolidays } from '../repositories/holiday.repository.ts';
import { enqueueOutboxMany } from '../repositories/outbox.repository.ts';
import { caseClocks, currentDueOn, scheduledDeadlineJobs, toDomainDeadline, type CaseClocks } from './deadline-schedule.ts';

/** The working-day calendar as the administrators keep it in the holidays table. */
// The holiday table changes a few times a year, and every transition, route and deadline job
// needs the calendar: a process keeps it for a short while. This process drops its copy when
// it edits the table (invalidateCalendar); other processes see an edit within CALENDAR_TTL_MS.
const CALENDAR_TTL_MS = 2000;
let cachedCalendar: { expires: number; value: Promise<Calendar> } | null = null;

export function loadCalendar(db: DbOrTx): Promise<Calendar> {
  if (cachedCalendar && cachedCalendar.expires > Date.now()) return cachedCalendar.value;
  const value = listHolidays(db).then((rows) => createCalendar({
    holidays: rows.filter((r) => !r.isWorkingDay).map((r) => r.day),
    makeUpWorkingDays: rows.filter((r) => r.isWorkingDay).map((r) => r.day),
  }));
  const entry = { expires: Date.now() + CALENDAR_TTL_MS, value };
  cachedCalendar = entry;
  value.catch(() => {
    if (cachedCalendar === entry) cachedCalendar = null;
  });
  return value;
}

export function invalidateCalendar(): void {
  cachedCalendar = null;
}

// A body's overrides change as rarely as the holidays (no screen edits them yet; one that
// does should drop this copy as the holiday screen drops the calendar's): each process keeps
// a body's policy for as long as it keeps the calendar.
const cachedPolicies = new Map<string, { expires: number; value: Promise<DeadlinePolicy> }>();

/** A body's deadline policy; a body without overrides (or with unusable ones) keeps the law's defaults. */
export function loadDeadlinePolicy(db: DbOrTx, bodyId: string | null): Promise<DeadlinePolicy> {
  if (bodyId === null) return Promise.resolve(DEFAULT_DEADLINE_POLICY);
  const cached = cachedPolicies.get(bodyId);
  if (cached && cached.expires > Date.now()) return cached.value;
  const value = readDeadlinePolicy(db, bodyId);
  const entry = { expires: Date.now() + CALENDAR_TTL_MS, value };
  cachedPolicies.set(bodyId, entry);
  value.catch(() => {
    if (cachedPolicies.get(bodyId) === entry) cachedPolicies.delete(bodyId);
  });
  return value;
}

async function readDeadlinePolicy(db: DbOrTx, bodyId: string): Promise<DeadlinePolicy> {
  const overrides = await findBodyDeadlineOverrides(db, bodyId);
  if (overrides === null || typeof overrides !== 'object') return DEFAULT_DEADLINE_POLICY;
  try {
    return resolveDeadlinePolicy(overrides as DeadlinePolicyOverrides);
  } catch {
    // A bad override must not block the case: the statutory defaults always apply.
    return DEFAULT_DEADLINE_POLICY;
  }
}

export type DeadlineContext = {
  caseId: string;
  receivedOn: IsoDate;
  today: IsoDate;
  now: Date;
  calendar: Calendar;
  /** The body whose clock a started deadline is (the handling body, or the referral target). */
  bodyId: string | null;
  /** Checks span several places: the longer triage period applies. */
  isMultiSite?: boolean;
  /** For 'extend': the recorded decision and the case's complexity after the transition. */
  extension?: { decisionRef: string; complexity: Complexity; amount?: number };
  /** Receives the deadline job rows written, for a caller that puts them in Redis itself after commit. */
  written?: WrittenDeadlineJob[];
  /**
   * When given, the case's clock columns are handed here instead of written: the caller updates
   * the case row next and writes them in that update (one write of the row, not two).
   */
  onCaseClocks?: (clocks: CaseClocks) => void;
};

/** An outbox row of a deadline job, as written: what its delayed BullMQ job carries. */
export type WrittenDeadlineJob = { outboxId: number; topic: string; dedupeKey: string; payload: Record<string, unknown>; availableAt: Date };

export type DeadlineChange = { deadlineId: string; kind: DeadlineKind; op: DeadlineEffect['op']; dueOn: IsoDate | null };

/** Writes the outbox rows of a running deadline's jobs; rows that exist already are kept. */
export async function writeDeadlineJobs(
  tx: DbOrTx, row: DeadlineRow, calendar: Calendar, policy: DeadlinePolicy, now: Date, written?: WrittenDeadlineJob[],
): Promise<number> {
  const jobs = scheduledDeadlineJobs(row, calendar, policy, now);
  const inserted = await enqueueOutboxMany(tx, jobs.map((job) => ({ topic: job.topic, dedupeKey: job.dedupeKey, payload: job.payload, availableAt: job.fireAt })));
  const idOf = new Map(inserted.map((r) => [r.dedupeKey, r.id]));
  for (const job of jobs) {
    const id = idOf.get(job.dedupeKey);
    if (id !== undefined) written?.push({ outboxId: id, topic: job.topic, dedupeKey: job.dedupeKey, payload: job.payload, availableAt: job.fireAt });
  }
  return inserted.length;
}

/**
 * Brings the case's clock columns in step with its deadlines, for a path that changed one
 * deadline (escalation, the reconciler) without the others in hand.
 */
export async function refreshCaseClocks(tx: DbOrTx, caseId: string): Promise<void> {
  await updateCaseClocks(tx, caseId, caseClocks(await listCaseDeadlines(tx, caseId)));
}

/**
 * Applies the effects in order. A stopped or paused deadline keeps the jobs it had: they run,
 * find the clock changed, and do nothing; a changed due date gives new job ids.
 */
export async function applyDeadlineEffects(tx: Tx, effects: readonly DeadlineEffect[], ctx: DeadlineContext): Promise<DeadlineChange[]> {
  if (effects.length === 0) return [];
  const policyOf = (bodyId: string | null): Promise<DeadlinePolicy> => loadDeadlinePolicy(tx, bodyId);
  const rows = await lockCaseDeadlines(tx, ctx.caseId);
  const openOf = (kind: DeadlineKind): DeadlineRow | undefined => rows.find((r) => r.kind === kind && r.state === 'open');
  const changes: DeadlineChange[] = [];
  const touched = new Set<DeadlineRow>();

  for (const effect of effects) {
    const open = openOf(effect.kind);
    if (effect.op === 'start') {
      if (open) continue; // already running: a repeated start changes nothing
      const policy = await policyOf(ctx.bodyId);
      const startedOn = effect.anchor === 'received' ? ctx.receivedOn : ctx.today;
      const d = startDeadline(effect.kind, startedOn, policy, { multiSite: ctx.isMultiSite === true });
      const row = await insertDeadline(tx, {
        caseId: ctx.caseId, bodyId: ctx.bodyId, kind: d.kind, unit: d.unit, amount: d.amount, startedOn: d.startedOn,
        dueOn: dueOrThrow(computeDueDate(d, ctx.calendar)),
        pausedSince: null, pauses: [], extensionLog: [],
      });
      rows.push(row);
      touched.add(row);
      changes.push({ deadlineId: row.id, kind: row.kind, op: 'start', dueOn: row.dueOn });
      continue;
    }
    // Stopping, pausing or extending a clock that is not running is nothing to do; the
    // state machine has already decided the move is allowed.
    if (!open) continue;
    const domain = toDomainDeadline(open);
    switch (effect.op) {
      case 'stop': {
        const due = currentDueOn(open, ctx.calendar);
        const state = due !== null && compareDates(ctx.today, due) > 0 ? 'missed' : 'met';
        await updateDeadline(tx, open.id, { state, closedAt: ctx.now });
        open.state = state;
        changes.push({ deadlineId: open.id, kind: open.kind, op: 'stop', dueOn: due });
        break;
      }
      case 'pause': {
        if (open.pausedSince !== null) break;
        pauseDeadline(domain, ctx.today);
        open.pausedSince = ctx.today;
        await updateDeadline(tx, open.id, { pausedSince: ctx.today });
        changes.push({ deadlineId: open.id, kind: open.kind, op: 'pause', dueOn: null });
        break;
      }
      case 'resume': {
        if (open.pausedSince === null) break;
        const resumed = resumeDeadline(domain, ctx.today);
        open.pauses = resumed.pauses.map((p) => ({ from: p.from, to: p.to ?? ctx.today }));
        open.pausedSince = null;
        open.dueOn = dueOrThrow(currentDueOn(open, ctx.calendar));
        await updateDeadline(tx, open.id, { pauses: open.pauses, pausedSince: null, dueOn: open.dueOn });
        touched.add(open);
        changes.push({ deadlineId: open.id, kind: open.kind, op: 'resume', dueOn: open.dueOn });
        break;
      }
      case 'extend': {
        if (!ctx.extension) throw new AppError('VALIDATION_FAILED', 'An extension needs its decision.');
        const policy = await policyOf(open.bodyId);
        const amount = ctx.extension.amount ?? policy.rules[open.kind].extensionAmount ?? 0;
        const extended = extendDeadline(domain, { amount, decidedOn: ctx.today, decisionRef: ctx.extension.decisionRef }, ctx.extension.complexity, ctx.calendar, policy);
        open.extensionLog = [...extended.extensions];
        const due = currentDueOn(open, ctx.calendar);
        if (due !== null) open.dueOn = due;
        await updateDeadline(tx, open.id, { extensionLog: open.extensionLog, dueOn: open.dueOn });
        touched.add(open);
        changes.push({ deadlineId: open.id, kind: open.kind, op: 'extend', dueOn: due });
        break;
      }
    }
  }
  for (const row of touched) {
    if (row.state === 'open') await writeDeadlineJobs(tx, row, ctx.calendar, await policyOf(row.bodyId), ctx.now, ctx.written);
  }
  // From the rows this transaction holds locked, as the effects left them.
  const clocks = caseClocks(rows);
  if (ctx.onCaseClocks) ctx.onCaseClocks(clocks);
  else await updateCaseClocks(tx, ctx.caseId, clocks);
  return changes;
}

function dueOrThrow(due: IsoDate | null): IsoDate {
  if (due === null) throw new AppError('INTERNAL', 'A running deadline has no due date.');
  return due;
}
