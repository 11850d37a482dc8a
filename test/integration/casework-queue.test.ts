// The staff queue: only the body's own cases, never pending filings, cases about the
// actor or cases they recused from; deadline order with keyset pages that neither repeat
// nor skip; filters and counts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testConfig } from './harness.ts';
import { authApp, createAccount, ensureDemo, signIn, testClock, type Account, type Client } from './auth-helpers.ts';
import { createWorld, type World } from './intake-fixtures.ts';
import { req, seedCase, setStaffCadre } from './casework-support.ts';
import { deleteRedisPrefix } from '../support/cleanup.ts';
import { addCalendarDays, localDateOf } from '../../server/domain/calendar.ts';
import { eq } from 'drizzle-orm';
import { caseBodies, cases } from '../../drizzle/schema/index.ts';

type Page = { items: Array<{ id: string; publicRef: string; nextDueOn: string | null; state: string; labels: string[]; overdue: boolean; workingDaysLeft: number | null }>; nextCursor: string | null };

describe('casework queue', () => {
  const clock = testClock();
  let app: FastifyInstance;
  let world: World;
  let reviewer: Account;
  let client: Client;
  const visible = new Map<string, { due: string | null }>();
  const hidden = new Set<string>();
  const today = localDateOf(new Date());

  beforeAll(async () => {
    app = await authApp(clock, testConfig());
    world = await createWorld(app.database.db);
    reviewer = await createAccount(app, { bodyCode: world.bodyCodes.districtFront, role: 'front_reviewer' });
    await setStaffCadre(app.database.db, reviewer.id, world.cadreId);
    client = await signIn(app, reviewer, clock);
    const db = app.database.db;
    const front = world.bodyIds.get(world.bodyCodes.districtFront) ?? '';
    const ubkt = world.bodyIds.get(world.bodyCodes.districtUbkt) ?? '';
    const cityFront = world.bodyIds.get(world.bodyCodes.cityFront) ?? '';
    // 45 visible cases over 9 due days (5 share each day), some overdue, some without a deadline.
    for (let i = 0; i < 45; i += 1) {
      const due = i % 9 === 8 ? null : addCalendarDays(today, (i % 9) - 3);
      const c = await seedCase(db, world, {
        bodyIds: [front, ubkt], nextDueOn: due, state: i % 3 === 0 ? 'received' : 'triage',
        labels: i % 5 === 0 ? ['urgent-check'] : [], assignees: i % 4 === 0 ? [reviewer.id] : [],
      });
      visible.set(c.id, { due });
    }
    for (const s of [
      { bodyIds: [front], pending: true, nextDueOn: today },
      { bodyIds: [cityFront], nextDueOn: today },
      { bodyIds: [front], cadreId: world.cadreId, nextDueOn: today },
      { bodyIds: [front], recusedStaffIds: [reviewer.id], nextDueOn: today },
    ]) hidden.add((await seedCase(db, world, s)).id);
  });
  afterAll(async () => {
    await deleteRedisPrefix(app.redis, `${app.config.redisPrefix}:`);
    await app.close();
  });

  async function walk(query: string, limit: number): Promise<Page['items']> {
    const out: Page['items'] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 100; guard += 1) {
      const res = await req(app, client, 'GET', `/api/cases?limit=${limit}${query}${after ? `&after=${after}` : ''}`);
      expect(res.statusCode).toBe(200);
      const page = res.json() as Page;
      expect(page.items.length).toBeLessThanOrEqual(limit);
      out.push(...page.items);
      if (!page.nextCursor) return out;
      after = page.nextCursor;
    }
    throw new Error('the cursor never ended');
  }

  it('walks every visible case once, in deadline order with no deadline last, across keyset pages', async () => {
    const items = await walk('', 7);
    const ids = items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(visible.keys()));
    const keys = items.map((i) => `${i.nextDueOn ?? '9999-12-31'}|${i.id}`);
    expect(keys).toEqual([...keys].sort());
    expect(items[items.length - 1]?.nextDueOn).toBeNull();
  });

  it('never lists pending filings, other bodies’ cases, cases about the actor or cases they recused from', async () => {
    const ids = new Set((await walk('', 100)).map((i) => i.id));
    for (const id of hidden) expect(ids.has(id)).toBe(false);
  });

  it('filters by state, label, assignee and deadline, and counts under the same filters', async () => {
    const received = await walk('&state=received', 50);
    expect(received.length).toBe(15);
    expect(received.every((i) => i.state === 'received')).toBe(true);
    const labelled = await walk('&label=urgent-check', 50);
    expect(labelled.length).toBe(9);
    expect(labelled.every((i) => i.labels.includes('urgent-check'))).toBe(true);
    expect((await walk('&assignee=me', 50)).length).toBe(12);
    expect((await walk('&assignee=unassigned', 50)).length).toBe(33);
    const overdue = await walk('&due=overdue', 50);
    expect(overdue.length).toBe(15);
    expect(overdue.every((i) => i.overdue && (i.workingDaysLeft ?? 0) <= 0)).toBe(true);
    const counts = (await req(app, client, 'GET', '/api/cases/counts')).json() as { total: number; overdue: number; byState: Record<string, number> };
    expect(counts).toMatchObject({ total: 45, overdue: 15, byState: { received: 15, triage: 30 } });
    expect((await req(app, client, 'GET', '/api/cases/counts?label=urgent-check')).json().total).toBe(9);
  });

  it('follows a changed next deadline and state: the copies on case_bodies are kept by trigger', async () => {
    const [first] = await walk('', 1);
    if (!first) throw new Error('empty queue');
    const later = addCalendarDays(today, 400);
    await app.database.db.update(cases).set({ nextDueOn: later }).where(eq(cases.id, first.id));
    const items = await walk('', 100);
    const withDue = items.filter((i) => i.nextDueOn !== null);
    expect(withDue[withDue.length - 1]).toMatchObject({ id: first.id, nextDueOn: later });
    const [row] = await app.database.db.select({ due: caseBodies.queueDueOn }).from(caseBodies).where(eq(caseBodies.caseId, first.id));
    expect(row?.due).toBe(later);
    // The state copy follows too, so a state-filtered page finds the case under its new state.
    await app.database.db.update(cases).set({ state: 'needs_info' }).where(eq(cases.id, first.id));
    expect((await walk('&state=needs_info', 50)).map((i) => i.id)).toEqual([first.id]);
  });

  it('filters by another body only among the own body’s cases, never listing that body’s queue', async () => {
    const cityFront = world.bodyIds.get(world.bodyCodes.cityFront) ?? '';
    const ubkt = world.bodyIds.get(world.bodyCodes.districtUbkt) ?? '';
    expect((await req(app, client, 'GET', `/api/cases?body=${cityFront}`)).json()).toEqual({ items: [], nextCursor: null });
    expect((await req(app, client, 'GET', `/api/cases/counts?body=${cityFront}`)).json()).toMatchObject({ total: 0 });
    expect((await walk(`&body=${ubkt}`, 100)).map((c) => c.id).sort()).toEqual([...visible.keys()].sort());
  });

  it('refuses a forged cursor and roles that never see cases', async () => {
    const bad = await req(app, client, 'GET', '/api/cases?after=bm90LWEtY3Vyc29y');
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    await ensureDemo(app);
    const admin = await signIn(app, await createAccount(app, { bodyCode: 'ma-qt', role: 'administrator' }), clock);
    expect((await req(app, admin, 'GET', '/api/cases')).json().error.details.reason).toBe('NO_CASE_ACCESS');
  });
});
