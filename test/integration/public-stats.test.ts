// The public statistics against the real database: figures follow cases as they are filed,
// go overdue, are concluded and withdrawn; counts under the threshold are withheld; the
// answer holds no case data and is cached. Every figure is read for this file's own city,
// so cases other files leave in the shared database do not move it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { publicCacheControl } from '../../server/routes/public/index.ts';
import type { Database } from '../../server/db/client.ts';
import { listCaseDeadlines } from '../../server/repositories/deadline.repository.ts';
import { applyTransition } from '../../server/services/case-transition.service.ts';
import { escalateDeadline } from '../../server/services/deadline-escalation.service.ts';
import { currentDueOn } from '../../server/services/deadline-schedule.ts';
import { loadCalendar } from '../../server/services/deadline.service.ts';
import { createPublicStats, type PublicStats } from '../../server/services/stats.service.ts';
import type { PublicStatsResponse } from '../../server/schemas/stats.ts';
import { CATEGORIES } from '../../server/domain/vocabulary.ts';
import { insertProposedHold, liftBlockingHolds } from '../../server/repositories/hold.repository.ts';
import { decideHold } from '../../server/services/hold.service.ts';
import { HOLD_PLACED_EVENT } from '../../server/domain/public-stats.ts';
import type { Actor } from '../../server/domain/policy.ts';
import { personnelActionEvents } from '../../drizzle/schema/index.ts';
import { and, eq } from 'drizzle-orm';
import {
  acceptCase, addCadreWithPendingAction, createWorkflowWorld, submitCase, type SubmittedCase, type WorkflowWorld,
} from '../factories/case.ts';
import { deleteRedisPrefix } from '../support/cleanup.ts';
import { testApp, testConfig, testDatabase } from './harness.ts';

const DAY_MS = 86_400_000;
const daysAgo = (n: number): string => new Date(Date.now() + 7 * 3_600_000 - n * DAY_MS).toISOString().slice(0, 10);
/** Noon, Vietnam time, n days ago: a moment on the day daysAgo(n). */
const momentDaysAgo = (n: number): Date => new Date(`${daysAgo(n)}T12:00:00+07:00`);

