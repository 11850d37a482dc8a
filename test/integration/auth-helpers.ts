// Helpers for the staff authentication tests: a movable clock, the demo deployment, fresh
// accounts, and a client that signs in the way the browser does (login secret, TOTP code).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import { buildApp } from '../../server/app.ts';
import type { Config } from '../../server/config.ts';
import {
  createStaffKeyBundles, deriveLoginSecret, generateBoxKeyPair, generateSigningKeyPair, initCrypto, toBase64Url,
  type BoxKeyPair, type SigningKeyPair,
} from '../../server/crypto/index.ts';
import { seedDemo } from '../../server/demo/seed.ts';
import type { Role } from '../../server/domain/vocabulary.ts';
import { getDeployment } from '../../server/repositories/deployment.repository.ts';
import { getBodyByCode } from '../../server/repositories/body.repository.ts';
import { updateStaffCredentials } from '../../server/repositories/staff.repository.ts';
import { createStaff } from '../../server/services/bootstrap.service.ts';
import { sealTotpSecret, newTotpSecret } from '../../server/services/totp.service.ts';
import { staff } from '../../drizzle/schema/index.ts';
import { eq } from 'drizzle-orm';
import { testConfig } from './harness.ts';

export type TestClock = { now: () => Date; advance: (ms: number) => void; set: (at: Date) => void };

export function testClock(start = new Date()): TestClock {
  let at = start.getTime();
  return { now: () => new Date(at), advance: (ms) => { at += ms; }, set: (d) => { at = d.getTime(); } };
}

export const MINUTE = 60_000;

export async function authApp(clock: TestClock, config: Config = testConfig()): Promise<FastifyInstance> {
  const app = await buildApp({ config, logger: false, clock: clock.now });
  await app.ready();
  return app;
}

/** The demo deployment (seeded once per run, by whichever test file comes first). */
export async function ensureDemo(app: FastifyInstance): Promise<void> {
  if (await getDeployment(app.database.db)) return;
  await seedDemo(app.database.db, {
    rootKeyFile: path.join(app.config.dataDir, 'demo-root-signing.key'),
    serverSecretFile: app.config.serverSecretFile,
    pwhashLimits: { opslimit: 1, memlimit: 8192 },
  });
}

const secretCache = new Map<string, string>();

/** What the browser sends instead of the passphrase (Argon2id: cached, it takes a second). */
export async function loginSecret(username: string, passphrase: string): Promise<string> {
  const key = `${username.toLowerCase()}\0${passphrase}`;
  let value = secretCache.get(key);
  if (!value) {
    await initCrypto();
    value = toBase64Url(deriveLoginSecret(username, passphrase));
    secretCache.set(key, value);
  }
  return value;
}

export type Account = {
  id: string;
  username: string;
  passphrase: string;
  role: Role;
  bodyId: string;
  totpSecret: string | null;
  /** A per-account client address, so per-client rate limits do not couple tests. */
  ip: string;
  keys?: { box: BoxKeyPair; sign: SigningKeyPair; recoveryKey: string };
};

let counter = 0;

/**
 * A fresh account in a demo body: TOTP enrolled unless `withTotp: false`, key pairs stored
 * (as the browser would upload them) when `withKeys`.
 */
