// Deadlines on the real services: escalation at due, a paused clock, losing Redis, and
// several workers racing over the same events.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../server/db/client.ts';
import { createDatabase } from '../../server/db/client.ts';
import { localDateOf, addCalendarDays } from '../../server/domain/calendar.ts';
import { enqueueOutbox } from '../../server/repositories/outbox.repository.ts';
import { applyTransition } from '../../server/services/case-transition.service.ts';
import { auditLog, outbox } from '../../drizzle/schema/index.ts';
import { jobIdFor } from '../../workers/job-definition.ts';
import { createJobProcessor } from '../../workers/job-runner.ts';
import { createWorkerLogger } from '../../workers/logger.ts';
import { jobs } from '../../workers/registry.ts';
import { deleteRedisPrefix } from '../support/cleanup.ts';
import { acceptCase, setBodyLead, submitCase, type WorkflowWorld } from '../factories/case.ts';
import {
  caseDeadlines, caseOutbox, caseRow, caseTimeline, notificationsFor, waitFor, workflowSuite, type Harness,
} from './workflow-support.ts';

const daysAgo = (n: number): string => addCalendarDays(localDateOf(new Date()), -n);

describe('deadlines', () => {
  let database: Database;
  let h: Harness;
  let world: WorkflowWorld;

  workflowSuite((s) => ({ database, h, world } = s));

  it('escalates at due: the case is overdue, the timeline and the audit log say so, and the body lead is told', async () => {
    const db = database.db;
    await setBodyLead(db, world.bodies.districtFront, world.staff.districtReviewer2);
    const c = h.config();
    await h.start(c);
    // Received a month ago: the triage clock ran out long since.
    const submitted = await submitCase(db, world, { receivedOn: daysAgo(30) });
    await waitFor('the escalation', async () => (await caseRow(db, submitted.id))?.overdue === true);

    const [deadline] = await caseDeadlines(db, submitted.id);
    expect(deadline?.escalatedAt).not.toBeNull();
    const overdue = (await caseTimeline(db, submitted.id)).filter((e) => e.kind === 'deadline.overdue');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]?.isPublic).toBe(true);
    expect(overdue[0]?.detail).toMatchObject({ deadlineId: deadline?.id, deadlineKind: 'triage', dueOn: deadline?.dueOn });
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.action, 'case.deadline_escalated'), eq(auditLog.resourceId, submitted.id)));
    expect(audit).toHaveLength(1);
    await waitFor('the lead notification', async () => (await notificationsFor(db, submitted.publicRef)).some((n) => n.kind === 'deadline.overdue.triage'));
    const escalations = (await notificationsFor(db, submitted.publicRef)).filter((n) => n.kind === 'deadline.overdue.triage');
    expect(escalations.map((n) => n.staffId)).toEqual([world.staff.districtReviewer2]);
    await setBodyLead(db, world.bodies.districtFront, null);
  });

  it('a paused case does not escalate, while the same case not paused does', async () => {
    const db = database.db;
    const lead = { kind: 'staff', role: 'inspection_lead', staffId: world.staff.districtLead } as const;
    const paused = await submitCase(db, world, { hasSignedPetition: true });
    const running = await submitCase(db, world, { hasSignedPetition: true });
    // Accepted 40 days ago: the 30-day resolution time has run out for both.
    await acceptCase(db, world, paused.id, 40);
    await acceptCase(db, world, running.id, 40);
    await applyTransition(db, { caseId: paused.id, actor: lead, transition: 'pause', params: { reasonCode: 'awaiting_other_body' } });
    const [resolution] = (await caseDeadlines(db, paused.id)).filter((d) => d.kind === 'resolution');
    expect(resolution?.pausedSince).toBe(localDateOf(new Date()));

    const c = h.config();
    await h.start(c);
    await waitFor('the running case to escalate', async () => (await caseRow(db, running.id))?.overdue === true);
    const escalationRows = (await caseOutbox(db, paused.id, ['deadline.due'])).filter((r) => (r.payload as { kind: string }).kind === 'resolution');
    expect(escalationRows).toHaveLength(1);
    await waitFor('the paused case\'s escalation job to run', async () =>
      (await db.select().from(outbox).where(eq(outbox.id, escalationRows[0]!.id)))[0]?.completedAt != null);
    expect((await caseRow(db, paused.id))?.overdue).toBe(false);
    expect((await caseTimeline(db, paused.id)).some((e) => e.kind === 'deadline.overdue')).toBe(false);
    expect((await caseDeadlines(db, paused.id)).find((d) => d.kind === 'resolution')?.escalatedAt).toBeNull();
    expect((await notificationsFor(db, running.publicRef)).filter((n) => n.kind === 'deadline.overdue.resolution').map((n) => n.staffId))
      .toEqual([world.staff.districtLead]);
  });

  it('after the run\'s Redis keys are deleted, one reconciler pass restores every pending job and delayed deadline', async () => {
    const db = database.db;
    const c = h.config();
    const first = await h.start(c);
    const submitted = await submitCase(db, world);
    await waitFor('routing', async () => (await caseDeadlines(db, submitted.id)).length === 1);
    const [escalation] = await caseOutbox(db, submitted.id, ['deadline.due']);
    const escalationId = jobIdFor(escalation!.dedupeKey);
    await waitFor('the delayed job', async () => (await first.queues.get('{deadline-escalation}')!.getJob(escalationId)) !== undefined);
    // A relayed job that no worker has run yet: its queue is paused.
    await first.queues.get('{reporter-activity}')!.pause();
    const activityKey = `case/${submitted.id}/evidence/${randomUUID()}`;
    await db.transaction((tx) => enqueueOutbox(tx, { topic: 'case.evidence_added', dedupeKey: activityKey, payload: { caseId: submitted.id, attachmentId: randomUUID() } }));
    await waitFor('the relay to dispatch it', async () => (await db.select().from(outbox).where(eq(outbox.dedupeKey, activityKey)))[0]?.dispatchedAt != null);
    await h.cleanup();

    // Prefix-scoped: only this run's keys (never FLUSHALL on a shared Redis).
    await deleteRedisPrefix(h.redis, `${c.redisPrefix}:`);
    expect(await h.redis.keys(`${c.redisPrefix}:*`)).toEqual([]);
    const second = await h.start(c, { reconcileOnStart: false });
    const report = await second.reconciler.runOnce();
    expect(report.reEnqueued).toBeGreaterThanOrEqual(1);
    expect(report.steps.find((s) => s.name === 'deadline-jobs')).toMatchObject({ ok: true });
    expect(report.steps.find((s) => s.name === 'deadline-jobs')!.reEnqueued).toBeGreaterThanOrEqual(1);
    const restored = await second.queues.get('{deadline-escalation}')!.getJob(escalationId);
    expect(await restored?.isDelayed()).toBe(true);
    expect(Math.abs(restored!.timestamp + (restored!.opts.delay ?? 0) - escalation!.availableAt.getTime())).toBeLessThan(5_000);
    await waitFor('the re-enqueued activity job to complete', async () =>
      (await db.select().from(outbox).where(eq(outbox.dedupeKey, activityKey)))[0]?.completedAt != null);
    // A second pass finds nothing missing.
    const again = await second.reconciler.runOnce();
    expect(again.steps.find((s) => s.name === 'deadline-jobs')!.reEnqueued).toBe(0);
  });

  it('two workers on separate connection pools racing over the same events route, escalate and notify once', async () => {
    const db = database.db;
    await setBodyLead(db, world.bodies.districtFront, world.staff.districtReviewer);
    const c = h.config();
    const otherDb = createDatabase(c.databaseUrl, { max: 5 });
    try {
      // First a race on one event no worker has touched yet: its outbox row run at once by
      // two processors on two pools, as two worker processes would when both took it.
      const raced = await submitCase(db, world, { receivedOn: daysAgo(0) });
      const [row] = await caseOutbox(db, raced.id, ['case.received']);
      expect(row?.completedAt).toBeNull();
      const def = jobs.find((j) => j.name === 'route-case')!;
      const run = (database: Database) => createJobProcessor(def, { database, config: c, log: createWorkerLogger(c), queues: new Map() });
      const job = { id: 'x', name: 'case.received', attemptsMade: 0, opts: {}, data: { outboxId: row!.id, dedupeKey: row!.dedupeKey, payload: row!.payload } };
      const outcomes = await Promise.all([run(database)(job as never), run({ ...database, ...otherDb })(job as never)]);
      // One routed it; the other found the work done.
      expect(outcomes.map((o) => o.status).sort()).toEqual(['already-completed', 'completed']);
      expect((await caseOutbox(db, raced.id, ['case.received']))[0]?.completedAt).not.toBeNull();

      await h.start(c);
      await h.start(c, { database: otherDb });
      const cases = await Promise.all(Array.from({ length: 12 }, (_, i) => submitCase(db, world, { receivedOn: daysAgo(i % 2 === 0 ? 0 : 30) })));
      await waitFor('every case routed', async () => (await Promise.all(cases.map((s) => caseDeadlines(db, s.id)))).every((d) => d.length === 1), 20_000);
      await waitFor('every late case escalated', async () =>
        (await Promise.all(cases.filter((_, i) => i % 2 === 1).map((s) => caseRow(db, s.id)))).every((r) => r?.overdue === true), 20_000);

      for (const [i, s] of [...cases, raced].entries()) {
        const notes = await notificationsFor(db, s.publicRef);
        expect(notes.filter((n) => n.kind === 'case.routed')).toHaveLength(3);
        expect(notes.filter((n) => n.kind === 'deadline.overdue.triage')).toHaveLength(i % 2);
        const timeline = await caseTimeline(db, s.id);
        expect(timeline.filter((e) => e.kind === 'case.routed')).toHaveLength(1);
        expect(timeline.filter((e) => e.kind === 'deadline.overdue')).toHaveLength(i % 2);
        expect(timeline.filter((e) => e.kind === 'case.start_triage')).toHaveLength(1);
      }
    } finally {
      await h.cleanup();
      await otherDb.close();
      await setBodyLead(db, world.bodies.districtFront, null);
    }
  });
});
