// applyTransition on the real database: one transaction for state, events, deadlines, outbox
// and audit; optimistic versions; pause, resume and extension of the resolution clock; and
// the workflow's reactions to the reporter and to transitions made by other paths.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../server/db/client.ts';
import { localDateOf } from '../../server/domain/calendar.ts';
import { computeDueDate, startDeadline } from '../../server/domain/deadlines.ts';
import { AppError } from '../../server/domain/errors.ts';
import { enqueueOutbox } from '../../server/repositories/outbox.repository.ts';
import { applyTransition } from '../../server/services/case-transition.service.ts';
import { loadCalendar } from '../../server/services/deadline.service.ts';
import { auditLog, cadres as cadresTable, cases, holds } from '../../drizzle/schema/index.ts';
import { acceptCase, addCadreWithPendingAction, createWorkflowWorld, submitCase, type WorkflowWorld } from '../factories/case.ts';
import { testDatabase } from './harness.ts';
import { caseDeadlines, caseOutbox, caseRow, caseTimeline, notificationsFor, waitFor, workflowHarness, type Harness } from './workflow-support.ts';

const codeOf = async (p: Promise<unknown>): Promise<string> => p.then(() => 'no error', (e: unknown) => (e instanceof AppError ? e.code : String(e)));

describe('applyTransition', () => {
  let database: Database;
  let h: Harness;
  let world: WorkflowWorld;
  let reviewer: { kind: 'staff'; role: 'front_reviewer'; staffId: string };
  let lead: { kind: 'staff'; role: 'inspection_lead'; staffId: string };

  beforeAll(async () => {
    database = testDatabase();
    h = workflowHarness(database);
    world = await createWorkflowWorld(database.db);
    reviewer = { kind: 'staff', role: 'front_reviewer', staffId: world.staff.districtReviewer };
    lead = { kind: 'staff', role: 'inspection_lead', staffId: world.staff.districtLead };
  });
  afterEach(() => h.cleanup());
  afterAll(async () => {
    await h.close();
    await database.close();
  });

  it('writes state, event, outbox row and audit entry together, and refuses a stale version with nothing written', async () => {
    const db = database.db;
    const s = await submitCase(db, world);
    const v1 = (await caseRow(db, s.id))!.version;
    const moved = await applyTransition(db, { caseId: s.id, actor: { kind: 'system' }, transition: 'start_triage', expectedVersion: v1 });
    expect(moved).toMatchObject({ fromState: 'received', toState: 'triage', version: v1 + 1 });
    expect((await caseTimeline(db, s.id)).filter((e) => e.kind === 'case.start_triage').map((e) => e.dedupeKey)).toEqual([`start_triage/v${v1}`]);
    expect((await caseOutbox(db, s.id, ['case.transitioned'])).map((r) => r.dedupeKey)).toEqual([`case/${s.id}/start_triage/v${v1}`]);
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.resourceId, s.id), eq(auditLog.action, 'case.start_triage')));
    expect(audit.map((a) => a.detail)).toEqual([{ fromState: 'received', toState: 'triage', version: v1 + 1 }]);

    const before = { events: (await caseTimeline(db, s.id)).length, outbox: (await caseOutbox(db, s.id, ['case.transitioned'])).length };
    expect(await codeOf(applyTransition(db, {
      caseId: s.id, actor: reviewer, transition: 'classify', params: { classification: 'feedback' }, expectedVersion: v1,
    }))).toBe('STALE_VERSION');
    // Refusals of the rules leave nothing either: a move from the wrong state, a role not allowed.
    expect(await codeOf(applyTransition(db, { caseId: s.id, actor: lead, transition: 'accept' }))).toBe('INVALID_TRANSITION');
    expect(await codeOf(applyTransition(db, { caseId: s.id, actor: reviewer, transition: 'accept' }))).toBe('FORBIDDEN');
    expect((await caseTimeline(db, s.id)).length).toBe(before.events);
    expect((await caseOutbox(db, s.id, ['case.transitioned'])).length).toBe(before.outbox);
    expect((await caseRow(db, s.id))!.version).toBe(v1 + 1);
  });

  it('pauses, resumes and extends the resolution clock as the deadline rules say, once for a complex case', async () => {
    const db = database.db;
    const s = await submitCase(db, world, { hasSignedPetition: true });
    await acceptCase(db, world, s.id);
    const calendar = await loadCalendar(db);
    const today = localDateOf(new Date());
    const resolution = async () => (await caseDeadlines(db, s.id)).find((d) => d.kind === 'resolution' && d.state === 'open')!;
    const due30 = computeDueDate(startDeadline('resolution', today), calendar)!;
    expect((await resolution()).dueOn).toBe(due30);
    // The triage clock of the inspection body stopped at acceptance, on time.
    expect((await caseDeadlines(db, s.id)).filter((d) => d.kind === 'triage').map((d) => d.state)).toEqual(['met']);

    await applyTransition(db, { caseId: s.id, actor: lead, transition: 'pause', params: { reasonCode: 'party_unavailable' } });
    expect((await resolution()).pausedSince).toBe(today);
    expect((await caseRow(db, s.id))!.nextDueOn).toBeNull();
    await applyTransition(db, { caseId: s.id, actor: lead, transition: 'resume' });
    expect(await resolution()).toMatchObject({ pausedSince: null, dueOn: due30 });
    expect((await caseRow(db, s.id))!.state).toBe('accepted');

    await applyTransition(db, { caseId: s.id, actor: lead, transition: 'extend_resolution', params: { complexity: 'complex', decisionRef: 'QĐ 12/UBKT' } });
    const extended = computeDueDate({ ...startDeadline('resolution', today), extensions: [{ amount: 30, decidedOn: today, decisionRef: 'QĐ 12/UBKT' }] }, calendar);
    expect((await resolution()).dueOn).toBe(extended);
    expect(await caseRow(db, s.id)).toMatchObject({ complexity: 'complex', resolutionExtensions: 1, nextDueOn: extended });
    const escalations = (await caseOutbox(db, s.id, ['deadline.due'])).map((r) => r.dedupeKey);
    expect(escalations).toContain(`deadline/${(await resolution()).id}/escalation/${extended}`);
    expect(await codeOf(applyTransition(db, {
      caseId: s.id, actor: lead, transition: 'extend_resolution', params: { complexity: 'complex', decisionRef: 'QĐ 13/UBKT' },
    }))).toBe('INVALID_TRANSITION');
  });

  it('a reporter\'s answer resumes a case waiting for it, with its clocks, and tells the desk', async () => {
    const db = database.db;
    const c = h.config();
    await h.start(c);
    const s = await submitCase(db, world);
    await waitFor('routing', async () => (await caseRow(db, s.id))?.state === 'triage' && (await caseDeadlines(db, s.id)).length === 1);
    await applyTransition(db, { caseId: s.id, actor: reviewer, transition: 'request_info' });
    expect(await caseRow(db, s.id)).toMatchObject({ state: 'needs_info', resumeState: 'triage' });
    expect((await caseDeadlines(db, s.id)).find((d) => d.kind === 'triage')?.pausedSince).toBe(localDateOf(new Date()));

    // What the inbox writes when the reporter sends a message.
    const messageId = '00000000-0000-4000-8000-000000000001';
    await db.transaction((tx) => enqueueOutbox(tx, {
      topic: 'case.reporter_message', dedupeKey: `case/${s.id}/message/${messageId}`, payload: { caseId: s.id, messageId, state: 'needs_info' },
    }));
    await waitFor('the case to resume', async () => (await caseRow(db, s.id))?.state === 'triage');
    const deadlines = await caseDeadlines(db, s.id);
    expect(deadlines.find((d) => d.kind === 'reporter_reply')?.state).toBe('met');
    expect(deadlines.find((d) => d.kind === 'triage')).toMatchObject({ state: 'open', pausedSince: null });
    expect((await caseRow(db, s.id))?.resumeState).toBeNull();
    await waitFor('the desk to hear of it', async () =>
      (await notificationsFor(db, s.publicRef)).filter((n) => n.kind === 'case.reporter_reply').length === 2);
  });

  it('stops the clocks of a case that a writer without deadline effects moved to a state without one', async () => {
    const db = database.db;
    const c = h.config();
    await h.start(c);
    const s = await submitCase(db, world);
    await waitFor('routing', async () => (await caseDeadlines(db, s.id)).length === 1);
    // State and outbox row only, as an operator's data fix might write them (every path in the
    // code goes through applyTransition): the reaction is the safety net that stops the clock.
    await db.transaction(async (tx) => {
      await tx.update(cases).set({ state: 'withdrawn', version: sql`${cases.version} + 1` }).where(eq(cases.id, s.id));
      await enqueueOutbox(tx, { topic: 'case.transitioned', dedupeKey: `case/${s.id}/withdraw`, payload: { caseId: s.id, transition: 'withdraw', fromState: 'triage', toState: 'withdrawn' } });
    });
    await waitFor('the triage clock to stop', async () => (await caseDeadlines(db, s.id))[0]?.state === 'met');
    expect((await caseRow(db, s.id))?.nextDueOn).toBeNull();
  });

  it('proposes holds on the cadre\'s pending actions at acceptance and lifts them, clearing no one, when the case is terminated', async () => {
    const db = database.db;
    const c = h.config();
    await h.start(c);
    const { cadreId, actionId } = await addCadreWithPendingAction(db, world);
    const s = await submitCase(db, world, { hasSignedPetition: true, cadreId });
    await acceptCase(db, world, s.id);
    const heldOn = async () => db.select().from(holds).where(eq(holds.caseId, s.id));
    await waitFor('the proposed hold', async () => (await heldOn()).length === 1);
    expect((await heldOn())[0]).toMatchObject({ actionId, state: 'proposed', placingBodyId: world.bodies.districtUbkt });
    await waitFor('the lead to be told', async () => (await notificationsFor(db, s.publicRef)).some((n) => n.kind === 'hold.proposed'));
    expect((await notificationsFor(db, s.publicRef)).filter((n) => n.kind === 'hold.proposed').map((n) => n.staffId)).toEqual([world.staff.districtLead]);

    await applyTransition(db, { caseId: s.id, actor: lead, transition: 'terminate', params: { reasonCode: 'accused_died' } });
    await waitFor('the hold to be lifted', async () => (await heldOn())[0]?.state === 'lifted');
    expect((await heldOn())[0]?.liftReason).toBe('case_terminated');
    expect((await db.select().from(cadresTable).where(eq(cadresTable.id, cadreId)))[0]?.clearedAt).toBeNull();
    expect((await caseTimeline(db, s.id)).filter((e) => e.kind.startsWith('holds.')).map((e) => e.kind).sort()).toEqual(['holds.lifted', 'holds.proposed']);
  });

  it('never proposes a hold on the strength of an anonymous report alone', async () => {
    const db = database.db;
    const c = h.config();
    await h.start(c);
    const { cadreId } = await addCadreWithPendingAction(db, world);
    const s = await submitCase(db, world, { isAnonymous: true, cadreId });
    await applyTransition(db, { caseId: s.id, actor: { kind: 'system' }, transition: 'start_triage' });
    await applyTransition(db, { caseId: s.id, actor: reviewer, transition: 'classify', params: { classification: 'denunciation_information' } });
    await applyTransition(db, { caseId: s.id, actor: reviewer, transition: 'refer', params: { targetBodyId: world.bodies.districtUbkt, isSpecific: true } });
    await applyTransition(db, { caseId: s.id, actor: lead, transition: 'examine', params: { investigatorIds: [world.staff.districtInvestigator] } });
    await applyTransition(db, { caseId: s.id, actor: lead, transition: 'mark_signs_of_violation' });
    await waitFor('the transitions to be handled', async () =>
      (await caseOutbox(db, s.id, ['case.transitioned'])).every((r) => r.completedAt !== null));
    expect(await db.select().from(holds).where(eq(holds.caseId, s.id))).toEqual([]);
    // The investigator assigned by 'examine' hears of it.
    expect((await notificationsFor(db, s.publicRef)).filter((n) => n.kind === 'case.examine').map((n) => n.staffId)).toEqual([world.staff.districtInvestigator]);
  });
});