export async function createAccount(app: FastifyInstance, opts: {
  bodyCode: string; role: Role; withTotp?: boolean; withKeys?: boolean; temporary?: boolean; passphrase?: string;
}): Promise<Account> {
  await initCrypto();
  const body = await getBodyByCode(app.database.db, opts.bodyCode);
  if (!body) throw new Error(`no body ${opts.bodyCode}`);
  counter += 1;
  const username = `t${counter}.${randomBytes(4).toString('hex')}`;
  const passphrase = opts.passphrase ?? `test passphrase ${randomBytes(6).toString('hex')}`;
  const id = await app.database.db.transaction((tx) => createStaff(tx, {
    bodyId: body.id, username, displayName: `Test ${counter}`, role: opts.role, passphrase, isTemporary: opts.temporary ?? false,
  }));
  const account: Account = {
    id, username, passphrase, role: opts.role, bodyId: body.id, totpSecret: null,
    ip: `10.${counter % 250}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`,
  };
  if (opts.withTotp !== false) {
    account.totpSecret = newTotpSecret();
    await app.database.db.update(staff)
      .set({ totpSecretEnc: sealTotpSecret(app.authDeps.keys.totp, id, account.totpSecret), totpEnabledAt: new Date() })
      .where(eq(staff.id, id));
  }
  if (opts.withKeys) {
    const box = generateBoxKeyPair();
    const sign = generateSigningKeyPair();
    const bundles = createStaffKeyBundles({ boxPrivateKey: box.privateKey, signPrivateKey: sign.privateKey }, passphrase, { limits: { opslimit: 1, memlimit: 8192 } });
    await updateStaffCredentials(app.database.db, id, {
      boxPublicKey: box.publicKey, signPublicKey: sign.publicKey, keyBundlePassphrase: bundles.passphraseBundle, keyBundleRecovery: bundles.recoveryBundle,
    });
    account.keys = { box, sign, recoveryKey: bundles.recoveryKey };
  }
  return account;
}

export const totpCode = (secret: string, at: Date): Promise<string> => generate({ secret, epoch: Math.floor(at.getTime() / 1000) });

/** The session cookie a response set (name=value), or null. */
export function cookieFrom(res: LightMyRequestResponse): string | null {
  const header = res.headers['set-cookie'];
  const first = (Array.isArray(header) ? header : header ? [header] : []).find((c) => c.startsWith('mb_staff=') || c.startsWith('__Host-mb_staff='));
  return first ? (first.split(';')[0] ?? null) : null;
}

export type Client = { cookie: string; csrf: string; ip: string };

/** A new client address: the per-client rate limits are tested on their own, not by accident. */
export const freshIp = (): string => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

export async function signInPassphrase(app: FastifyInstance, account: Account, passphrase = account.passphrase, ip = freshIp()): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST', url: '/api/auth/sign-in', remoteAddress: ip,
    payload: { username: account.username, loginSecret: await loginSecret(account.username, passphrase) },
  });
}

/** Passphrase, then the TOTP code at the clock's time: a complete session. */
export async function signIn(app: FastifyInstance, account: Account, clock: TestClock): Promise<Client> {
  const ip = freshIp();
  const first = await signInPassphrase(app, account, account.passphrase, ip);
  if (first.statusCode !== 200) throw new Error(`sign-in failed: ${first.body}`);
  const pending: Client = { cookie: cookieFrom(first) ?? '', csrf: first.json().csrfToken as string, ip };
  if (!account.totpSecret) throw new Error('account has no TOTP');
  // Each code works once: move to a fresh 30-second step for every sign-in.
  clock.advance(30_000);
  const second = await call(app, pending, 'POST', '/api/auth/totp', { code: await totpCode(account.totpSecret, clock.now()) });
  if (second.statusCode !== 200) throw new Error(`second factor failed: ${second.body}`);
  return { cookie: cookieFrom(second) ?? '', csrf: second.json().csrfToken as string, ip };
}

export function call(
  app: FastifyInstance, client: Client | null, method: 'GET' | 'POST', url: string, payload?: unknown, opts: { csrf?: string | null } = {},
): Promise<LightMyRequestResponse> {
  const csrf = opts.csrf === undefined ? client?.csrf : opts.csrf;
  return app.inject({
    method, url,
    ...(client ? { remoteAddress: client.ip } : {}),
    headers: {
      ...(client ? { cookie: client.cookie } : {}),
      ...(csrf && method !== 'GET' ? { 'x-csrf-token': csrf } : {}),
    },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}
