// What changes with the deployment: Secure cookies over HTTPS, the demo-only TOTP helper,
// and a production start that refuses to run without its server secret.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { DEMO_PASSPHRASE } from '../../server/demo/demo-data.ts';
import { demoTotpSecret } from '../../server/demo/demo-totp.ts';
import { authApp, call, cookieFrom, createAccount, ensureDemo, freshIp, signInPassphrase, testClock, totpCode, type Account } from './auth-helpers.ts';
import { testConfig } from './harness.ts';

const clock = testClock();
let app: FastifyInstance;

beforeAll(async () => {
  app = await authApp(clock);
  await ensureDemo(app);
});

afterAll(async () => {
  await app?.close();
});

const demoReviewer: Account = {
  id: '', username: 'mttq.tiepnhan', passphrase: DEMO_PASSPHRASE, role: 'front_reviewer', bodyId: '', totpSecret: demoTotpSecret('mttq.tiepnhan'), ip: '10.9.9.9',
};

describe('demo mode', () => {
  it('shows a demo account’s current code, which signs it in; the next request offers the next code', async () => {
    const first = await signInPassphrase(app, demoReviewer);
    expect(first.json().stage).toBe('second_factor');
    const shown = await app.inject({ method: 'GET', url: '/api/demo/totp/mttq.tiepnhan', remoteAddress: freshIp() });
    expect(shown.statusCode).toBe(200);
    const { code, secondsLeft } = shown.json();
    expect(code).toBe(await totpCode(demoTotpSecret('mttq.tiepnhan'), clock.now()));
    expect(secondsLeft).toBeGreaterThan(0);
    const pending = { cookie: cookieFrom(first) ?? '', csrf: first.json().csrfToken, ip: freshIp() };
    expect((await call(app, pending, 'POST', '/api/auth/totp', { code })).statusCode).toBe(200);
    const next = (await app.inject({ method: 'GET', url: '/api/demo/totp/mttq.tiepnhan', remoteAddress: freshIp() })).json();
    expect(next.code).not.toBe(code);
    const again = await signInPassphrase(app, demoReviewer);
    const pending2 = { cookie: cookieFrom(again) ?? '', csrf: again.json().csrfToken, ip: freshIp() };
    expect((await call(app, pending2, 'POST', '/api/auth/totp', { code: next.code })).statusCode).toBe(200);
  });

  it('tells nothing about accounts outside the demo list', async () => {
    const account = await createAccount(app, { bodyCode: 'ma-mttq', role: 'front_reviewer' });
    expect((await app.inject({ method: 'GET', url: `/api/demo/totp/${account.username}`, remoteAddress: freshIp() })).statusCode).toBe(404);
  });
});

describe('over HTTPS', () => {
  it('uses a __Host- cookie with Secure, HttpOnly and SameSite=Strict', async () => {
    const httpsApp = await authApp(clock, testConfig({ PUBLIC_ORIGIN: 'https://minhbach.example' }));
    try {
      const account = await createAccount(httpsApp, { bodyCode: 'ma-mttq', role: 'front_reviewer' });
      const res = await signInPassphrase(httpsApp, account);
      const header = String(res.headers['set-cookie']);
      expect(header).toMatch(/^__Host-mb_staff=/);
      expect(header).toMatch(/; Secure/i);
      expect(header).toMatch(/HttpOnly/i);
      expect(header).toMatch(/SameSite=Strict/i);
      expect(header).toMatch(/Path=\//);
    } finally {
      await httpsApp.close();
    }
  });
});

describe('production mode', () => {
  it('refuses to start without the server secret file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'minhbach-prod-'));
    const config = testConfig({ APP_MODE: 'production', PUBLIC_ORIGIN: 'https://minhbach.example', SERVER_SECRET_FILE: path.join(dir, 'missing.key') });
    await expect(buildApp({ config, logger: false })).rejects.toThrow(/server secret/);
  });

  it('has no demo TOTP helper', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'minhbach-prod-'));
    const secretFile = path.join(dir, 'server-secret.key');
    writeFileSync(secretFile, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
    const prodApp = await buildApp({ config: testConfig({ APP_MODE: 'production', PUBLIC_ORIGIN: 'https://minhbach.example', SERVER_SECRET_FILE: secretFile }), logger: false });
    try {
      await prodApp.ready();
      expect((await prodApp.inject({ method: 'GET', url: '/api/demo/totp/mttq.tiepnhan' })).statusCode).toBe(404);
    } finally {
      await prodApp.close();
    }
  });
});