describe('public statistics', () => {
  let database: Database;
  let world: WorkflowWorld;
  let app: FastifyInstance;
  /** Uncached, so each read sees the database as it is now. */
  let fresh: PublicStats;
  const filed: SubmittedCase[] = [];

  beforeAll(async () => {
    database = testDatabase();
    world = await createWorkflowWorld(database.db);
    app = await testApp();
    fresh = createPublicStats(database.db, { ttlMs: 0 });
  });
  afterAll(async () => {
    await deleteRedisPrefix(app.redis, `${app.config.redisPrefix}:`);
    await app.close();
    await database.close();
  });

  const read = async (): Promise<PublicStatsResponse> => (await fresh.get(world.city)).stats;
  const stage = (s: PublicStatsResponse, name: string) => s.open.byStage.find((b) => b.stage === name)?.count;
  const district = (s: PublicStatsResponse) => s.areas.find((a) => a.code === world.district);
  const category = (s: PublicStatsResponse, name: string) => s.received.byCategory.find((c) => c.category === name)?.count;
  const lead = () => ({ kind: 'staff', role: 'inspection_lead', staffId: world.staff.districtLead } as const);

  it('counts filed cases in their city and district, withholding every count from 1 to 4', async () => {
    const empty = await read();
    expect(empty.scope?.code).toBe(world.city);
    expect(empty.received).toMatchObject({ total: 0, last30Days: 0 });
    expect(empty.bodies).toEqual([]);
    expect(empty.areas.map((a) => [a.code, a.isScope, a.received])).toEqual([[world.city, true, 0], [world.district, false, 0]]);

    for (let i = 0; i < 3; i++) filed.push(await submitCase(database.db, world, { hasSignedPetition: true }));
    const three = await read();
    expect(three.received).toMatchObject({ total: null, last30Days: null });
    expect(category(three, 'budget_assets')).toBeNull();
    expect(three.bodies.length).toBeGreaterThan(0);
    expect(three.bodies.every((b) => b.cases === null)).toBe(true);
    expect(three.open.total).toBeNull();
    expect(district(three)?.received).toBeNull();

    for (let i = 0; i < 2; i++) filed.push(await submitCase(database.db, world, { hasSignedPetition: true }));
    filed.push(await submitCase(database.db, world, { hasSignedPetition: true, receivedOn: daysAgo(40) }));
    const six = await read();
    expect(six.received).toMatchObject({ total: 6, last30Days: 5 });
    expect(six.received.byCategory.map((c) => c.count)).toEqual(CATEGORIES.map((c) => (c === 'budget_assets' ? 6 : 0)));
    // Every case was routed to the district's Front desk; only the scope's places' bodies are listed.
    expect(six.bodies.find((b) => b.nameEn === 'Body d-mttq')).toEqual({ nameVi: 'Đơn vị d-mttq', nameEn: 'Body d-mttq', kind: 'front_intake', level: 'district', cases: 6 });
    expect(six.timing.toTriageDecision).toEqual({ cases: 0, medianDays: null });
    expect(six.open).toMatchObject({ total: 6, overdue: 0 });
    expect(stage(six, 'intake')).toBe(6);
    expect(district(six)).toMatchObject({ received: 6, open: 6, overdue: 0 });
  });

  it('shows cases overdue once the workflow escalates them, and withholds a lone small stage with its complement', async () => {
    const accepted = filed.slice(0, 5);
    for (const c of accepted) await acceptCase(database.db, world, c.id, 40);
    const before = await read();
    expect(before.open.overdue).toBe(0);
    // intake 1 is withheld, so inspection 5 is too: otherwise 6 - 5 would give it away.
    expect([stage(before, 'intake'), stage(before, 'inspection'), stage(before, 'decided')]).toEqual([null, null, 0]);

    const calendar = await loadCalendar(database.db);
    const escalate = async (caseId: string) => {
      const row = (await listCaseDeadlines(database.db, caseId)).find((d) => d.kind === 'resolution' && d.state === 'open');
      if (!row) throw new Error('no running resolution clock');
      const dueOn = currentDueOn(row, calendar);
      if (dueOn === null) throw new Error('resolution clock stopped');
      await database.db.transaction((tx) => escalateDeadline(tx, { config: testConfig(), calendar }, { deadlineId: row.id, caseId, kind: 'resolution', dueOn }));
    };
    await escalate(accepted[0]!.id);
    expect((await read()).open.overdue).toBeNull();
    for (const c of accepted.slice(1)) await escalate(c.id);
    const overdue = await read();
    expect(overdue.open.overdue).toBe(5);
    expect(district(overdue)?.overdue).toBe(5);
  });

  it('counts conclusions by outcome and the deadlines they met or missed, and a withdrawal leaves the open count', async () => {
    for (const c of filed.slice(0, 5)) {
      await applyTransition(database.db, { caseId: c.id, actor: lead(), transition: 'assign', params: { investigatorIds: [world.staff.districtInvestigator] } });
      await applyTransition(database.db, { caseId: c.id, actor: lead(), transition: 'conclude', params: { outcome: 'not_substantiated' } });
    }
    const concluded = await read();
    expect(concluded.concluded.total).toBe(5);
    expect(concluded.concluded.byOutcome.map((o) => [o.outcome, o.count])).toEqual([
      ['substantiated', 0], ['partly_substantiated', 0], ['not_substantiated', 5],
    ]);
    // A conclusion stops the clocks: nothing is overdue any more.
    expect(concluded.open.overdue).toBe(0);
    // Accepted 40 days ago with a 30-day limit: the inspection's triage clock was met, resolution missed.
    expect(concluded.deadlines.find((d) => d.kind === 'triage')).toMatchObject({ ended: 5, shareMet: 100 });
    expect(concluded.deadlines.find((d) => d.kind === 'resolution')).toMatchObject({ ended: 5, shareMet: 0 });
    expect(concluded.deadlines.map((d) => d.kind)).not.toContain('reporter_reply');
    expect(concluded.onTime).toEqual({ cases: 5, share: 0 });

    await applyTransition(database.db, { caseId: filed[5]!.id, actor: { kind: 'reporter' }, transition: 'withdraw' });
    const withdrawn = await read();
    expect(withdrawn.received.total).toBe(6);
    expect(withdrawn.open.total).toBe(5);
    expect([stage(withdrawn, 'intake'), stage(withdrawn, 'inspection'), stage(withdrawn, 'decided')]).toEqual([0, 0, 5]);
  });

  it('answers over HTTP with aggregates only, cacheable for at most a minute, and the same answer within it', async () => {
    const first = await app.inject({ method: 'GET', url: `/api/public/stats?jurisdiction=${encodeURIComponent(world.city)}` });
    expect(first.statusCode).toBe(200);
    const maxAge = /^public, max-age=(\d+)$/.exec(String(first.headers['cache-control']))?.[1];
    expect(Number(maxAge)).toBeGreaterThan(0);
    expect(Number(maxAge)).toBeLessThanOrEqual(60);
    expect(first.headers['set-cookie']).toBeUndefined();

    const body = first.json() as PublicStatsResponse;
    expect(Object.keys(body).sort()).toEqual([
      'areas', 'asOf', 'bodies', 'concluded', 'deadlines', 'generatedAt', 'holds', 'onTime', 'open', 'received', 'scope', 'threshold', 'timing',
    ]);
    expect(Object.keys(body.holds.placed).sort()).toEqual(['last12Months', 'total']);
    expect(body.open.total).toBe(5);
    const text = first.body;
    for (const c of filed) {
      expect(text).not.toContain(c.publicRef);
      expect(text).not.toContain(c.id);
    }
    expect(text).not.toMatch(/"(id|\w*Id|publicRef|cadre\w*|reporter\w*|ciphertext|action\w*)"\s*:/i);
    // "category" only names a row of the breakdown, never a case's own.
    expect(body.received.byCategory.every((c) => Object.keys(c).sort().join() === 'category,count')).toBe(true);

    await submitCase(database.db, world);
    const again = await app.inject({ method: 'GET', url: `/api/public/stats?jurisdiction=${encodeURIComponent(world.city)}` });
    expect(again.json()).toEqual(body);
    expect((await read()).received.total).toBe(7);
  });

  it('covers every top-level jurisdiction without a scope from the same snapshot, and refuses an unknown one uncached', async () => {
    const scoped = (await app.inject({ method: 'GET', url: `/api/public/stats?jurisdiction=${encodeURIComponent(world.city)}` })).json() as PublicStatsResponse;
    const all = await app.inject({ method: 'GET', url: '/api/public/stats' });
    expect(all.statusCode).toBe(200);
    const body = all.json() as PublicStatsResponse;
    expect(body.generatedAt).toBe(scoped.generatedAt);
    expect(body.scope).toBeNull();
    expect(body.areas.every((a) => !a.isScope)).toBe(true);
    const city = body.areas.find((a) => a.code === world.city);
    expect(city?.hasAreas).toBe(true);
    // As in the scoped answer, unless another file's city left exactly one small cell and ours is the complement withheld with it.
    expect([scoped.received.total, null]).toContain(city?.received);
    expect(body.areas.map((a) => a.code)).not.toContain(world.district);

    const unknown = await app.inject({ method: 'GET', url: '/api/public/stats?jurisdiction=NO-SUCH-PLACE' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['cache-control']).toBe('no-store');
    expect((await app.inject({ method: 'GET', url: '/api/public/stats?jurisdiction=%3Cx%3E' })).statusCode).toBe(400);
  });
});

describe('public statistics: time to decisions and holds', () => {
  let database: Database;
  let world: WorkflowWorld;
  let fresh: PublicStats;
  /** Each case with the days from receipt to its triage decision. */
  const referred: Array<{ c: SubmittedCase; receivedDaysAgo: number; triageDays: number }> = [];
  const others: SubmittedCase[] = [];

  beforeAll(async () => {
    database = testDatabase();
    world = await createWorkflowWorld(database.db);
    fresh = createPublicStats(database.db, { ttlMs: 0 });
  });
  afterAll(async () => {
    await database.close();
  });

  const read = async (scope = world.city): Promise<PublicStatsResponse> => (await fresh.get(scope)).stats;
  const reviewer = () => ({ kind: 'staff', role: 'front_reviewer', staffId: world.staff.districtReviewer } as const);
  const lead = () => ({ kind: 'staff', role: 'inspection_lead', staffId: world.staff.districtLead } as const);

  /** Received `receivedDaysAgo` days ago, into triage that day, referred `triageDays` days later. */
  async function referAfter(receivedDaysAgo: number, triageDays: number): Promise<void> {
    const c = await submitCase(database.db, world, { hasSignedPetition: true, receivedOn: daysAgo(receivedDaysAgo) });
    const on = momentDaysAgo(receivedDaysAgo);
    await applyTransition(database.db, { caseId: c.id, actor: { kind: 'system' }, transition: 'start_triage', now: on });
    await applyTransition(database.db, { caseId: c.id, actor: reviewer(), transition: 'classify', params: { classification: 'denunciation' }, now: on });
    await applyTransition(database.db, {
      caseId: c.id, actor: reviewer(), transition: 'refer', params: { targetBodyId: world.bodies.districtUbkt }, now: momentDaysAgo(receivedDaysAgo - triageDays),
    });
    referred.push({ c, receivedDaysAgo, triageDays });
  }

  it('takes the median days from receipt to the triage decision, withheld until 5 cases have one', async () => {
    // Triage days 10, 2, 3, 1: four cases, so neither the count nor the median is published.
    for (const [received, triage] of [[30, 10], [20, 2], [12, 3], [9, 1]] as const) await referAfter(received, triage);
    expect((await read()).timing.toTriageDecision).toEqual({ cases: null, medianDays: null });

    // Asked for more and still waiting, or withdrawn: neither is a triage decision.
    const waiting = await submitCase(database.db, world, { receivedOn: daysAgo(15) });
    await applyTransition(database.db, { caseId: waiting.id, actor: { kind: 'system' }, transition: 'start_triage' });
    await applyTransition(database.db, { caseId: waiting.id, actor: reviewer(), transition: 'request_info' });
    const withdrawn = await submitCase(database.db, world, { receivedOn: daysAgo(15) });
    await applyTransition(database.db, { caseId: withdrawn.id, actor: { kind: 'system' }, transition: 'start_triage' });
    await applyTransition(database.db, { caseId: withdrawn.id, actor: { kind: 'reporter' }, transition: 'withdraw' });
    others.push(waiting, withdrawn);
    expect((await read()).timing.toTriageDecision).toEqual({ cases: null, medianDays: null });

    await referAfter(5, 4);
    // 1, 2, 3, 4, 10.
    expect((await read()).timing.toTriageDecision).toEqual({ cases: 5, medianDays: 3 });

    // Filing is a triage decision too: 0 days makes six, and the median the mean of 2 and 3.
    const filed = await submitCase(database.db, world);
    await applyTransition(database.db, { caseId: filed.id, actor: { kind: 'system' }, transition: 'start_triage' });
    await applyTransition(database.db, { caseId: filed.id, actor: reviewer(), transition: 'file', params: { reasonCode: 'no_specific_content' } });
    others.push(filed);
    const six = await read();
    expect(six.timing.toTriageDecision).toEqual({ cases: 6, medianDays: 2.5 });
    // The district holds every case.
    expect((await read(world.district)).timing.toTriageDecision).toEqual({ cases: 6, medianDays: 2.5 });
    expect(six.timing.toConclusion).toEqual({ cases: 0, medianDays: null });
  });

  it('takes the median days from receipt to the conclusion, withheld until 5 cases are concluded', async () => {
    const conclude = async (caseId: string) => {
      await applyTransition(database.db, { caseId, actor: lead(), transition: 'accept' });
      await applyTransition(database.db, { caseId, actor: lead(), transition: 'assign', params: { investigatorIds: [world.staff.districtInvestigator] } });
      await applyTransition(database.db, { caseId, actor: lead(), transition: 'conclude', params: { outcome: 'partly_substantiated' } });
    };
    // Received 30, 20, 12, 9 and 5 days ago, all concluded today.
    for (const r of referred.slice(0, 4)) await conclude(r.c.id);
    expect((await read()).timing.toConclusion).toEqual({ cases: null, medianDays: null });
    await conclude(referred[4]!.c.id);
    expect((await read()).timing.toConclusion).toEqual({ cases: 5, medianDays: 12 });
    // Only the conclusion moved: the triage decisions are as they were.
    expect((await read()).timing.toTriageDecision).toEqual({ cases: 6, medianDays: 2.5 });
  });

  it('counts a hold as placed once the lead confirms it, dated by that decision, and lifted only if it had been placed', async () => {
    expect((await read()).holds).toEqual({ placed: { last12Months: 0, total: 0 }, lifted: { last12Months: 0, total: 0 } });
    const first = await addCadreWithPendingAction(database.db, world);
    const second = await addCadreWithPendingAction(database.db, world);
    const cases = [...referred.map((r) => r.c), ...others];
    const propose = async (actionId: string, caseId: string): Promise<string> => {
      const id = await insertProposedHold(database.db, actionId, caseId, world.bodies.districtUbkt);
      if (!id) throw new Error('hold not proposed');
      return id;
    };
    const leadActor: Actor = {
      staffId: world.staff.districtLead, role: 'inspection_lead', bodyId: world.bodies.districtUbkt, bodyKind: 'inspection_committee',
      bodyLevel: 'district', bodyJurisdiction: world.district, cadreId: null,
    };
    const deps = { db: database.db, config: { smtpUrl: null } };
    const confirm = (id: string) => decideHold(deps, leadActor, id, { decision: 'confirm', legalBasis: 'Điều 15 Quy định 22', scope: 'Tạm dừng bổ nhiệm' });

    // Eight proposals, as the workflow makes them: none is placed until the lead decides.
    const ids: string[] = [];
    for (const c of cases.slice(0, 8)) ids.push(await propose(first.actionId, c.id));
    expect((await read()).holds.placed).toEqual({ last12Months: 0, total: 0 });

    for (const id of ids.slice(0, 4)) await confirm(id);
    expect((await read()).holds.placed).toEqual({ last12Months: null, total: null });
    await confirm(ids[4]!);
    expect((await read()).holds.placed).toEqual({ last12Months: 5, total: 5 });

    // Refused, lifted by the lead while still a proposal, lifted by the system before any decision: none was placed or lifted.
    await decideHold(deps, leadActor, ids[5]!, { decision: 'refuse', reason: 'Không đủ căn cứ' });
    await decideHold(deps, leadActor, ids[6]!, { decision: 'lift', reason: 'Hồ sơ đã rút' });
    await database.db.transaction((tx) => liftBlockingHolds(tx, [ids[7]!], 'case_withdrawn', new Date()));
    expect((await read()).holds).toEqual({ placed: { last12Months: 5, total: 5 }, lifted: { last12Months: 0, total: 0 } });

    // Confirmed two years ago (by its decision, whatever the proposal's date): placed all time, not in the last 12 months.
    const old = await propose(second.actionId, cases[0]!.id);
    await confirm(old);
    await database.db.update(personnelActionEvents).set({ createdAt: momentDaysAgo(730) })
      .where(and(eq(personnelActionEvents.holdId, old), eq(personnelActionEvents.kind, HOLD_PLACED_EVENT)));
    // A renewal moves the hold's decided_at to today; the placement keeps its own date.
    await decideHold(deps, leadActor, old, { decision: 'renew', reason: 'Còn đang xác minh' });
    expect((await read()).holds.placed).toEqual({ last12Months: 5, total: 6 });

    // Placed holds lifted: four today by the system, one by the lead, and the old one 400 days ago.
    await database.db.transaction((tx) => liftBlockingHolds(tx, ids.slice(0, 4), 'case_withdrawn', new Date()));
    await decideHold(deps, leadActor, ids[4]!, { decision: 'lift', reason: 'Đã có kết luận' });
    await database.db.transaction((tx) => liftBlockingHolds(tx, [old], 'case_terminated', momentDaysAgo(400)));
    const lifted = await read();
    expect(lifted.holds).toEqual({ placed: { last12Months: 5, total: 6 }, lifted: { last12Months: 5, total: 6 } });
    expect((await read(world.district)).holds).toEqual(lifted.holds);
  });
});

describe('public answers and caches', () => {
  it('keeps a route\'s own cache-control on success but sends no-store for every error, even one after the route set it', async () => {
    const app = Fastify({ logger: false });
    app.addHook('onSend', publicCacheControl);
    const cacheable = { 'cache-control': 'public, max-age=60' };
    app.get('/shared', async (_request, reply) => reply.headers(cacheable).send({ ok: true }));
    app.get('/personal', async () => ({ ok: true }));
    app.get('/fails', async (_request, reply) => {
      void reply.headers(cacheable);
      throw new Error('failed after the header was set');
    });
    // The statistics' case: the header is set, then the answer does not fit its schema.
    app.get('/unserialisable', {
      schema: { response: { 200: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } } } },
    }, async (_request, reply) => {
      void reply.headers(cacheable);
      return { n: 'not a number' };
    });
    try {
      const shared = await app.inject({ method: 'GET', url: '/shared' });
      expect([shared.statusCode, shared.headers['cache-control']]).toEqual([200, 'public, max-age=60']);
      expect((await app.inject({ method: 'GET', url: '/personal' })).headers['cache-control']).toBe('no-store');
      const fails = await app.inject({ method: 'GET', url: '/fails' });
      expect([fails.statusCode, fails.headers['cache-control']]).toEqual([500, 'no-store']);
      const unserialisable = await app.inject({ method: 'GET', url: '/unserialisable' });
      expect([unserialisable.statusCode, unserialisable.headers['cache-control']]).toEqual([500, 'no-store']);
    } finally {
      await app.close();
    }
  });
});
