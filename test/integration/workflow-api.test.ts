// The workflow's HTTP surface: staff notifications, routing rules and holidays for
// administrators, and the queue dashboard behind the administrator check.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { routeCase } from '../../server/domain/routing.ts';
import { routingSnapshot } from '../../server/services/intake-routing.service.ts';
import { notifyStaff } from '../../server/services/notification.service.ts';
import { createQueues } from '../../workers/queues.ts';
import { jobs } from '../../workers/registry.ts';
import { deleteRedisPrefix } from '../support/cleanup.ts';
import {
  authApp, call, createAccount, ensureDemo, signIn, testClock, type Account, type Client, type TestClock,
} from './auth-helpers.ts';

function send(app: FastifyInstance, client: Client | null, method: 'PUT' | 'DELETE', url: string, payload?: unknown, csrf = true): Promise<LightMyRequestResponse> {
  return app.inject({
    method, url, ...(client ? { remoteAddress: client.ip } : {}),
    headers: { ...(client ? { cookie: client.cookie } : {}), ...(client && csrf ? { 'x-csrf-token': client.csrf } : {}) },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

describe('workflow API', () => {
  let app: FastifyInstance;
  let clock: TestClock;
  let admin: Client;
  let reviewer: Client;
  let reviewerAccount: Account;

  beforeAll(async () => {
    clock = testClock();
    app = await authApp(clock);
    await ensureDemo(app);
    admin = await signIn(app, await createAccount(app, { bodyCode: 'ma-qt', role: 'administrator' }), clock);
    reviewerAccount = await createAccount(app, { bodyCode: 'ma-mttq', role: 'front_reviewer' });
    reviewer = await signIn(app, reviewerAccount, clock);
  });
  afterAll(async () => {
    await deleteRedisPrefix(app.redis, `${app.config.redisPrefix}:`);
    await app.close();
  });

  it('lists a staff member\'s own notifications a page at a time with the unread count, and marks them read', async () => {
    const recipient = { staffId: reviewerAccount.id, bodyId: reviewerAccount.bodyId, email: null };
    for (const [i, kind] of ['case.routed', 'case.refer', 'deadline.overdue.triage'].entries()) {
      await notifyStaff(app.database.db, { smtpUrl: null }, { caseRef: `MB-TEST-000${i}`, kind, dedupeKey: `test/${reviewerAccount.id}/${i}`, recipients: [recipient] });
    }
    const first = await call(app, reviewer, 'GET', '/api/notifications?limit=2');
    expect(first.statusCode).toBe(200);
    const page1 = first.json() as { items: Array<{ id: string; kind: string; label: { vi: string } }>; nextCursor: string; unread: number };
    expect(page1.unread).toBe(3);
    expect(page1.items).toHaveLength(2);
    expect(page1.items[0]?.label.vi).toBe('Hồ sơ đã quá hạn xử lý');
    const second = (await call(app, reviewer, 'GET', `/api/notifications?limit=2&cursor=${page1.nextCursor}`)).json() as typeof page1;
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...page1.items, ...second.items].map((n) => n.id)).size).toBe(3);

    expect((await call(app, reviewer, 'POST', `/api/notifications/${page1.items[0]!.id}/read`)).statusCode).toBe(200);
    expect((await call(app, reviewer, 'GET', '/api/notifications')).json().unread).toBe(2);
    // Someone else's notification reads as unknown.
    expect((await call(app, admin, 'POST', `/api/notifications/${page1.items[1]!.id}/read`)).statusCode).toBe(404);
    expect((await call(app, reviewer, 'POST', '/api/notifications/read-all')).json()).toEqual({ ok: true, marked: 2 });
    expect((await call(app, reviewer, 'GET', '/api/notifications?unread=true')).json()).toMatchObject({ items: [], unread: 0 });
    expect((await call(app, null, 'GET', '/api/notifications')).statusCode).toBe(401);
  });

  it('lets an administrator replace the routing rules, and nobody else', async () => {
    const before = (await call(app, admin, 'GET', '/api/admin/routing-rules')).json() as { items: Array<Record<string, unknown>> };
    expect(before.items.map((r) => r.code)).toContain('land-resources-inspectorate');
    const keep = before.items.map(({ updatedAt: _u, updatedBy: _b, ...rule }) => rule);
    const added = {
      code: 'position-buying-city', priority: 50, enabled: true, matchCategory: 'position_buying', matchLevel: null, matchJurisdictionCode: null,
      targetBodyKind: 'internal_affairs', targetLevel: 'city', reasonVi: 'chạy chức, chạy quyền do Ban Nội chính theo dõi', reasonEn: 'buying of positions is overseen by Internal Affairs',
    };
    try {
      const put = await send(app, admin, 'PUT', '/api/admin/routing-rules', { items: [...keep, added] });
      expect(put.statusCode).toBe(200);
      expect((put.json() as typeof before).items[0]).toMatchObject({ code: 'position-buying-city', updatedBy: expect.any(String) });
      // The next case routed (the intake's and the route job's copy of the rules is at most a
      // second old) goes where the new rule says, and says why.
      const route = async () => routeCase({ category: 'position_buying', jurisdictionCode: 'MA' }, await routingSnapshot(app.database.db, true));
      const bnc = (await route()).targets.find((t) => t.bodyCode === 'ma-bnc');
      expect(bnc).toMatchObject({ ruleId: 'position-buying-city', role: 'added' });
      expect(bnc?.explanation.vi).toContain('chạy chức, chạy quyền do Ban Nội chính theo dõi');
      expect((await send(app, admin, 'PUT', '/api/admin/routing-rules', { items: [added, added] })).json().error.code).toBe('VALIDATION_FAILED');
      expect((await send(app, admin, 'PUT', '/api/admin/routing-rules', { items: [added] }, false)).json().error.code).toBe('CSRF_FAILED');
      expect((await call(app, reviewer, 'GET', '/api/admin/routing-rules')).json().error.code).toBe('FORBIDDEN');
    } finally {
      expect((await send(app, admin, 'PUT', '/api/admin/routing-rules', { items: keep })).statusCode).toBe(200);
    }
    expect(((await call(app, admin, 'GET', '/api/admin/routing-rules')).json() as typeof before).items.map((r) => r.code))
      .toEqual(before.items.map((r) => r.code));
    expect(routeCase({ category: 'position_buying', jurisdictionCode: 'MA' }, await routingSnapshot(app.database.db, true)).targets
      .map((t) => t.bodyCode)).not.toContain('ma-bnc');
  });

  it('lets an administrator set and remove holidays and make-up working days', async () => {
    const put = await send(app, admin, 'PUT', '/api/admin/holidays/2099-01-03', { nameVi: 'Làm bù', nameEn: 'Make-up day', kind: 'makeup' });
    expect(put.json()).toEqual({ day: '2099-01-03', nameVi: 'Làm bù', nameEn: 'Make-up day', kind: 'makeup', isWorkingDay: true });
    await send(app, admin, 'PUT', '/api/admin/holidays/2099-01-01', { nameVi: 'Tết Dương lịch', nameEn: "New Year's Day", kind: 'solar' });
    const list = (await call(app, admin, 'GET', '/api/admin/holidays?year=2099')).json() as { items: Array<{ day: string; isWorkingDay: boolean }> };
    expect(list.items.map((d) => [d.day, d.isWorkingDay])).toEqual([['2099-01-01', false], ['2099-01-03', true]]);
    expect((await send(app, admin, 'PUT', '/api/admin/holidays/2099-02-30', { nameVi: 'x', nameEn: 'x', kind: 'solar' })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await send(app, admin, 'DELETE', '/api/admin/holidays/2099-01-03')).statusCode).toBe(200);
    expect((await send(app, admin, 'DELETE', '/api/admin/holidays/2099-01-03')).statusCode).toBe(404);
    await send(app, admin, 'DELETE', '/api/admin/holidays/2099-01-01');
    expect((await call(app, reviewer, 'GET', '/api/admin/holidays')).statusCode).toBe(403);
  });

  it('shows the queue dashboard to administrators only, with a CSP of its own and nothing from other origins', async () => {
    const page = await call(app, admin, 'GET', '/api/admin/queues');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    const api = await call(app, admin, 'GET', '/api/admin/queues/api/queues');
    expect(api.statusCode).toBe(200);
    const names = (api.json() as { queues: Array<{ name: string; readOnlyMode: boolean }> }).queues.map((q) => q.name);
    expect(names).toEqual(expect.arrayContaining(['{route-case}', '{deadline-escalation}', '{email}']));

    expect((await call(app, reviewer, 'GET', '/api/admin/queues')).json().error.code).toBe('FORBIDDEN');
    expect((await call(app, null, 'GET', '/api/admin/queues/api/queues')).statusCode).toBe(401);

    // Only a failed job can be retried; a waiting one is refused, an unknown one is not found.
    const producer = createQueues(jobs, { connection: app.redis, prefix: app.config.redisPrefix }).get('{email}')!;
    await producer.add('notification.email', { outboxId: 1, dedupeKey: 'email/test', payload: {} }, { jobId: 'email/test' });
    expect((await call(app, admin, 'POST', `/api/admin/queues-failed/${encodeURIComponent('{email}')}/email%2Ftest/retry`)).json().error.code).toBe('CONFLICT');
    expect((await call(app, admin, 'POST', `/api/admin/queues-failed/${encodeURIComponent('{email}')}/nope/retry`)).statusCode).toBe(404);
    await producer.close();
  });
});
