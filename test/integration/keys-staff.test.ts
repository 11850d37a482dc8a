// A member's own keys: made and wrapped in the browser, stored as ciphertext; passphrase
// change and recovery replace them atomically; nothing secret is stored in the clear.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  changePassphrase, createStaffKeyBundles, deriveLoginSecret, encodeRecoveryProof, fromBase64Url, generateBoxKeyPair,
  generateSigningKeyPair, initCrypto, signDetached, toBase64Url, toHex, unlockWithPassphrase, unlockWithRecoveryKey,
  wrapWithRecoveryKey, generateRecoveryKey,
} from '../../server/crypto/index.ts';
import {
  authApp, call, cookieFrom, createAccount, ensureDemo, freshIp, loginSecret, signIn, signInPassphrase, testClock, totpCode, type Account,
} from './auth-helpers.ts';

const clock = testClock();
let app: FastifyInstance;

beforeAll(async () => {
  await initCrypto();
  app = await authApp(clock);
  await ensureDemo(app);
});

afterAll(async () => {
  await app?.close();
});

/** What the browser does at first sign-in: key pairs, both bundles (default Argon2id limits). */
function browserKeys(passphrase: string) {
  const box = generateBoxKeyPair();
  const sign = generateSigningKeyPair();
  const bundles = createStaffKeyBundles({ boxPrivateKey: box.privateKey, signPrivateKey: sign.privateKey }, passphrase);
  return { box, sign, bundles };
}

type Made = { account: Account; newPassphrase: string; keys: ReturnType<typeof browserKeys> };

async function accountWithUploadedKeys(): Promise<Made> {
  const account = await createAccount(app, { bodyCode: 'ma-ubkt', role: 'inspection_investigator', temporary: true });
  const client = await signIn(app, account, clock);
  const newPassphrase = `${account.passphrase} – của tôi`;
  const keys = browserKeys(newPassphrase);
  const res = await call(app, client, 'POST', '/api/keys/me', {
    currentLoginSecret: await loginSecret(account.username, account.passphrase),
    newLoginSecret: await loginSecret(account.username, newPassphrase),
    boxPublicKey: toBase64Url(keys.box.publicKey),
    signPublicKey: toBase64Url(keys.sign.publicKey),
    passphraseBundle: toBase64Url(keys.bundles.passphraseBundle),
    recoveryBundle: toBase64Url(keys.bundles.recoveryBundle),
  });
  expect(res.statusCode, res.body).toBe(201);
  return { account, newPassphrase, keys };
}

