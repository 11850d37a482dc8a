// Routing a received case on the real services: the routing decision on the timeline, triage,
// the triage clock, its delayed escalation job in Redis, and notifications, each once.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { Database } from '../../server/db/client.ts';
import { localDateOf } from '../../server/domain/calendar.ts';
import { computeDueDate, deadlineSchedule, startDeadline } from '../../server/domain/deadlines.ts';
import { loadRoutingSnapshot } from '../../server/repositories/directory.repository.ts';
import { loadCalendar } from '../../server/services/deadline.service.ts';
import { vnInstant } from '../../server/services/deadline-schedule.ts';
import { routeReceivedCase } from '../../server/services/workflow.service.ts';
import { caseBodies } from '../../drizzle/schema/index.ts';
import { jobIdFor } from '../../workers/job-definition.ts';
import { fileCase, submitCase, type WorkflowWorld } from '../factories/case.ts';
import { caseDeadlines, caseOutbox, caseRow, caseTimeline, notificationsFor, waitFor, workflowSuite, type Harness } from './workflow-support.ts';

describe('routing a received case', () => {
  let database: Database;
  let h: Harness;
  let world: WorkflowWorld;

  workflowSuite((s) => ({ database, h, world } = s));

  it('records why, moves the case into triage, starts the 7-working-day clock and schedules its escalation with the right delay', async () => {
    const c = h.config();
    const runtime = await h.start(c);
    const submitted = await submitCase(database.db, world);
    const db = database.db;
    await waitFor('the case to be in triage with its clock', async () => (await caseRow(db, submitted.id))?.state === 'triage'
      && (await caseDeadlines(db, submitted.id)).length === 1);

    const events = await caseTimeline(db, submitted.id);
    const routed = events.find((e) => e.kind === 'case.routed');
    const detail = routed?.detail as { targets: Array<{ bodyId: string; role: string; vi?: string; en?: string }>; flags: string[] };
    expect(detail.targets.map((t) => t.bodyId).sort()).toEqual([world.bodies.districtFront, world.bodies.cityFront].sort());
    expect(detail.targets.every((t) => t.vi?.startsWith('Chuyển đến') && t.en?.startsWith('Routed to'))).toBe(true);
    expect(detail.flags).toEqual(['no_rule_matched']);
    expect(events.filter((e) => e.kind === 'case.start_triage')).toHaveLength(1);
    expect(events.find((e) => e.kind === 'case.start_triage')?.isPublic).toBe(true);
    // The move into triage is the routing job's own follow-up, handled in its transaction:
    // its outbox row is recorded completed and no second job is queued for it.
    const [triaged] = await caseOutbox(db, submitted.id, ['case.transitioned']);
    expect(triaged).toMatchObject({ dedupeKey: `case/${submitted.id}/start_triage/v1` });
    expect(triaged?.completedAt).not.toBeNull();
    expect(triaged?.dispatchedAt).not.toBeNull();
    expect(await runtime.queues.get('{case-transitioned}')!.getJob(jobIdFor(triaged!.dedupeKey))).toBeUndefined();

    // Only the city desk was added, to settle the route: one place checks, so 7 working days.
    const calendar = await loadCalendar(db);
    const [deadline] = await caseDeadlines(db, submitted.id);
    const expectedDue = computeDueDate(startDeadline('triage', submitted.receivedOn), calendar);
    expect(deadline).toMatchObject({ kind: 'triage', unit: 'working', amount: 7, state: 'open', bodyId: world.bodies.districtFront, dueOn: expectedDue });
    expect((await caseRow(db, submitted.id))?.nextDueOn).toBe(expectedDue);

    const schedule = deadlineSchedule(startDeadline('triage', submitted.receivedOn), calendar)!;
    const key = `deadline/${deadline!.id}/escalation/${schedule.dueOn}`;
    const queue = runtime.queues.get('{deadline-escalation}')!;
    await waitFor('the delayed escalation job', async () => (await queue.getJob(jobIdFor(key))) !== undefined);
    const job = (await queue.getJob(jobIdFor(key)))!;
    expect(await job.isDelayed()).toBe(true);
    const fireAt = vnInstant(schedule.escalateOn).getTime();
    expect(Math.abs(job.timestamp + (job.opts.delay ?? 0) - fireAt)).toBeLessThan(5_000);
    expect(job.data.payload).toMatchObject({ deadlineId: deadline!.id, dueOn: schedule.dueOn, kind: 'triage' });
    const reminders = await caseOutbox(db, submitted.id, ['deadline.reminder']);
    expect(reminders.map((r) => r.dedupeKey)).toEqual(
      schedule.reminders.filter((d) => vnInstant(d, 8).getTime() > Date.now()).map((d) => `deadline/${deadline!.id}/reminder/${schedule.dueOn}/${d}`),
    );

    // The staff who handle cases at both bodies hear of it, each once; the administrator does not.
    await waitFor('notifications', async () => (await notificationsFor(db, submitted.publicRef)).length === 3);
    const told = (await notificationsFor(db, submitted.publicRef)).map((n) => n.staffId).sort();
    expect(told).toEqual([world.staff.districtReviewer, world.staff.districtReviewer2, world.staff.cityReviewer].sort());
  });

  it('routes a case filed by the web intake\'s one-statement filing the same way', async () => {
    const runtime = await h.start(h.config());
    const filed = await fileCase(database, world, await loadRoutingSnapshot(database.db));
    const db = database.db;
    await waitFor('the filed case to be in triage with its clock', async () => (await caseRow(db, filed.id))?.state === 'triage'
      && (await caseDeadlines(db, filed.id)).length === 1);
    expect((await caseTimeline(db, filed.id)).map((e) => e.kind)).toEqual(expect.arrayContaining(['case.submit', 'case.routed', 'case.start_triage']));
    await waitFor('notifications', async () => (await notificationsFor(db, filed.publicRef)).length === 3);
    const [deadline] = await caseDeadlines(db, filed.id);
    const escalation = (await caseOutbox(db, filed.id, ['deadline.due']))[0];
    expect(escalation?.dedupeKey).toContain(`deadline/${deadline!.id}/escalation/`);
    expect(await runtime.queues.get('{deadline-escalation}')!.getJob(jobIdFor(escalation!.dedupeKey))).toBeDefined();
  });

  it('routing the same case again adds no body, event, clock or notification', async () => {
    const c = h.config();
    await h.start(c);
    const submitted = await submitCase(database.db, world, { receivedOn: localDateOf(new Date()) });
    const db = database.db;
    await waitFor('routing', async () => (await caseDeadlines(db, submitted.id)).length === 1);
    await waitFor('notifications', async () => (await notificationsFor(db, submitted.publicRef)).length === 3);
    const before = {
      bodies: await db.select().from(caseBodies).where(eq(caseBodies.caseId, submitted.id)),
      events: await caseTimeline(db, submitted.id),
    };
    const routing = await loadRoutingSnapshot(db);
    // The job body run twice more, outside runOnce: every effect is keyed, so nothing doubles.
    for (let i = 0; i < 2; i++) {
      await db.transaction((tx) => routeReceivedCase(tx, { config: c, routing }, submitted.id));
    }
    expect(await db.select().from(caseBodies).where(eq(caseBodies.caseId, submitted.id))).toHaveLength(before.bodies.length);
    expect(await caseTimeline(db, submitted.id)).toHaveLength(before.events.length);
    expect(await caseDeadlines(db, submitted.id)).toHaveLength(1);
    expect(await notificationsFor(db, submitted.publicRef)).toHaveLength(3);
    expect((await caseRow(db, submitted.id))?.state).toBe('triage');
  });
});
