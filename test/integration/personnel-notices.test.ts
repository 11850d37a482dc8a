// Public notices: a personnel officer publishes an action for comment until a date; it is
// listed on the public notices, reports naming it are counted for the officer (counts only),
// and it goes for decision only after the comment period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { addCalendarDays, localDateOf } from '../../server/domain/calendar.ts';
import { findBodyByJurisdiction, insertCadres, insertPersonnelActions } from '../../server/repositories/personnel.repository.ts';
import { insertCase } from '../../server/repositories/case.repository.ts';
import { deleteRedisPrefix } from '../support/cleanup.ts';
import { authApp, call, createAccount, ensureDemo, signIn, testClock, type Client } from './auth-helpers.ts';

describe('public notices of personnel actions', () => {
  let app: FastifyInstance;
  let officer: Client;
  let actionId: string;
  const today = localDateOf(new Date());

  beforeAll(async () => {
    const clock = testClock();
    app = await authApp(clock);
    await ensureDemo(app);
    officer = await signIn(app, await createAccount(app, { bodyCode: 'ma-btc', role: 'personnel_officer' }), clock);
    const btc = await findBodyByJurisdiction(app.database.db, 'MA', 'organization_board');
    actionId = randomUUID();
    await app.database.db.transaction(async (tx) => {
      const [cadre] = await insertCadres(tx, [{
        fullName: 'Mai Công Khai', nameSearch: `mai cong khai ${randomBytes(2).toString('hex')}`, position: 'Phó Giám đốc Sở', unitName: 'Sở Công Thương',
        jurisdictionCode: 'MA', level: 'city', managingLevel: 'city', managingJurisdictionCode: 'MA',
      }]);
      await insertPersonnelActions(tx, [{ id: actionId, cadreId: cadre!.id, kind: 'appointment', state: 'draft', proposingBodyId: btc!, positionTitle: 'Giám đốc Sở Công Thương', proposedOn: today }]);
    });
  });
  afterAll(async () => {
    await deleteRedisPrefix(app.redis, `${app.config.redisPrefix}:`);
    await app.close();
  });

  it('publishes an action until a date, lists it publicly and counts the reports that name it', async () => {
    expect((await call(app, officer, 'POST', `/api/personnel/actions/${actionId}/publish-notice`, { noticeUntil: today })).statusCode).toBe(400);
    const until = addCalendarDays(today, 10);
    const published = await call(app, officer, 'POST', `/api/personnel/actions/${actionId}/publish-notice`, { noticeUntil: until });
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ state: 'public_notice', noticeUntil: until, commentCount: 0 });

    const notices = (await app.inject({ method: 'GET', url: '/api/public/notices?limit=50' })).json().items as Array<{ id: string; cadreName: string; noticeUntil: string }>;
    expect(notices.find((n) => n.id === actionId)).toMatchObject({ cadreName: 'Mai Công Khai', noticeUntil: until });

    // Two reports filed about the notice (as the intake stores them), one still pending its uploads.
    for (const pending of [false, false, true]) {
      await insertCase(app.database.db, {
        publicRef: `MB-N${randomBytes(4).toString('hex').toUpperCase()}`, category: 'organization_personnel', jurisdictionCode: 'MA', channel: 'web',
        noticeActionId: actionId, lookupTokenHash: randomBytes(32), reporterPublicKey: randomBytes(32), receivedOn: today,
        ...(pending ? { pendingUntil: new Date(Date.now() + 3_600_000) } : {}),
      });
    }
    const list = (await call(app, officer, 'GET', '/api/personnel/actions?state=public_notice')).json().items as Array<{ id: string; commentCount: number }>;
    expect(list.find((a) => a.id === actionId)?.commentCount).toBe(2);
    const detail = await call(app, officer, 'GET', `/api/personnel/actions/${actionId}`);
    expect(detail.json().commentCount).toBe(2);
    // Counts only: nothing of the reports reaches the officer.
    expect(Object.keys(detail.json()).sort()).not.toContain('comments');

    // Comments are open until the end of the last day: no decision before that.
    const early = await call(app, officer, 'POST', `/api/personnel/actions/${actionId}/submit`, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('INVALID_TRANSITION');
  });
});
