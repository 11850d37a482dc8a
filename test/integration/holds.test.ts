// Holds on personnel actions end to end: proposed by the workflow when the inspection lead
// accepts a case, confirmed by the lead through the API, refusing approval, held at the
// creation of a new action, renewed, lapsed when nobody reviews, lifted by a "not
// substantiated" conclusion; and approval racing a hold placement on two real connections.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { createDatabase, type Database } from '../../server/db/client.ts';
import { addCalendarDays, localDateOf } from '../../server/domain/calendar.ts';
import { AppError } from '../../server/domain/errors.ts';
import type { Actor } from '../../server/domain/policy.ts';
import { findCaseRow } from '../../server/repositories/case-event.repository.ts';
import { insertCaseEvents } from '../../server/repositories/case.repository.ts';
import { insertCadres, insertPersonnelActions } from '../../server/repositories/personnel.repository.ts';
import { applyTransition } from '../../server/services/case-transition.service.ts';
import { createBody } from '../../server/services/bootstrap.service.ts';
import { escalateHoldReview, remindHoldReview } from '../../server/services/hold-review.service.ts';
import { createAction, moveAction } from '../../server/services/personnel.service.ts';
import { applyHoldEffects } from '../../server/services/workflow-holds.service.ts';
import { auditLog, cadres, caseKeyWraps, cases as casesTable, deadlines, holds, notifications, outbox, personnelActionEvents, personnelActions } from '../../drizzle/schema/index.ts';
import { acceptCase, createWorkflowWorld, newId, submitCase, type WorkflowWorld } from '../factories/case.ts';
import { inject } from 'vitest';
import { authApp, call, createAccount, signIn, testClock, type Account, type Client } from './auth-helpers.ts';
import { caseTimeline, waitFor, workflowHarness, type Harness } from './workflow-support.ts';
import { deleteRedisPrefix } from '../support/cleanup.ts';

const today = (): string => localDateOf(new Date());

