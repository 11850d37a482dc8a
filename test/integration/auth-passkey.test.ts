// Passkeys as a second factor, driven by a software authenticator (ES256, "none"
// attestation) built here from the WebAuthn spec: registration while signed in, then
// sign-in with an assertion; each challenge answers once.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { isoCBOR } from '@simplewebauthn/server/helpers';
import { authApp, call, cookieFrom, createAccount, ensureDemo, signIn, signInPassphrase, testClock, type Account, type Client } from './auth-helpers.ts';
import { testConfig } from './harness.ts';

const ORIGIN = 'https://minhbach.example';
const RP_ID = 'minhbach.example';
const clock = testClock();
let app: FastifyInstance;

const b64 = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

type Authenticator = { credentialId: Buffer; privateKey: KeyObject; cosePublicKey: Uint8Array; counter: number };

function newAuthenticator(): Authenticator {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  // COSE_Key: kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y.
  const cose = isoCBOR.encode(new Map<number, number | Uint8Array>([
    [1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x ?? '', 'base64url')], [-3, Buffer.from(jwk.y ?? '', 'base64url')],
  ]));
  return { credentialId: randomBytes(16), privateKey, cosePublicKey: cose, counter: 0 };
}

function registration(auth: Authenticator, challenge: string) {
  const flags = Buffer.of(0x45); // user present, user verified, attested credential data
  const credentialData = Buffer.concat([Buffer.alloc(16), Buffer.from([0, auth.credentialId.length]), auth.credentialId, Buffer.from(auth.cosePublicKey)]);
  const authData = Buffer.concat([sha256(RP_ID), flags, Buffer.alloc(4), credentialData]);
  const attestationObject = isoCBOR.encode(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]) as never);
  const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge, origin: ORIGIN, crossOrigin: false }));
  return {
    id: b64(auth.credentialId), rawId: b64(auth.credentialId), type: 'public-key', clientExtensionResults: {},
    response: { clientDataJSON: b64(clientDataJSON), attestationObject: b64(attestationObject), transports: ['internal'] },
  };
}

function assertion(auth: Authenticator, challenge: string, opts: { origin?: string } = {}) {
  auth.counter += 1;
  const counter = Buffer.alloc(4);
  counter.writeUInt32BE(auth.counter);
  const authData = Buffer.concat([sha256(RP_ID), Buffer.of(0x05), counter]);
  const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin: opts.origin ?? ORIGIN, crossOrigin: false }));
  const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), auth.privateKey);
  return {
    id: b64(auth.credentialId), rawId: b64(auth.credentialId), type: 'public-key', clientExtensionResults: {},
    response: { clientDataJSON: b64(clientDataJSON), authenticatorData: b64(authData), signature: b64(signature) },
  };
}

let account: Account;
const authenticator = newAuthenticator();

async function pendingSession(): Promise<Client> {
  const res = await signInPassphrase(app, account);
  return { cookie: cookieFrom(res) ?? '', csrf: res.json().csrfToken as string, ip: account.ip };
}

beforeAll(async () => {
  app = await authApp(clock, testConfig({ PUBLIC_ORIGIN: ORIGIN }));
  await ensureDemo(app);
  account = await createAccount(app, { bodyCode: 'ma-ubkt', role: 'inspection_lead' });
});

afterAll(async () => {
  await app?.close();
});

describe('passkeys', () => {
  it('registers a passkey for a signed-in member', async () => {
    const client = await signIn(app, account, clock);
    const options = await call(app, client, 'POST', '/api/auth/passkeys/registration-options');
    expect(options.statusCode, options.body).toBe(200);
    expect(options.json().rp).toEqual({ name: 'Minh Bạch', id: RP_ID });
    const res = await call(app, client, 'POST', '/api/auth/passkeys', { response: registration(authenticator, options.json().challenge) });
    expect(res.statusCode, res.body).toBe(200);
    expect((await call(app, client, 'GET', '/api/auth/session')).json().secondFactor).toEqual({ totp: true, passkeys: 1 });
  });

  it('signs in with the passkey as the second factor, once per challenge', async () => {
    const pending = await pendingSession();
    const options = (await call(app, pending, 'POST', '/api/auth/passkey/options')).json();
    expect(options.allowCredentials).toEqual([expect.objectContaining({ id: b64(authenticator.credentialId) })]);
    const signed = assertion(authenticator, options.challenge);
    const res = await call(app, pending, 'POST', '/api/auth/passkey', { response: signed });
    expect(res.statusCode, res.body).toBe(200);
    const client = { cookie: cookieFrom(res) ?? '', csrf: res.json().csrfToken as string, ip: account.ip };
    expect((await call(app, client, 'GET', '/api/staff/me')).statusCode).toBe(200);
    // The same assertion on another pending session: its challenge is not this one.
    const other = await pendingSession();
    await call(app, other, 'POST', '/api/auth/passkey/options');
    expect((await call(app, other, 'POST', '/api/auth/passkey', { response: signed })).statusCode).toBe(401);
  });

  it('refuses an assertion made for another origin, and counts it as a failure', async () => {
    const pending = await pendingSession();
    const options = (await call(app, pending, 'POST', '/api/auth/passkey/options')).json();
    const res = await call(app, pending, 'POST', '/api/auth/passkey', { response: assertion(authenticator, options.challenge, { origin: 'https://phishing.example' }) });
    expect(res.statusCode).toBe(401);
    const [row] = await app.database.sql`SELECT failed_sign_ins FROM staff WHERE id = ${account.id}`;
    expect(row!['failed_sign_ins']).toBeGreaterThan(0);
  });

  it('is not offered where WebAuthn cannot work (an IP address over plain http)', async () => {
    const plain = await authApp(clock);
    try {
      const client = await signIn(plain, account, clock);
      const res = await call(plain, client, 'POST', '/api/auth/passkeys/registration-options');
      expect(res.statusCode).toBe(409);
      expect((await call(plain, client, 'GET', '/api/auth/session')).json().passkeysAvailable).toBe(false);
    } finally {
      await plain.close();
    }
  });
});
