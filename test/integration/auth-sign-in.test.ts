// Staff sign-in: passphrase (as a login secret), a second factor for every role, sessions
// with idle and absolute timeouts, CSRF on every state change, brute-force limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  MINUTE, authApp, call, cookieFrom, createAccount, ensureDemo, loginSecret, signIn, signInPassphrase, testClock, totpCode,
  type Account,
} from './auth-helpers.ts';

const clock = testClock();
let app: FastifyInstance;
let reviewer: Account;

beforeAll(async () => {
  app = await authApp(clock);
  await ensureDemo(app);
  reviewer = await createAccount(app, { bodyCode: 'ma-mttq', role: 'front_reviewer' });
});

afterAll(async () => {
  await app?.close();
});

describe('signing in', () => {
  it('opens a complete session with the right passphrase and TOTP code', async () => {
    const client = await signIn(app, reviewer, clock);
    const res = await call(app, client, 'GET', '/api/auth/session');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      signedIn: true, stage: 'complete', csrfToken: client.csrf,
      staff: { username: reviewer.username, role: 'front_reviewer', body: { code: 'ma-mttq' } },
      secondFactor: { totp: true, passkeys: 0 },
    });
  });

  it('sets an httpOnly, SameSite=Strict session cookie (not Secure over plain http)', async () => {
    const res = await signInPassphrase(app, reviewer);
    const header = String(res.headers['set-cookie']);
    expect(header).toMatch(/^mb_staff=/);
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Strict/i);
    expect(header).not.toMatch(/Secure/i);
  });

  it('refuses a wrong passphrase with one answer for wrong and unknown accounts, and sets no cookie', async () => {
    const wrong = await signInPassphrase(app, reviewer, 'not the passphrase');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    expect(cookieFrom(wrong)).toBeNull();
    const unknown = await app.inject({
      method: 'POST', url: '/api/auth/sign-in', remoteAddress: '10.99.0.1',
      payload: { username: 'nobody.here', loginSecret: await loginSecret('nobody.here', 'x') },
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
    // A wrong passphrase counted once; a success at the second factor resets the count.
    await signIn(app, reviewer, clock);
  });

  it('refuses a wrong TOTP code and keeps the session pending', async () => {
    const first = await signInPassphrase(app, reviewer);
    const pending = { cookie: cookieFrom(first) ?? '', csrf: first.json().csrfToken, ip: reviewer.ip };
    const right = await totpCode(reviewer.totpSecret ?? '', clock.now());
    const wrongCode = right === '000000' ? '111111' : '000000';
    const res = await call(app, pending, 'POST', '/api/auth/totp', { code: wrongCode });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('INVALID_CREDENTIALS');
    const session = await call(app, pending, 'GET', '/api/auth/session');
    expect(session.json()).toMatchObject({ signedIn: true, stage: 'second_factor' });
    clock.advance(30_000);
    const ok = await call(app, pending, 'POST', '/api/auth/totp', { code: await totpCode(reviewer.totpSecret ?? '', clock.now()) });
    expect(ok.statusCode).toBe(200);
  });

  it('refuses a TOTP code that was already used (replay)', async () => {
    clock.advance(30_000);
    const code = await totpCode(reviewer.totpSecret ?? '', clock.now());
    const pendingOf = async () => {
      const first = await signInPassphrase(app, reviewer);
      return { cookie: cookieFrom(first) ?? '', csrf: first.json().csrfToken as string, ip: reviewer.ip };
    };
    const a = await call(app, await pendingOf(), 'POST', '/api/auth/totp', { code });
    expect(a.statusCode).toBe(200);
    const replay = await call(app, await pendingOf(), 'POST', '/api/auth/totp', { code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('INVALID_CREDENTIALS');
  });

  it('gives a session without the second factor nothing but the second-factor endpoints', async () => {
    const first = await signInPassphrase(app, reviewer);
    const pending = { cookie: cookieFrom(first) ?? '', csrf: first.json().csrfToken as string, ip: reviewer.ip };
    for (const url of ['/api/keys/me', '/api/staff/me', '/api/keys/me/body-keys']) {
      const res = await call(app, pending, 'GET', url);
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error.code).toBe('SECOND_FACTOR_REQUIRED');
    }
    const everywhere = await call(app, pending, 'POST', '/api/auth/sign-out-everywhere');
    expect(everywhere.json().error.code).toBe('SECOND_FACTOR_REQUIRED');
  });

  it('asks an account without a second factor to enrol an authenticator, then signs it in', async () => {
    const fresh = await createAccount(app, { bodyCode: 'ma-ubkt', role: 'inspection_investigator', withTotp: false });
    const first = await signInPassphrase(app, fresh);
    expect(first.json().stage).toBe('enrol_second_factor');
    const pending = { cookie: cookieFrom(first) ?? '', csrf: first.json().csrfToken as string, ip: fresh.ip };
    const enrol = await call(app, pending, 'POST', '/api/auth/totp/enrolment');
    expect(enrol.statusCode).toBe(200);
    const { secret, otpauthUri } = enrol.json() as { secret: string; otpauthUri: string };
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const confirm = await call(app, pending, 'POST', '/api/auth/totp/enrolment/confirm', { code: await totpCode(secret, clock.now()) });
    expect(confirm.statusCode).toBe(200);
    const client = { cookie: cookieFrom(confirm) ?? '', csrf: confirm.json().csrfToken as string, ip: fresh.ip };
    expect((await call(app, client, 'GET', '/api/auth/session')).json()).toMatchObject({ stage: 'complete', secondFactor: { totp: true } });
    // Once enrolled, a second enrolment is refused: a new device needs an administrator's reset.
    const again = await signInPassphrase(app, fresh);
    expect(again.json().stage).toBe('second_factor');
  });

  it('requires the second factor for every role, administrators and Front members included', async () => {
    for (const [bodyCode, role] of [['ma-qt', 'administrator'], ['ma-qt', 'auditor'], ['ma-mttq', 'front_member'], ['ma-btc', 'personnel_officer']] as const) {
      const account = await createAccount(app, { bodyCode, role });
      const res = await signInPassphrase(app, account);
      expect(res.json().stage, role).toBe('second_factor');
    }
  });
});

describe('brute force', () => {
  it('locks the account after 5 failures in a row, with backoff, even for the right passphrase', async () => {
    const target = await createAccount(app, { bodyCode: 'ma-mttq', role: 'front_reviewer' });
    for (let i = 0; i < 5; i += 1) {
      expect((await signInPassphrase(app, target, 'guess')).statusCode).toBe(401);
    }
    const locked = await signInPassphrase(app, target);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('RATE_LIMITED');
    expect(locked.json().error.details.retryAfterSeconds).toBeGreaterThan(0);
    clock.advance(61_000);
    // The next failure doubles the lock.
    expect((await signInPassphrase(app, target, 'guess')).statusCode).toBe(401);
    clock.advance(61_000);
    expect((await signInPassphrase(app, target)).statusCode).toBe(429);
    clock.advance(61_000);
    const client = await signIn(app, target, clock);
    expect((await call(app, client, 'GET', '/api/staff/me')).statusCode).toBe(200);
  });

  it('counts wrong TOTP codes toward the same lock', async () => {
    const target = await createAccount(app, { bodyCode: 'ma-mttq', role: 'front_reviewer' });
    const first = await signInPassphrase(app, target);
    const pending = { cookie: cookieFrom(first) ?? '', csrf: first.json().csrfToken as string, ip: target.ip };
    const right = await totpCode(target.totpSecret ?? '', clock.now());
    const wrongCode = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i += 1) expect((await call(app, pending, 'POST', '/api/auth/totp', { code: wrongCode })).statusCode).toBe(401);
    const res = await call(app, pending, 'POST', '/api/auth/totp', { code: right });
    expect(res.statusCode).toBe(429);
  });

  it('limits sign-in attempts per client address, whatever the account', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) {
      const res = await app.inject({
        method: 'POST', url: '/api/auth/sign-in', remoteAddress: '10.250.250.250',
        payload: { username: `nobody${i}`, loginSecret: 'A'.repeat(43) },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

describe('sessions', () => {
  it('ends a session left idle for 30 minutes', async () => {
    const client = await signIn(app, reviewer, clock);
    clock.advance(20 * MINUTE);
    expect((await call(app, client, 'GET', '/api/staff/me')).statusCode).toBe(200);
    // Activity moved the idle deadline: 25 minutes after it the session still lives.
    clock.advance(25 * MINUTE);
    expect((await call(app, client, 'GET', '/api/staff/me')).statusCode).toBe(200);
    clock.advance(31 * MINUTE);
    const res = await call(app, client, 'GET', '/api/staff/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
    expect((await call(app, client, 'GET', '/api/auth/session')).json()).toEqual({ signedIn: false });
  });

  it('ends a session 12 hours after sign-in however active it is', async () => {
    const client = await signIn(app, reviewer, clock);
    for (let elapsed = 0; elapsed < 12 * 60; elapsed += 25) {
      clock.advance(25 * MINUTE);
      const res = await call(app, client, 'GET', '/api/staff/me');
      if (elapsed + 25 < 12 * 60) expect(res.statusCode, `after ${elapsed + 25} min`).toBe(200);
      else expect(res.statusCode).toBe(401);
    }
  });

  it('gives the second factor 10 minutes after the passphrase', async () => {
    const first = await signInPassphrase(app, reviewer);
    const pending = { cookie: cookieFrom(first) ?? '', csrf: first.json().csrfToken as string, ip: reviewer.ip };
    clock.advance(11 * MINUTE);
    const res = await call(app, pending, 'POST', '/api/auth/totp', { code: await totpCode(reviewer.totpSecret ?? '', clock.now()) });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('issues a new session token when the second factor completes (no fixation)', async () => {
    const first = await signInPassphrase(app, reviewer);
    const pendingCookie = cookieFrom(first) ?? '';
    const client = await signIn(app, reviewer, clock);
    expect(client.cookie).not.toBe(pendingCookie);
    expect((await call(app, { cookie: pendingCookie, csrf: '', ip: reviewer.ip }, 'GET', '/api/auth/session')).json().signedIn).toBe(true);
  });

  it('refuses a state change without the CSRF token, or with another session’s token', async () => {
    const client = await signIn(app, reviewer, clock);
    const other = await signIn(app, reviewer, clock);
    const missing = await call(app, client, 'POST', '/api/auth/sign-out', undefined, { csrf: null });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.code).toBe('CSRF_FAILED');
    const foreign = await call(app, client, 'POST', '/api/auth/sign-out', undefined, { csrf: other.csrf });
    expect(foreign.json().error.code).toBe('CSRF_FAILED');
    expect((await call(app, client, 'GET', '/api/staff/me')).statusCode).toBe(200);
  });

  it('signs out one session, and everywhere ends every session of the account', async () => {
    const a = await signIn(app, reviewer, clock);
    const b = await signIn(app, reviewer, clock);
    const c = await signIn(app, reviewer, clock);
    const out = await call(app, a, 'POST', '/api/auth/sign-out');
    expect(out.statusCode).toBe(200);
    expect((await call(app, a, 'GET', '/api/staff/me')).statusCode).toBe(401);
    expect((await call(app, b, 'GET', '/api/staff/me')).statusCode).toBe(200);
    const everywhere = await call(app, b, 'POST', '/api/auth/sign-out-everywhere');
    expect(everywhere.statusCode).toBe(200);
    expect(everywhere.json().sessionsEnded).toBeGreaterThanOrEqual(2);
    expect((await call(app, b, 'GET', '/api/staff/me')).statusCode).toBe(401);
    expect((await call(app, c, 'GET', '/api/staff/me')).statusCode).toBe(401);
  });

  it('ends the sessions of a deactivated account at once', async () => {
    const admin = await createAccount(app, { bodyCode: 'ma-qt', role: 'administrator' });
    const target = await createAccount(app, { bodyCode: 'ma-mttq', role: 'front_member' });
    const targetClient = await signIn(app, target, clock);
    const adminClient = await signIn(app, admin, clock);
    expect((await call(app, adminClient, 'POST', `/api/admin/staff/${target.id}/deactivate`)).statusCode).toBe(200);
    expect((await call(app, targetClient, 'GET', '/api/staff/me')).statusCode).toBe(401);
    expect((await signInPassphrase(app, target)).statusCode).toBe(401);
  });
});

describe('temporary passphrases', () => {
  it('lets an account with a temporary passphrase do nothing but replace it', async () => {
    const fresh = await createAccount(app, { bodyCode: 'ma-btc', role: 'personnel_officer', temporary: true });
    const client = await signIn(app, fresh, clock);
    const blocked = await call(app, client, 'GET', '/api/staff/me');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.details.reason).toBe('PASSPHRASE_CHANGE_REQUIRED');
    const newPassphrase = `${fresh.passphrase} but mine`;
    const change = await call(app, client, 'POST', '/api/auth/passphrase', {
      currentLoginSecret: await loginSecret(fresh.username, fresh.passphrase),
      newLoginSecret: await loginSecret(fresh.username, newPassphrase),
    });
    expect(change.statusCode).toBe(200);
    expect((await call(app, client, 'GET', '/api/staff/me')).statusCode).toBe(200);
    expect((await signInPassphrase(app, fresh)).statusCode).toBe(401);
    expect((await signInPassphrase(app, fresh, newPassphrase)).statusCode).toBe(200);
  });
});