describe('holds on personnel actions', () => {
  let app: FastifyInstance;
  let database: Database;
  let h: Harness;
  let world: WorkflowWorld;
  let orgBoard: { id: string; code: string };
  let officerAccount: Account;
  let officer: Client;
  let lead: Client;
  let officerActor: Actor;
  const leadTransitions = () => ({ kind: 'staff', role: 'inspection_lead', staffId: world.staff.districtLead } as const);

  beforeAll(async () => {
    const clock = testClock();
    app = await authApp(clock);
    database = app.database;
    h = workflowHarness(database);
    await h.start(h.config());
    world = await createWorkflowWorld(database.db);
    const code = `w${world.tag.toLowerCase()}-d-btc`;
    orgBoard = { code, id: (await database.db.transaction((tx) => createBody(tx, {
      code, kind: 'organization_board', level: 'district', jurisdictionCode: world.district, nameVi: `Ban Tổ chức ${world.tag}`, nameEn: `Organization Board ${world.tag}`,
    }, null))).id };
    officerAccount = await createAccount(app, { bodyCode: code, role: 'personnel_officer' });
    officer = await signIn(app, officerAccount, clock);
    lead = await signIn(app, await createAccount(app, { bodyCode: `w${world.tag.toLowerCase()}-d-ubkt`, role: 'inspection_lead' }), clock);
    officerActor = {
      staffId: officerAccount.id, role: 'personnel_officer', bodyId: orgBoard.id, bodyKind: 'organization_board', bodyLevel: 'district',
      bodyJurisdiction: world.district, cadreId: null,
    };
  });
  afterEach(() => undefined);
  afterAll(async () => {
    await h.cleanup();
    await h.close();
    await deleteRedisPrefix(app.redis, `${app.config.redisPrefix}:`);
    await app.close();
  });

  /** A district cadre with pending actions recorded by the district's Organization Board. */
  async function cadreWithActions(n: number, db = database.db): Promise<{ cadreId: string; actionIds: string[] }> {
    return db.transaction(async (tx) => {
      const [cadre] = await insertCadres(tx, [{
        fullName: `Lê Văn Giữ ${newId().slice(0, 6)}`, nameSearch: `le van giu ${newId().slice(0, 6)}`, position: 'Trưởng phòng', unitName: 'UBND quận',
        jurisdictionCode: world.district, level: 'district', managingLevel: 'district', managingJurisdictionCode: world.district,
      }]);
      const actionIds = Array.from({ length: n }, () => newId());
      await insertPersonnelActions(tx, actionIds.map((id, i) => ({
        id, cadreId: cadre!.id, kind: i === 0 ? 'appointment' : 'promotion', state: 'pending_decision', proposingBodyId: orgBoard.id,
        positionTitle: `Chức vụ ${i}`, proposedOn: today(),
      })));
      return { cadreId: cadre!.id, actionIds };
    });
  }

  const holdsOfCase = (caseId: string) => database.db.select().from(holds).where(eq(holds.caseId, caseId));
  const actionRow = async (id: string) => (await database.db.select().from(personnelActions).where(eq(personnelActions.id, id)))[0]!;
  const historyKinds = async (id: string) => (await database.db.select().from(personnelActionEvents).where(eq(personnelActionEvents.actionId, id))).map((e) => e.kind);

  // The harness's routing job starts triage on its own; waiting for it keeps the steps below from racing it.
  const routed = (caseId: string) => waitFor('the case to be routed', async () => (await findCaseRow(database.db, caseId))?.state !== 'received');

  async function acceptedCaseWithProposals(n: number) {
    const { cadreId, actionIds } = await cadreWithActions(n);
    const s = await submitCase(database.db, world, { hasSignedPetition: true, cadreId });
    await routed(s.id);
    await acceptCase(database.db, world, s.id);
    await waitFor(`${n} proposed holds`, async () => (await holdsOfCase(s.id)).length === n);
    return { cadreId, actionIds, caseId: s.id, publicRef: s.publicRef };
  }

  const confirm = (holdId: string, extra: Record<string, unknown> = {}) =>
    call(app, lead, 'POST', `/api/holds/${holdId}/confirm`, { legalBasis: 'Điều 8 Quy định 22-QĐ/TW', scope: 'Tạm dừng bổ nhiệm, đề bạt', ...extra });

  let shared: Awaited<ReturnType<typeof acceptedCaseWithProposals>>;

  it('accepting a case about a cadre with two pending actions proposes two holds; the lead confirms both and both actions are held', async () => {
    shared = await acceptedCaseWithProposals(2);
    const proposed = await holdsOfCase(shared.caseId);
    expect(proposed.map((x) => x.state)).toEqual(['proposed', 'proposed']);
    expect(new Set(proposed.map((x) => x.actionId))).toEqual(new Set(shared.actionIds));

    const list = await call(app, lead, 'GET', '/api/holds?state=proposed');
    expect(list.statusCode).toBe(200);
    const mine = (list.json().items as Array<{ id: string; case: { publicRef: string } }>).filter((i) => i.case.publicRef === shared.publicRef);
    expect(mine).toHaveLength(2);
    // The personnel officer never reaches the lead's hold decisions.
    expect((await call(app, officer, 'GET', '/api/holds')).statusCode).toBe(403);

    for (const hold of proposed) {
      const res = await confirm(hold.id);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ state: 'confirmed', reviewOn: addCalendarDays(today(), 30) });
    }
    for (const id of shared.actionIds) {
      expect(await actionRow(id)).toMatchObject({ state: 'held', heldFromState: 'pending_decision' });
      expect(await historyKinds(id)).toEqual(['hold.proposed', 'hold.confirmed', 'personnel.hold']);
    }
    const timeline = (await caseTimeline(database.db, shared.caseId)).map((e) => e.kind);
    expect(timeline.filter((k) => k === 'hold.confirmed')).toHaveLength(2);
    // The review clock runs in the deadlines table, with its escalation job in the outbox.
    const clocks = await database.db.select().from(deadlines).where(eq(deadlines.holdId, proposed[0]!.id));
    expect(clocks.map((d) => [d.kind, d.state, d.dueOn])).toEqual([['hold_review', 'open', addCalendarDays(today(), 30)]]);
    const due = await database.db.select().from(outbox).where(eq(outbox.dedupeKey, `hold/${proposed[0]!.id}/review-due/${addCalendarDays(today(), 30)}`));
    expect(due).toHaveLength(1);
    expect((await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'hold.confirmed'), eq(auditLog.resourceId, proposed[0]!.id))))).toHaveLength(1);
  });

  it('refuses to approve a held action with ACTION_HELD naming the hold, its review date and the placing body, and the officer sees no case', async () => {
    const [actionId] = shared.actionIds;
    const hold = (await holdsOfCase(shared.caseId)).find((x) => x.actionId === actionId)!;
    const res = await call(app, officer, 'POST', `/api/personnel/actions/${actionId}/approve`, {});
    expect(res.statusCode).toBe(409);
    const error = res.json().error as { code: string; message: string; details: Record<string, unknown> };
    expect(error.code).toBe('ACTION_HELD');
    expect(error.details).toMatchObject({ holdId: hold.id, reviewOn: hold.reviewOn, holdState: 'confirmed', personnelActionId: actionId, placingBodyId: world.bodies.districtUbkt });
    expect(error.message).toContain(hold.id);
    expect(error.message).toContain(String(hold.reviewOn));
    expect((await actionRow(actionId!)).state).toBe('held');

    const detail = await call(app, officer, 'GET', `/api/personnel/actions/${actionId}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().holds).toEqual([{ id: hold.id, state: 'confirmed', reviewOn: hold.reviewOn, proceedAnyway: false, placingBody: expect.objectContaining({ id: world.bodies.districtUbkt }) }]);
    expect(detail.body).not.toContain(shared.caseId);
    expect(detail.body).not.toContain(shared.publicRef);
    expect(detail.body).not.toContain('Quy định 22');
    // The response schema is an allow-list: a history detail carrying more is cut to it.
    await database.db.insert(personnelActionEvents).values({
      actionId: actionId!, kind: 'hold.renewed', actorKind: 'system', holdId: hold.id, detail: { reviewOn: '2031-01-02', caseId: shared.caseId, reason: 'nội dung tố cáo' },
    });
    const cut = await call(app, officer, 'GET', `/api/personnel/actions/${actionId}`);
    expect(cut.json().history.at(-1).detail).toEqual({ reviewOn: '2031-01-02' });
    expect(cut.body).not.toContain(shared.caseId);
    await database.db.delete(personnelActionEvents).where(and(eq(personnelActionEvents.actionId, actionId!), eq(personnelActionEvents.kind, 'hold.renewed')));
  });

  it('holds a new action created for the cadre while the case runs: proposed at creation (already blocking), held once the lead confirms', async () => {
    const created = await call(app, officer, 'POST', '/api/personnel/actions', { cadreId: shared.cadreId, kind: 'rotation', positionTitle: 'Luân chuyển về phường', proposedOn: today() });
    expect(created.statusCode, created.body).toBe(201);
    const action = created.json() as { id: string; state: string; holds: Array<{ id: string; state: string }> };
    expect(action.state).toBe('draft');
    expect(action.holds.map((x) => x.state)).toEqual(['proposed']);
    const refused = await call(app, officer, 'POST', `/api/personnel/actions/${action.id}/approve`, {});
    expect(refused.json().error.code).toBe('ACTION_HELD');
    await waitFor('the lead to be told', async () =>
      (await database.db.select().from(notifications).where(eq(notifications.dedupeKey, `case/${shared.caseId}/holds.proposed/action/${action.id}`))).length > 0);

    expect((await confirm(action.holds[0]!.id)).statusCode).toBe(200);
    expect(await actionRow(action.id)).toMatchObject({ state: 'held', heldFromState: 'draft' });
  });

  it('renewing a hold extends its review date, counts the renewal and restarts the review clock', async () => {
    const { caseId } = await acceptedCaseWithProposals(1);
    const [hold] = await holdsOfCase(caseId);
    const early = addCalendarDays(today(), 10);
    expect((await confirm(hold!.id, { reviewOn: early })).json().reviewOn).toBe(early);
    expect((await call(app, lead, 'POST', `/api/holds/${hold!.id}/renew`, {})).statusCode).toBe(400);
    const renewed = await call(app, lead, 'POST', `/api/holds/${hold!.id}/renew`, { reason: 'Đang xác minh, chưa có kết luận' });
    expect(renewed.statusCode, renewed.body).toBe(200);
    expect(renewed.json()).toMatchObject({ state: 'confirmed', renewals: 1, reviewOn: addCalendarDays(today(), 30) });
    const clocks = await database.db.select().from(deadlines).where(eq(deadlines.holdId, hold!.id));
    expect(clocks.map((d) => [d.state, d.dueOn]).sort()).toEqual([['met', early], ['open', addCalendarDays(today(), 30)]]);
    expect((await caseTimeline(database.db, caseId)).map((e) => e.kind)).toContain('hold.renewed');
  });

  it('a review nobody made escalates to the lead and is recorded; the hold stays in force', async () => {
    const { caseId, actionIds } = await acceptedCaseWithProposals(1);
    const [hold] = await holdsOfCase(caseId);
    await confirm(hold!.id);
    const reviewOn = addCalendarDays(today(), 30);
    const [clock] = await database.db.select().from(deadlines).where(and(eq(deadlines.holdId, hold!.id), eq(deadlines.state, 'open')));
    const payload = { holdId: hold!.id, deadlineId: clock!.id, dueOn: reviewOn };
    // A few working days before: the lead is reminded (once, however often the job runs).
    const remindOn = addCalendarDays(reviewOn, -3);
    for (let i = 0; i < 2; i++) {
      expect(await database.db.transaction((tx) => remindHoldReview(tx, { config: { smtpUrl: null } }, { ...payload, remindOn }))).toBe('done');
    }
    const reminded = await database.db.select().from(notifications).where(eq(notifications.dedupeKey, `hold/${hold!.id}/review-reminder/${reviewOn}/${remindOn}`));
    expect(reminded.map((n) => n.kind)).toEqual(reminded.map(() => 'hold.review_due_soon'));
    expect(new Set(reminded.map((n) => n.staffId)).size).toBe(reminded.length);
    expect(reminded.length).toBeGreaterThan(0);
    const later = new Date(Date.now() + 31 * 86_400_000);
    expect(await database.db.transaction((tx) => escalateHoldReview(tx, { config: { smtpUrl: null }, now: later }, payload))).toBe('done');
    expect(await database.db.transaction((tx) => escalateHoldReview(tx, { config: { smtpUrl: null }, now: later }, payload))).toBe('stale');
    expect((await holdsOfCase(caseId))[0]!.state).toBe('lapsed');
    expect((await actionRow(actionIds[0]!)).state).toBe('held');
    expect((await caseTimeline(database.db, caseId)).map((e) => e.kind)).toContain('hold.review_missed');
    expect((await database.db.select().from(notifications).where(eq(notifications.dedupeKey, `hold/${hold!.id}/review-missed/${reviewOn}`))).length).toBeGreaterThan(0);
    const refused = await call(app, officer, 'POST', `/api/personnel/actions/${actionIds[0]}/approve`, {});
    expect(refused.json().error.details.holdState).toBe('lapsed');
    // Renewing answers the escalation.
    expect((await call(app, lead, 'POST', `/api/holds/${hold!.id}/renew`, { reason: 'Gia hạn sau khi quá hạn rà soát' })).json().state).toBe('confirmed');
  });

  it('lets a held action through only with a recorded proceed-anyway decision, and audits it', async () => {
    const { caseId, actionIds } = await acceptedCaseWithProposals(1);
    const [hold] = await holdsOfCase(caseId);
    await confirm(hold!.id);
    const recorded = await call(app, lead, 'POST', `/api/holds/${hold!.id}/proceed-anyway`, { decisionRef: 'Kết luận 15-KL/TU ngày 20/11/2026' });
    expect(recorded.statusCode, recorded.body).toBe(200);
    expect((await actionRow(actionIds[0]!)).state).toBe('pending_decision');
    const approved = await call(app, officer, 'POST', `/api/personnel/actions/${actionIds[0]}/approve`, { decisionRef: 'QĐ 301/QĐ-UBND' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().state).toBe('approved');
    const used = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'hold.proceed_anyway_used'), eq(auditLog.resourceId, hold!.id)));
    expect(used).toHaveLength(1);
    expect((await caseTimeline(database.db, caseId)).map((e) => e.kind)).toEqual(expect.arrayContaining(['hold.proceed_anyway_recorded', 'hold.proceed_anyway_used']));
  });

  it('a "not substantiated" conclusion lifts both holds, releases the actions and records the cadre as cleared', async () => {
    await applyTransition(database.db, { caseId: shared.caseId, actor: leadTransitions(), transition: 'assign', params: { investigatorIds: [world.staff.districtInvestigator] } });
    await applyTransition(database.db, { caseId: shared.caseId, actor: leadTransitions(), transition: 'conclude', params: { outcome: 'not_substantiated' } });
    await waitFor('the holds to be lifted', async () => (await holdsOfCase(shared.caseId)).every((x) => x.state === 'lifted'));
    expect((await holdsOfCase(shared.caseId)).map((x) => x.liftReason)).toEqual(['cleared', 'cleared', 'cleared']);
    for (const id of shared.actionIds) expect((await actionRow(id)).state).toBe('pending_decision');
    const [cadre] = await database.db.select().from(cadres).where(eq(cadres.id, shared.cadreId));
    expect(cadre!.clearedAt).not.toBeNull();
    const detail = await call(app, officer, 'GET', `/api/personnel/actions/${shared.actionIds[0]}`);
    expect(detail.json().cadre.clearedAt).not.toBeNull();
    expect(detail.json().holds).toEqual([]);
    expect((await caseTimeline(database.db, shared.caseId)).map((e) => e.kind)).toEqual(expect.arrayContaining(['holds.lifted', 'cadre.cleared']));
    expect(await historyKinds(shared.actionIds[0]!)).toContain('hold.lifted');
  });

  it('a "substantiated" conclusion keeps the holds in force for the Organization Board; the cadre is not cleared', async () => {
    const { caseId, cadreId, actionIds } = await acceptedCaseWithProposals(1);
    const [hold] = await holdsOfCase(caseId);
    expect((await confirm(hold!.id)).statusCode).toBe(200);
    await applyTransition(database.db, { caseId, actor: leadTransitions(), transition: 'assign', params: { investigatorIds: [world.staff.districtInvestigator] } });
    await applyTransition(database.db, { caseId, actor: leadTransitions(), transition: 'conclude', params: { outcome: 'substantiated' } });
    await waitFor('the conclusion to be handled', async () =>
      (await database.db.select().from(outbox).where(eq(outbox.topic, 'case.transitioned'))).filter((r) => (r.payload as { caseId?: string }).caseId === caseId).every((r) => r.completedAt !== null));
    expect((await holdsOfCase(caseId)).map((x) => x.state)).toEqual(['confirmed']);
    expect((await actionRow(actionIds[0]!)).state).toBe('held');
    expect((await database.db.select().from(cadres).where(eq(cadres.id, cadreId)))[0]!.clearedAt).toBeNull();
    expect((await call(app, officer, 'POST', `/api/personnel/actions/${actionIds[0]}/approve`, {})).json().error.code).toBe('ACTION_HELD');
  });

  it('ending the case because the reporter withdrew lifts its holds with that record and moves the actions back; nobody is cleared', async () => {
    const { caseId, cadreId, actionIds } = await acceptedCaseWithProposals(2);
    const [first] = await holdsOfCase(caseId);
    expect((await confirm(first!.id)).statusCode).toBe(200);
    const heldId = first!.actionId;
    expect((await actionRow(heldId)).state).toBe('held');
    await applyTransition(database.db, { caseId, actor: leadTransitions(), transition: 'terminate', params: { reasonCode: 'reporter_withdrew' } });
    await waitFor('the holds to be lifted', async () => (await holdsOfCase(caseId)).every((x) => x.state === 'lifted'));
    expect((await holdsOfCase(caseId)).map((x) => x.liftReason)).toEqual(['case_terminated', 'case_terminated']);
    for (const id of actionIds) expect((await actionRow(id)).state).toBe('pending_decision');
    // The held action's history shows the lift and its release, each with a version step.
    expect(await historyKinds(heldId)).toEqual(['hold.proposed', 'hold.confirmed', 'personnel.hold', 'hold.lifted', 'personnel.release']);
    expect((await actionRow(heldId)).version).toBe(3);
    expect((await database.db.select().from(deadlines).where(eq(deadlines.holdId, first!.id))).map((d) => d.state)).toEqual(['cancelled']);
    expect((await caseTimeline(database.db, caseId)).map((e) => e.kind)).toContain('holds.lifted');
    expect((await database.db.select().from(cadres).where(eq(cadres.id, cadreId)))[0]!.clearedAt).toBeNull();
    expect((await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'personnel.release'), eq(auditLog.resourceId, heldId))))).toHaveLength(1);
  });

  it('withdrawing a held action lifts its hold with that reason, on the case timeline and in the audit log', async () => {
    const { caseId, actionIds } = await acceptedCaseWithProposals(1);
    const [hold] = await holdsOfCase(caseId);
    await confirm(hold!.id);
    const res = await call(app, officer, 'POST', `/api/personnel/actions/${actionIds[0]}/withdraw`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'withdrawn', holds: [] });
    expect((await holdsOfCase(caseId))[0]).toMatchObject({ state: 'lifted', liftReason: 'action_withdrawn' });
    expect((await caseTimeline(database.db, caseId)).map((e) => e.kind)).toContain('hold.lifted');
    expect((await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'hold.lifted'), eq(auditLog.resourceId, hold!.id))))).toHaveLength(1);
  });

  it('a case resting on an anonymous report alone proposes no hold, not even on an action created while it runs', async () => {
    const { cadreId, actionIds } = await cadreWithActions(1);
    const s = await submitCase(database.db, world, { isAnonymous: true, cadreId });
    const reviewer = { kind: 'staff', role: 'front_reviewer', staffId: world.staff.districtReviewer } as const;
    await routed(s.id);
    await applyTransition(database.db, { caseId: s.id, actor: reviewer, transition: 'classify', params: { classification: 'denunciation_information' } });
    await applyTransition(database.db, { caseId: s.id, actor: reviewer, transition: 'refer', params: { targetBodyId: world.bodies.districtUbkt, isSpecific: true } });
    await applyTransition(database.db, { caseId: s.id, actor: leadTransitions(), transition: 'examine', params: { investigatorIds: [world.staff.districtInvestigator] } });
    await applyTransition(database.db, { caseId: s.id, actor: leadTransitions(), transition: 'mark_signs_of_violation' });
    const created = await call(app, officer, 'POST', '/api/personnel/actions', { cadreId, kind: 'promotion', positionTitle: 'Đề bạt', proposedOn: today() });
    expect(created.json().holds).toEqual([]);
    await waitFor('the transitions to be handled', async () =>
      (await database.db.select().from(outbox).where(eq(outbox.topic, 'case.transitioned'))).filter((r) => (r.payload as { caseId?: string }).caseId === s.id).every((r) => r.completedAt !== null));
    expect(await holdsOfCase(s.id)).toEqual([]);
    expect((await call(app, officer, 'POST', `/api/personnel/actions/${actionIds[0]}/approve`, {})).json().state).toBe('approved');
  });

  it('retaliation watch: an adverse action about a protected reporter needs the inspection committee\'s review before approval', async () => {
    // A named case the lead's body handles, whose reporter is a cadre in the directory.
    const { caseId, publicRef } = await acceptedCaseWithProposals(1);
    await database.db.insert(caseKeyWraps).values({ caseId, keyKind: 'case', recipientKind: 'body', bodyId: world.bodies.districtUbkt, bodyKeyVersion: 1, sealedKey: new Uint8Array(48) });
    const reporter = await cadreWithActions(0);
    const marked = await call(app, lead, 'POST', '/api/holds/protected-reporters', { publicRef, cadreId: reporter.cadreId });
    expect(marked.statusCode, marked.body).toBe(200);
    const [cadre] = await database.db.select().from(cadres).where(eq(cadres.id, reporter.cadreId));
    expect(cadre).toMatchObject({ protectedReporter: true, protectedByBodyId: world.bodies.districtUbkt });
    // Nothing ties the case to its reporter in the audit log.
    const entries = await database.db.select().from(auditLog).where(eq(auditLog.action, 'cadre.protected_reporter'));
    expect(JSON.stringify(entries)).not.toContain(caseId);

    const transfer = (await call(app, officer, 'POST', '/api/personnel/actions', { cadreId: reporter.cadreId, kind: 'transfer', positionTitle: 'Điều động', proposedOn: today() })).json() as { id: string; needsReview: boolean };
    expect(transfer.needsReview).toBe(true);
    // The personnel desk learns that a review is needed, never that the cadre reported someone.
    const seen = await call(app, officer, 'GET', `/api/personnel/actions/${transfer.id}`);
    expect(seen.body).not.toContain('protected');
    await call(app, officer, 'POST', `/api/personnel/actions/${transfer.id}/submit`, {});
    expect((await call(app, officer, 'POST', `/api/personnel/actions/${transfer.id}/approve`, {})).json().error.code).toBe('REVIEW_REQUIRED');
    const adverse = (await call(app, lead, 'GET', '/api/holds/adverse-reviews?limit=100')).json() as { items: Array<{ id: string }>; nextCursor: string | null };
    expect(adverse.items.map((a) => a.id)).toContain(transfer.id);
    expect(adverse.nextCursor).toBeNull();
    expect((await call(app, officer, 'POST', `/api/personnel/actions/${transfer.id}/review`, { outcome: 'no_objection', reference: 'x' })).statusCode).toBe(403);
    expect((await call(app, lead, 'POST', `/api/personnel/actions/${transfer.id}/review`, { outcome: 'no_objection', reference: 'BB 07/UBKT' })).statusCode).toBe(200);
    expect((await call(app, officer, 'POST', `/api/personnel/actions/${transfer.id}/approve`, {})).json().state).toBe('approved');
  });

  it('an action recorded while the case is being accepted is never missed: the proposal and the recording queue on the cadre row', async () => {
    const b = createDatabase(inject('databaseUrl'), { max: 2, applicationName: 'minhbach-test-accepting' });
    try {
      const { cadreId } = await cadreWithActions(0);
      const s = await submitCase(database.db, world, { hasSignedPetition: true, cadreId });
      await routed(s.id);
      const reviewer = { kind: 'staff', role: 'front_reviewer', staffId: world.staff.districtReviewer } as const;
      await applyTransition(database.db, { caseId: s.id, actor: reviewer, transition: 'classify', params: { classification: 'denunciation' } });
      await applyTransition(database.db, { caseId: s.id, actor: reviewer, transition: 'refer', params: { targetBodyId: world.bodies.districtUbkt } });
      let release!: () => void;
      const gate = new Promise<void>((resolve) => { release = resolve; });
      let locked!: () => void;
      const lockedNow = new Promise<void>((resolve) => { locked = resolve; });
      // The acceptance's transaction, held open after its proposal step (which found no action yet).
      const accepting = b.db.transaction(async (tx) => {
        await tx.update(casesTable).set({ state: 'accepted' }).where(eq(casesTable.id, s.id));
        await insertCaseEvents(tx, [{ caseId: s.id, kind: 'case.accept', actorKind: 'system', occurredOn: today() }]);
        await applyHoldEffects(tx, { config: { smtpUrl: null }, now: new Date() }, (await findCaseRow(tx, s.id))!, world.bodies.districtUbkt, { proposeHolds: true, version: 77 });
        locked();
        await gate;
      });
      await lockedNow;
      const recording = createAction({ db: database.db, config: { smtpUrl: null } }, officerActor, { cadreId, kind: 'promotion', positionTitle: 'Đề bạt', proposedOn: today() });
      let settled = false;
      void recording.then(() => { settled = true; }, () => { settled = true; });
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false); // waiting on the cadre row
      release();
      await accepting;
      const created = await recording;
      expect(created.holds.map((x) => x.state)).toEqual(['proposed']);
      expect((await holdsOfCase(s.id)).map((x) => x.actionId)).toEqual([created.id]);
    } finally {
      await b.close();
    }
  });

  it('never lets an approval through while a hold is being placed: two connections racing with row locks', async () => {
    const a = createDatabase(inject('databaseUrl'), { max: 2, applicationName: 'minhbach-test-a' });
    const b = createDatabase(inject('databaseUrl'), { max: 2, applicationName: 'minhbach-test-b' });
    try {
      // Deterministic order first: the hold's transaction holds the action's lock while approval starts.
      const first = await cadreWithActions(1);
      const s1 = await submitCase(database.db, world, { hasSignedPetition: true, cadreId: first.cadreId });
      let release!: () => void;
      const gate = new Promise<void>((resolve) => { release = resolve; });
      let locked!: () => void;
      const lockedNow = new Promise<void>((resolve) => { locked = resolve; });
      const placing = b.db.transaction(async (tx) => {
        const c = (await findCaseRow(tx, s1.id))!;
        const audit = await applyHoldEffects(tx, { config: { smtpUrl: null }, now: new Date() }, c, world.bodies.districtUbkt, { proposeHolds: true, version: 99 });
        locked();
        await gate;
        return audit.length;
      });
      await lockedNow;
      const approving = moveAction({ db: a.db, config: { smtpUrl: null } }, officerActor, first.actionIds[0]!, { transition: 'approve' })
        .then(() => 'approved', (e: unknown) => (e instanceof AppError ? e.code : String(e)));
      let settled = false;
      void approving.then(() => { settled = true; });
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false); // waiting on the action's row lock
      release();
      await placing;
      expect(await approving).toBe('ACTION_HELD');

      // Then real races: each pair runs at once on its own connection; whichever wins, an
      // action is never both approved and under a hold.
      for (let i = 0; i < 8; i++) {
        const { cadreId, actionIds } = await cadreWithActions(1);
        const s = await submitCase(database.db, world, { hasSignedPetition: true, cadreId });
        const [approve, place] = await Promise.allSettled([
          moveAction({ db: a.db, config: { smtpUrl: null } }, officerActor, actionIds[0]!, { transition: 'approve' }),
          b.db.transaction(async (tx) => applyHoldEffects(tx, { config: { smtpUrl: null }, now: new Date() }, (await findCaseRow(tx, s.id))!, world.bodies.districtUbkt, { proposeHolds: true, version: 1 })),
        ]);
        expect(place.status).toBe('fulfilled');
        const state = (await actionRow(actionIds[0]!)).state;
        const placed = await holdsOfCase(s.id);
        if (approve.status === 'fulfilled') {
          expect(state).toBe('approved');
          expect(placed).toEqual([]);
        } else {
          expect((approve.reason as AppError).code).toBe('ACTION_HELD');
          expect(state).toBe('pending_decision');
          expect(placed.map((x) => x.state)).toEqual(['proposed']);
        }
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});
