// Deadline reminders firing on the real services, and a holiday added by an administrator
// moving a running deadline. "Time passes" by promoting the delayed BullMQ job: the job
// that runs is the one routing scheduled, with the payload it was given.
import { describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/client.ts';
import { addCalendarDays, isWorkingDay } from '../../server/domain/calendar.ts';
import { computeDueDate, startDeadline } from '../../server/domain/deadlines.ts';
import type { Actor } from '../../server/domain/policy.ts';
import { applyTransition } from '../../server/services/case-transition.service.ts';
import { loadCalendar } from '../../server/services/deadline.service.ts';
import { putHoliday, removeHoliday } from '../../server/services/holiday-admin.service.ts';
import { jobIdFor } from '../../workers/job-definition.ts';
import { createJobProcessor } from '../../workers/job-runner.ts';
import { createWorkerLogger } from '../../workers/logger.ts';
import { jobs } from '../../workers/registry.ts';
import { submitCase, type WorkflowWorld } from '../factories/case.ts';
import { caseDeadlines, caseOutbox, notificationsFor, waitFor, workflowSuite, type Harness } from './workflow-support.ts';

describe('deadline reminders and the holiday calendar', () => {
  let database: Database;
  let h: Harness;
  let world: WorkflowWorld;

  workflowSuite((s) => ({ database, h, world } = s));

  const reminded = async (caseRef: string) =>
    (await notificationsFor(database.db, caseRef)).filter((n) => n.kind === 'deadline.reminder.triage').map((n) => n.staffId).sort();

  it('reminds the desk handling the case before its triage deadline, once', async () => {
    const db = database.db;
    const c = h.config();
    const runtime = await h.start(c);
    const s = await submitCase(db, world);
    await waitFor('the triage clock', async () => (await caseDeadlines(db, s.id)).length === 1);
    const [reminder] = await caseOutbox(db, s.id, ['deadline.reminder']);
    expect(reminder).toBeDefined();
    const queue = runtime.queues.get('{deadline-reminder}')!;
    await waitFor('the delayed reminder job', async () => (await queue.getJob(jobIdFor(reminder!.dedupeKey))) !== undefined);
    const job = (await queue.getJob(jobIdFor(reminder!.dedupeKey)))!;
    expect(await job.isDelayed()).toBe(true);
    expect(await reminded(s.publicRef)).toEqual([]);

    await job.promote();
    await waitFor('the reminder', async () => (await reminded(s.publicRef)).length > 0);
    // The intake desk the case sits at (its two reviewers), not the city desk routing also added.
    expect(await reminded(s.publicRef)).toEqual([world.staff.districtReviewer, world.staff.districtReviewer2].sort());
    expect((await caseDeadlines(db, s.id))[0]?.remindedAt).not.toBeNull();

    // The same job again (a second worker, a retry): nothing more.
    const run = createJobProcessor(jobs.find((j) => j.name === 'deadline-reminder')!, { database, config: c, log: createWorkerLogger(c), queues: new Map() });
    expect(await run({ id: 'again', name: reminder!.topic, attemptsMade: 0, opts: {}, data: job.data } as never)).toEqual({ status: 'already-completed' });
    expect(await reminded(s.publicRef)).toHaveLength(2);
  });

  it('a reminder for a clock that has stopped tells no one', async () => {
    const db = database.db;
    const runtime = await h.start(h.config());
    const s = await submitCase(db, world);
    await waitFor('the triage clock', async () => (await caseDeadlines(db, s.id)).length === 1);
    const reviewer = { kind: 'staff', role: 'front_reviewer', staffId: world.staff.districtReviewer, bodyId: world.bodies.districtFront } as const;
    await applyTransition(db, { caseId: s.id, actor: reviewer, transition: 'classify', params: { classification: 'petition' } });
    await applyTransition(db, { caseId: s.id, actor: reviewer, transition: 'transfer', params: { externalBodyRef: 'TAND-Q1' } });
    expect((await caseDeadlines(db, s.id)).find((d) => d.kind === 'triage')?.state).not.toBe('open');

    const [reminder] = await caseOutbox(db, s.id, ['deadline.reminder']);
    const queue = runtime.queues.get('{deadline-reminder}')!;
    await waitFor('the delayed reminder job', async () => (await queue.getJob(jobIdFor(reminder!.dedupeKey))) !== undefined);
    await (await queue.getJob(jobIdFor(reminder!.dedupeKey)))!.promote();
    await waitFor('the reminder job to finish', async () => (await caseOutbox(db, s.id, ['deadline.reminder']))[0]?.completedAt != null);
    expect(await reminded(s.publicRef)).toEqual([]);
  });

  it('moves a running deadline when an administrator adds a holiday inside it, at the next reconcile pass', async () => {
    const db = database.db;
    const runtime = await h.start(h.config());
    const s = await submitCase(db, world);
    await waitFor('the triage clock', async () => (await caseDeadlines(db, s.id)).length === 1);
    const before = (await caseDeadlines(db, s.id))[0]!;

    // The first working day after receipt becomes a day off.
    let day = addCalendarDays(s.receivedOn, 1);
    const calendar = await loadCalendar(db);
    while (!isWorkingDay(calendar, day)) day = addCalendarDays(day, 1);
    const admin: Actor = {
      staffId: world.staff.districtAdmin, role: 'administrator', bodyId: world.bodies.districtFront, bodyKind: 'front_intake', bodyLevel: 'district',
      bodyJurisdiction: world.district, cadreId: null,
    };
    await putHoliday(db, admin, day, { nameVi: 'Nghỉ bù (thử)', nameEn: 'Day off (test)', kind: 'compensatory' });
    try {
      const expected = computeDueDate(startDeadline('triage', s.receivedOn), await loadCalendar(db))!;
      expect(expected).not.toBe(before.dueOn);
      const report = await runtime.reconciler.runOnce();
      expect(report.steps.find((st) => st.name === 'deadline-jobs')).toMatchObject({ ok: true });
      const after = (await caseDeadlines(db, s.id))[0]!;
      expect(after.dueOn).toBe(expected);
      // Its escalation job now fires at the new due date.
      const escalation = runtime.queues.get('{deadline-escalation}')!;
      await waitFor('the rescheduled escalation', async () =>
        (await escalation.getJobs(['delayed'])).some((j) => {
          const payload = (j.data as { payload?: { deadlineId?: string; dueOn?: string } }).payload;
          return payload?.deadlineId === after.id && payload.dueOn === expected;
        }));
    } finally {
      await removeHoliday(db, admin, day);
    }
  });
});