describe('first key set-up', () => {
  let made: Made;
  beforeAll(async () => {
    made = await accountWithUploadedKeys();
  });

  it('stores the public keys and the bundle that unlocks under the new passphrase', async () => {
    const { account, newPassphrase, keys } = made;
    const client = await signIn(app, { ...account, passphrase: newPassphrase }, clock);
    const mine = (await call(app, client, 'GET', '/api/keys/me')).json();
    expect(mine).toMatchObject({ hasKeys: true, boxPublicKey: toBase64Url(keys.box.publicKey), signPublicKey: toBase64Url(keys.sign.publicKey) });
    const unlocked = unlockWithPassphrase(fromBase64Url(mine.passphraseBundle), newPassphrase);
    expect(unlocked.box.privateKey).toEqual(keys.box.privateKey);
    expect((await call(app, client, 'GET', '/api/auth/session')).json().mustChangePassphrase).toBe(false);
  });

  it('refuses a second upload: the first keys stay', async () => {
    const { account, newPassphrase } = made;
    const client = await signIn(app, { ...account, passphrase: newPassphrase }, clock);
    const other = browserKeys(newPassphrase);
    const res = await call(app, client, 'POST', '/api/keys/me', {
      currentLoginSecret: await loginSecret(account.username, newPassphrase),
      boxPublicKey: toBase64Url(other.box.publicKey), signPublicKey: toBase64Url(other.sign.publicKey),
      passphraseBundle: toBase64Url(other.bundles.passphraseBundle), recoveryBundle: toBase64Url(other.bundles.recoveryBundle),
    });
    expect(res.statusCode).toBe(409);
  });

  it('refuses a bundle wrapped with a weaker passphrase derivation than the default', async () => {
    const account = await createAccount(app, { bodyCode: 'ma-ubkt', role: 'inspection_investigator' });
    const client = await signIn(app, account, clock);
    const box = generateBoxKeyPair();
    const sign = generateSigningKeyPair();
    const weak = createStaffKeyBundles({ boxPrivateKey: box.privateKey, signPrivateKey: sign.privateKey }, account.passphrase, { limits: { opslimit: 1, memlimit: 8192 } });
    const res = await call(app, client, 'POST', '/api/keys/me', {
      currentLoginSecret: await loginSecret(account.username, account.passphrase),
      boxPublicKey: toBase64Url(box.publicKey), signPublicKey: toBase64Url(sign.publicKey),
      passphraseBundle: toBase64Url(weak.passphraseBundle), recoveryBundle: toBase64Url(weak.recoveryBundle),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields).toEqual(['passphraseBundle']);
  });

  it('refuses key set-up with a wrong current passphrase, and counts it', async () => {
    const account = await createAccount(app, { bodyCode: 'ma-ubkt', role: 'inspection_investigator' });
    const client = await signIn(app, account, clock);
    const keys = browserKeys(account.passphrase);
    const res = await call(app, client, 'POST', '/api/keys/me', {
      currentLoginSecret: await loginSecret(account.username, 'not it'),
      boxPublicKey: toBase64Url(keys.box.publicKey), signPublicKey: toBase64Url(keys.sign.publicKey),
      passphraseBundle: toBase64Url(keys.bundles.passphraseBundle), recoveryBundle: toBase64Url(keys.bundles.recoveryBundle),
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('passphrase change', () => {
  it('replaces the login verifier and the key bundle together, and ends the other sessions', async () => {
    const { account, newPassphrase, keys } = await accountWithUploadedKeys();
    const current = { ...account, passphrase: newPassphrase };
    const client = await signIn(app, current, clock);
    const elsewhere = await signIn(app, current, clock);
    const mine = (await call(app, client, 'GET', '/api/keys/me')).json();
    const third = 'a third passphrase, long enough';
    const withoutBundle = await call(app, client, 'POST', '/api/auth/passphrase', {
      currentLoginSecret: await loginSecret(account.username, newPassphrase),
      newLoginSecret: await loginSecret(account.username, third),
    });
    expect(withoutBundle.statusCode).toBe(400);
    const rewrapped = changePassphrase(fromBase64Url(mine.passphraseBundle), newPassphrase, third);
    const res = await call(app, client, 'POST', '/api/auth/passphrase', {
      currentLoginSecret: await loginSecret(account.username, newPassphrase),
      newLoginSecret: await loginSecret(account.username, third),
      passphraseBundle: toBase64Url(rewrapped),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect((await call(app, elsewhere, 'GET', '/api/staff/me')).statusCode).toBe(401);
    expect((await call(app, client, 'GET', '/api/staff/me')).statusCode).toBe(200);
    expect((await signInPassphrase(app, current)).statusCode).toBe(401);
    const after = await signIn(app, { ...account, passphrase: third }, clock);
    const bundle = fromBase64Url((await call(app, after, 'GET', '/api/keys/me')).json().passphraseBundle);
    expect(unlockWithPassphrase(bundle, third).sign.publicKey).toEqual(keys.sign.publicKey);
  });
});

describe('nothing secret at rest', () => {
  it('keeps no private key, passphrase, login secret, recovery key or TOTP secret in the staff rows or a pg_dump', async () => {
    const { account, newPassphrase, keys } = await accountWithUploadedKeys();
    const totp = account.totpSecret ?? '';
    const loginSecretB64 = await loginSecret(account.username, newPassphrase);
    const secrets = [
      keys.box.privateKey, keys.sign.privateKey, keys.sign.privateKey.subarray(0, 32), fromBase64Url(loginSecretB64),
    ].flatMap((bytes) => [toHex(bytes), Buffer.from(bytes).toString('base64'), toBase64Url(bytes), toHex(bytes.subarray(0, 16))]);
    const texts = [newPassphrase, account.passphrase, totp, totp.toLowerCase(), keys.bundles.recoveryKey, keys.bundles.recoveryKey.replace(/-/g, '')];
    const rows = await app.database.sql`SELECT * FROM staff`;
    const rowDump = JSON.stringify(rows, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v));
    const rowDumpB64 = JSON.stringify(rows, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
    const pgDump = execFileSync('pg_dump', ['--data-only', '-t', 'staff', '-t', 'staff_sessions', '-t', 'webauthn_credentials', '-t', 'audit_log', app.config.databaseUrl], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(pgDump).toContain(account.username);
    for (const dump of [rowDump, rowDumpB64, pgDump]) {
      for (const needle of [...secrets, ...texts]) expect(dump.includes(needle), `found ${needle.slice(0, 8)}…`).toBe(false);
    }
  });
});

describe('recovery with the recovery key', () => {
  /** The browser side: open the recovery bundle, wrap under a new passphrase, sign the proof. */
  async function recover(account: Account, recoveryKey: string, newPassphrase: string, totp?: string) {
    const started = await app.inject({ remoteAddress: freshIp(), method: 'POST', url: '/api/auth/recovery', payload: { username: account.username } });
    expect(started.statusCode).toBe(200);
    const { challenge, recoveryBundle, needsSecondFactor } = started.json();
    const opened = unlockWithRecoveryKey(fromBase64Url(recoveryBundle), recoveryKey);
    const privateKeys = { boxPrivateKey: opened.box.privateKey, signPrivateKey: opened.sign.privateKey };
    const newRecoveryKey = generateRecoveryKey();
    const passphraseBundle = createStaffKeyBundles(privateKeys, newPassphrase).passphraseBundle;
    const newRecoveryBundle = wrapWithRecoveryKey(privateKeys, newRecoveryKey);
    const newLoginSecret = deriveLoginSecret(account.username, newPassphrase);
    const signature = signDetached(opened.sign.privateKey, encodeRecoveryProof({
      username: account.username, challenge: fromBase64Url(challenge), newLoginSecret, passphraseBundle, recoveryBundle: newRecoveryBundle,
    }));
    const payload = {
      username: account.username, challenge, signature: toBase64Url(signature), newLoginSecret: toBase64Url(newLoginSecret),
      passphraseBundle: toBase64Url(passphraseBundle), recoveryBundle: toBase64Url(newRecoveryBundle), ...(totp ? { totpCode: totp } : {}),
    };
    return { needsSecondFactor, payload, newRecoveryKey, opened };
  }

  it('sets a new passphrase with the recovery key and the second factor; the old passphrase and proof stop working', async () => {
    const account = await createAccount(app, { bodyCode: 'ma-ubkt', role: 'inspection_lead', withKeys: true });
    const keys = account.keys!;
    clock.advance(30_000);
    const flow = await recover(account, keys.recoveryKey, 'a brand new passphrase', await totpCode(account.totpSecret ?? '', clock.now()));
    expect(flow.needsSecondFactor).toBe(true);
    expect(flow.opened.box.publicKey).toEqual(keys.box.publicKey);
    const done = await app.inject({ remoteAddress: freshIp(), method: 'POST', url: '/api/auth/recovery/complete', payload: flow.payload });
    expect(done.statusCode, done.body).toBe(200);
    expect((await signInPassphrase(app, account)).statusCode).toBe(401);
    const client = await signIn(app, { ...account, passphrase: 'a brand new passphrase' }, clock);
    const bundle = fromBase64Url((await call(app, client, 'GET', '/api/keys/me')).json().passphraseBundle);
    expect(unlockWithPassphrase(bundle, 'a brand new passphrase').box.privateKey).toEqual(keys.box.privateKey);
    // The same request again: the challenge was bound to the old verifier.
    const replay = await app.inject({ remoteAddress: freshIp(), method: 'POST', url: '/api/auth/recovery/complete', payload: flow.payload });
    expect(replay.statusCode).toBe(409);
  });

  it('refuses recovery without the second factor while one is enrolled', async () => {
    const account = await createAccount(app, { bodyCode: 'ma-ubkt', role: 'inspection_lead', withKeys: true });
    const flow = await recover(account, account.keys!.recoveryKey, 'another new passphrase');
    const res = await app.inject({ remoteAddress: freshIp(), method: 'POST', url: '/api/auth/recovery/complete', payload: flow.payload });
    expect(res.statusCode).toBe(401);
    expect((await signInPassphrase(app, account)).statusCode).toBe(200);
  });

  it('refuses a proof signed by another key', async () => {
    const account = await createAccount(app, { bodyCode: 'ma-ubkt', role: 'inspection_lead', withKeys: true });
    clock.advance(30_000);
    const flow = await recover(account, account.keys!.recoveryKey, 'yet another passphrase', await totpCode(account.totpSecret ?? '', clock.now()));
    const forged = { ...flow.payload, signature: toBase64Url(signDetached(generateSigningKeyPair().privateKey, new Uint8Array(8))) };
    const res = await app.inject({ remoteAddress: freshIp(), method: 'POST', url: '/api/auth/recovery/complete', payload: forged });
    expect(res.statusCode).toBe(401);
  });

  it('answers an unknown account like a real one (a bundle of the same shape), and refuses to complete', async () => {
    const res = await app.inject({ remoteAddress: freshIp(), method: 'POST', url: '/api/auth/recovery', payload: { username: 'no.such.person' } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(fromBase64Url(body.recoveryBundle).length).toBe(105);
    expect(fromBase64Url(body.challenge).length).toBe(56);
    const again = (await app.inject({ remoteAddress: freshIp(), method: 'POST', url: '/api/auth/recovery', payload: { username: 'no.such.person' } })).json();
    expect(again.recoveryBundle).toBe(body.recoveryBundle);
  });

  it('after an administrator reset the second factor, recovers with the key alone and asks for a new authenticator', async () => {
    const admin = await createAccount(app, { bodyCode: 'ma-qt', role: 'administrator' });
    const account = await createAccount(app, { bodyCode: 'ma-ubkt', role: 'inspection_lead', withKeys: true });
    const adminClient = await signIn(app, admin, clock);
    expect((await call(app, adminClient, 'POST', `/api/admin/staff/${account.id}/reset-second-factor`)).statusCode).toBe(200);
    const flow = await recover(account, account.keys!.recoveryKey, 'after the reset passphrase');
    expect(flow.needsSecondFactor).toBe(false);
    expect((await app.inject({ remoteAddress: freshIp(), method: 'POST', url: '/api/auth/recovery/complete', payload: flow.payload })).statusCode).toBe(200);
    const res = await signInPassphrase(app, { ...account, passphrase: 'after the reset passphrase' });
    expect(res.json().stage).toBe('enrol_second_factor');
    expect(cookieFrom(res)).not.toBeNull();
  });
});
