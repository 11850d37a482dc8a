// Administrators manage bodies and accounts, a page at a time; they cannot change their own
// account, put a role in the wrong kind of body, or reach anything of a case.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { getBodyByCode } from '../../server/repositories/body.repository.ts';
import {
  authApp, call, cookieFrom, createAccount, ensureDemo, signIn, signInPassphrase, testClock, totpCode, type Account, type Client,
} from './auth-helpers.ts';

const clock = testClock();
let app: FastifyInstance;
let adminAccount: Account;
let admin: Client;

beforeAll(async () => {
  app = await authApp(clock);
  await ensureDemo(app);
  adminAccount = await createAccount(app, { bodyCode: 'ma-qt', role: 'administrator' });
  admin = await signIn(app, adminAccount, clock);
});

afterAll(async () => {
  await app?.close();
});

describe('bodies', () => {
  it('lists bodies a page at a time, in code order, with key status and no case data', async () => {
    const first = (await call(app, admin, 'GET', '/api/admin/bodies?limit=4')).json();
    expect(first.items).toHaveLength(4);
    expect(first.nextCursor).toBe(first.items[3].code);
    const second = (await call(app, admin, 'GET', `/api/admin/bodies?limit=4&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].code > first.items[3].code).toBe(true);
    const mttq = [...first.items, ...second.items].find((b: { code: string }) => b.code === 'ma-mttq') ?? (await call(app, admin, 'GET', '/api/admin/bodies?limit=100')).json().items.find((b: { code: string }) => b.code === 'ma-mttq');
    expect(mttq).toMatchObject({ kind: 'front_intake', currentKeyVersion: 1, pendingKeyVersion: null, keyRotationNeeded: false });
    expect(mttq.members).toBeGreaterThanOrEqual(2);
  });

  it('creates a body without a key, and refuses a level that does not match its jurisdiction', async () => {
    const code = `t-mttq-${randomBytes(3).toString('hex')}`;
    const ok = await call(app, admin, 'POST', '/api/admin/bodies', { code, kind: 'front_intake', level: 'ward', jurisdictionCode: 'MA-BM-AL', nameVi: 'Ban thử', nameEn: 'Test desk' });
    expect(ok.statusCode).toBe(201);
    expect((await call(app, admin, 'POST', '/api/admin/bodies', { code, kind: 'front_intake', level: 'ward', jurisdictionCode: 'MA-BM-AL', nameVi: 'Ban thử', nameEn: 'Test desk' })).statusCode).toBe(409);
    const mismatch = await call(app, admin, 'POST', '/api/admin/bodies', { code: `${code}-x`, kind: 'front_intake', level: 'city', jurisdictionCode: 'MA-BM-AL', nameVi: 'Ban thử', nameEn: 'Test desk' });
    expect(mismatch.statusCode).toBe(400);
  });

  it('deactivates a body only once it has no active members', async () => {
    const code = `t-btc-${randomBytes(3).toString('hex')}`;
    const id = (await call(app, admin, 'POST', '/api/admin/bodies', { code, kind: 'organization_board', level: 'district', jurisdictionCode: 'MA-BM', nameVi: 'BTC thử', nameEn: 'Test board' })).json().id;
    const member = await createAccount(app, { bodyCode: code, role: 'personnel_officer' });
    expect((await call(app, admin, 'POST', `/api/admin/bodies/${id}/deactivate`)).statusCode).toBe(409);
    expect((await call(app, admin, 'POST', `/api/admin/staff/${member.id}/deactivate`)).statusCode).toBe(200);
    expect((await call(app, admin, 'POST', `/api/admin/bodies/${id}/deactivate`)).statusCode).toBe(200);
    expect((await getBodyByCode(app.database.db, code))?.active).toBe(false);
  });
});

describe('staff accounts', () => {
  it('creates an account with a temporary passphrase shown once, which must be replaced after enrolling a second factor', async () => {
    const body = await getBodyByCode(app.database.db, 'ma-ubkt');
    const username = `new.${randomBytes(3).toString('hex')}`;
    const res = await call(app, admin, 'POST', '/api/admin/staff', { bodyId: body!.id, username, displayName: 'Cán bộ mới', role: 'inspection_investigator' });
    expect(res.statusCode, res.body).toBe(201);
    const { id, temporaryPassphrase } = res.json();
    expect(temporaryPassphrase.length).toBeGreaterThanOrEqual(20);
    const account: Account = { id, username, passphrase: temporaryPassphrase, role: 'inspection_investigator', bodyId: body!.id, totpSecret: null, ip: '10.1.2.3' };
    const first = await signInPassphrase(app, account);
    expect(first.json().stage).toBe('enrol_second_factor');
    const pending = { cookie: cookieFrom(first) ?? '', csrf: first.json().csrfToken, ip: '10.1.2.3' };
    const { secret } = (await call(app, pending, 'POST', '/api/auth/totp/enrolment')).json();
    const done = await call(app, pending, 'POST', '/api/auth/totp/enrolment/confirm', { code: await totpCode(secret, clock.now()) });
    const client = { cookie: cookieFrom(done) ?? '', csrf: done.json().csrfToken, ip: '10.1.2.3' };
    expect((await call(app, client, 'GET', '/api/auth/session')).json()).toMatchObject({ stage: 'complete', mustChangePassphrase: true, hasKeys: false });
    const listed = (await call(app, admin, 'GET', `/api/admin/staff?bodyId=${body!.id}&limit=100`)).json().items.find((s: { id: string }) => s.id === id);
    expect(listed).toMatchObject({ username, secondFactor: true, hasKeys: false, mustChangePassphrase: true, active: true });
    expect(JSON.stringify(listed)).not.toContain(temporaryPassphrase);
  });

  it('refuses a role in the wrong kind of body and a taken username', async () => {
    const board = await getBodyByCode(app.database.db, 'ma-btc');
    const wrong = await call(app, admin, 'POST', '/api/admin/staff', { bodyId: board!.id, username: `x.${randomBytes(3).toString('hex')}`, displayName: 'X Y', role: 'inspection_lead' });
    expect(wrong.statusCode).toBe(400);
    const taken = await call(app, admin, 'POST', '/api/admin/staff', { bodyId: board!.id, username: adminAccount.username, displayName: 'X Y', role: 'personnel_officer' });
    expect(taken.statusCode).toBe(409);
  });

  it('pages through staff in username order', async () => {
    const first = (await call(app, admin, 'GET', '/api/admin/staff?limit=3')).json();
    expect(first.items).toHaveLength(3);
    const second = (await call(app, admin, 'GET', `/api/admin/staff?limit=3&cursor=${encodeURIComponent(first.nextCursor)}`)).json();
    expect(second.items[0].username.toLowerCase() > first.items[2].username.toLowerCase()).toBe(true);
  });

  it('does not let an administrator change their own account', async () => {
    for (const action of ['deactivate', 'reset-second-factor', 'reset-passphrase']) {
      const res = await call(app, admin, 'POST', `/api/admin/staff/${adminAccount.id}/${action}`);
      expect(res.statusCode, action).toBe(403);
      expect(res.json().error.details.reason).toBe('SAME_PERSON');
    }
  });

  it('resets a second factor: sessions end and the member enrols again', async () => {
    const member = await createAccount(app, { bodyCode: 'ma-mttq', role: 'front_member' });
    const client = await signIn(app, member, clock);
    expect((await call(app, admin, 'POST', `/api/admin/staff/${member.id}/reset-second-factor`)).statusCode).toBe(200);
    expect((await call(app, client, 'GET', '/api/staff/me')).statusCode).toBe(401);
    expect((await signInPassphrase(app, member)).json().stage).toBe('enrol_second_factor');
  });

  it('moves a member: a Front reviewer moved out loses the body key and the desk is told to rotate', async () => {
    const reviewer = await createAccount(app, { bodyCode: 'ma-bm-mttq', role: 'front_reviewer', withKeys: true });
    const mttq = await getBodyByCode(app.database.db, 'ma-bm-mttq');
    await app.database.sql`INSERT INTO body_key_grants (body_id, key_version, staff_id, sealed_private_key) VALUES (${mttq!.id}, 1, ${reviewer.id}, ${Buffer.alloc(81)})`;
    const ubkt = await getBodyByCode(app.database.db, 'ma-bm-ubkt');
    expect((await call(app, admin, 'POST', `/api/admin/staff/${reviewer.id}/move`, { bodyId: ubkt!.id, role: 'inspection_investigator' })).statusCode).toBe(200);
    const [grant] = await app.database.sql`SELECT revoked_at FROM body_key_grants WHERE staff_id = ${reviewer.id}`;
    expect(grant!['revoked_at']).not.toBeNull();
    expect((await getBodyByCode(app.database.db, 'ma-bm-mttq'))?.keyRotationNeededAt).not.toBeNull();
    // Leave the demo desk as it was for other tests.
    await app.database.sql`UPDATE bodies SET key_rotation_needed_at = NULL WHERE id = ${mttq!.id}`;
  });

  it('is for administrators only', async () => {
    for (const [code, role] of [['ma-qt', 'auditor'], ['ma-btc', 'personnel_officer'], ['ma-ubkt', 'inspection_lead']] as const) {
      const client = await signIn(app, await createAccount(app, { bodyCode: code, role }), clock);
      expect((await call(app, client, 'GET', '/api/admin/staff')).statusCode, role).toBe(403);
      expect((await call(app, client, 'GET', '/api/admin/bodies')).statusCode, role).toBe(403);
    }
  });
});
