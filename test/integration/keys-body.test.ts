// Body keys: the signed directory, creation in a member's browser, grants sealed member to
// member, revocation and rotation when a member leaves. Administrators, personnel officers
// and auditors never get near a body key.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  boxKeyPairFromPrivateKey, fromBase64Url, generateBoxKeyPair, initCrypto, openSealedKey, sealKey, toBase64Url, verifyDirectoryEntry,
} from '../../server/crypto/index.ts';
import { DEMO_BODIES } from '../../server/demo/demo-data.ts';
import { DEMO_ROOT_PUBLIC_KEY_B64, demoRootKeyPair } from '../../server/demo/demo-root.ts';
import { signPendingBodyKeys } from '../../server/services/body-keys.service.ts';
import { authApp, call, createAccount, ensureDemo, signIn, testClock, type Account, type Client } from './auth-helpers.ts';

const clock = testClock();
let app: FastifyInstance;
let admin: Client;
let bodyId: string;
let bodyCode: string;
let lead: Account;
let leadClient: Client;
let investigator: Account;

beforeAll(async () => {
  await initCrypto();
  app = await authApp(clock);
  await ensureDemo(app);
  admin = await signIn(app, await createAccount(app, { bodyCode: 'ma-qt', role: 'administrator' }), clock);
  bodyCode = `t-ubkt-${randomBytes(3).toString('hex')}`;
  const created = await call(app, admin, 'POST', '/api/admin/bodies', {
    code: bodyCode, kind: 'inspection_committee', level: 'district', jurisdictionCode: 'MA-SX', nameVi: 'UBKT thử', nameEn: 'Test committee',
  });
  expect(created.statusCode, created.body).toBe(201);
  bodyId = created.json().id;
  lead = await createAccount(app, { bodyCode, role: 'inspection_lead', withKeys: true });
  investigator = await createAccount(app, { bodyCode, role: 'inspection_investigator', withKeys: true });
  leadClient = await signIn(app, lead, clock);
});

afterAll(async () => {
  await app?.close();
});

const directory = async () => (await app.inject({ method: 'GET', url: '/api/keys/directory' })).json() as {
  rootPublicKey: string; entries: { bodyId: string; bodyCode: string; keyVersion: number; publicKey: string; createdAt: string; signature: string }[];
};

/** The member's browser: open the grant of `version` with their own box key. */
async function openGrant(client: Client, account: Account, version: number): Promise<Uint8Array> {
  const items = (await call(app, client, 'GET', '/api/keys/me/body-keys')).json().items as { bodyId: string; keyVersion: number; sealedPrivateKey: string; publicKey: string }[];
  const grant = items.find((g) => g.bodyId === bodyId && g.keyVersion === version);
  if (!grant) throw new Error(`no grant of version ${version}`);
  const privateKey = openSealedKey(fromBase64Url(grant.sealedPrivateKey), account.keys!.box.publicKey, account.keys!.box.privateKey);
  expect(toBase64Url(boxKeyPairFromPrivateKey(privateKey).publicKey)).toBe(grant.publicKey);
  return privateKey;
}

async function newVersion(client: Client, account: Account): Promise<{ status: number; keyVersion?: number; body: string }> {
  const pair = generateBoxKeyPair();
  const res = await call(app, client, 'POST', `/api/keys/bodies/${bodyId}/versions`, {
    publicKey: toBase64Url(pair.publicKey), sealedPrivateKey: toBase64Url(sealKey(pair.privateKey, account.keys!.box.publicKey)),
  });
  return { status: res.statusCode, body: res.body, ...(res.statusCode === 201 ? { keyVersion: res.json().keyVersion as number } : {}) };
}

describe('the signed key directory', () => {
  it('publishes every signed current body key with the root key, each verifying against the key built into the web app', async () => {
    const dir = await directory();
    expect(dir.rootPublicKey).toBe(DEMO_ROOT_PUBLIC_KEY_B64);
    expect(dir.entries.map((e) => e.bodyCode)).toEqual(expect.arrayContaining(['ma-mttq', 'ma-ubkt', 'ma-bm-mttq']));
    // Other test files add bodies signed by their own test root keys; the demo's are checked here.
    const demoCodes = new Set(DEMO_BODIES.map((b) => b.code));
    for (const e of dir.entries.filter((entry) => demoCodes.has(entry.bodyCode))) {
      verifyDirectoryEntry(fromBase64Url(DEMO_ROOT_PUBLIC_KEY_B64), { bodyId: e.bodyId, keyVersion: e.keyVersion, publicKey: fromBase64Url(e.publicKey), createdAt: e.createdAt }, fromBase64Url(e.signature));
    }
  });

  it('lists no key for bodies whose key nobody may hold (administration, Organization Board)', async () => {
    const codes = (await directory()).entries.map((e) => e.bodyCode);
    expect(codes).not.toContain('ma-qt');
    expect(codes).not.toContain('ma-btc');
  });
});

describe('a new body’s key', () => {
  it('is created in the first member’s browser, stays out of the directory until the root key signs it', async () => {
    const created = await newVersion(leadClient, lead);
    expect(created.status, created.body).toBe(201);
    expect(created.keyVersion).toBe(1);
    expect((await directory()).entries.some((e) => e.bodyId === bodyId)).toBe(false);
    expect((await newVersion(leadClient, lead)).status).toBe(409);
    const signed = await signPendingBodyKeys(app.database.db, demoRootKeyPair().privateKey);
    expect(signed.map((s) => s.bodyId)).toContain(bodyId);
    const entry = (await directory()).entries.find((e) => e.bodyId === bodyId);
    expect(entry?.keyVersion).toBe(1);
    expect((await newVersion(leadClient, lead)).status).toBe(409);
  });

  it('refuses to sign with a key that is not this deployment’s root key', async () => {
    await expect(signPendingBodyKeys(app.database.db, new Uint8Array(64).fill(1))).rejects.toThrow(/not the root key/);
  });

  it('is granted by the lead to an investigator, who opens it with their own key', async () => {
    const status = (await call(app, leadClient, 'GET', `/api/keys/bodies/${bodyId}`)).json();
    const target = status.members.find((m: { staffId: string }) => m.staffId === investigator.id);
    expect(target).toMatchObject({ eligible: true, heldVersions: [] });
    const bodyPrivate = await openGrant(leadClient, lead, 1);
    const res = await call(app, leadClient, 'POST', `/api/keys/bodies/${bodyId}/grants`, {
      staffId: investigator.id, keyVersion: 1, sealedPrivateKey: toBase64Url(sealKey(bodyPrivate, fromBase64Url(target.boxPublicKey))),
    });
    expect(res.statusCode, res.body).toBe(201);
    const invClient = await signIn(app, investigator, clock);
    expect(await openGrant(invClient, investigator, 1)).toEqual(bodyPrivate);
  });

  it('refuses a grant of a version the granter does not hold', async () => {
    const res = await call(app, leadClient, 'POST', `/api/keys/bodies/${bodyId}/grants`, {
      staffId: investigator.id, keyVersion: 7, sealedPrivateKey: toBase64Url(sealKey(new Uint8Array(32), investigator.keys!.box.publicKey)),
    });
    expect(res.statusCode).toBe(409);
  });

  it('revokes a departing member’s grants and has the next member rotate; old versions stay readable to the rest', async () => {
    expect((await call(app, admin, 'POST', `/api/admin/staff/${investigator.id}/deactivate`)).statusCode).toBe(200);
    const me = (await call(app, leadClient, 'GET', '/api/staff/me')).json();
    expect(me.bodyKey).toMatchObject({ rotationNeeded: true, hasCurrentKey: true, holdsCurrentKey: true });
    const rotated = await newVersion(leadClient, lead);
    expect(rotated.keyVersion).toBe(2);
    expect((await directory()).entries.find((e) => e.bodyId === bodyId)?.keyVersion).toBe(1);
    await signPendingBodyKeys(app.database.db, demoRootKeyPair().privateKey);
    expect((await directory()).entries.find((e) => e.bodyId === bodyId)?.keyVersion).toBe(2);
    const mine = (await call(app, leadClient, 'GET', '/api/keys/me/body-keys')).json().items.filter((g: { bodyId: string }) => g.bodyId === bodyId);
    expect(mine.map((g: { keyVersion: number; status: string }) => [g.keyVersion, g.status])).toEqual([[2, 'current'], [1, 'retired']]);
    const rows = await app.database.sql`SELECT revoked_at FROM body_key_grants WHERE staff_id = ${investigator.id}`;
    expect(rows.every((r) => r['revoked_at'] !== null)).toBe(true);
  });
});

describe('who may touch body keys', () => {
  it('refuses administrators, personnel officers and auditors, even for their own body', async () => {
    for (const [code, role] of [['ma-qt', 'administrator'], ['ma-qt', 'auditor'], ['ma-btc', 'personnel_officer']] as const) {
      const account = await createAccount(app, { bodyCode: code, role, withKeys: true });
      const client = await signIn(app, account, clock);
      const ownBody = account.bodyId;
      for (const target of [bodyId, ownBody]) {
        const status = await call(app, client, 'GET', `/api/keys/bodies/${target}`);
        expect(status.statusCode, `${role} status`).toBe(403);
        const grant = await call(app, client, 'POST', `/api/keys/bodies/${target}/grants`, {
          staffId: lead.id, keyVersion: 1, sealedPrivateKey: toBase64Url(new Uint8Array(81)),
        });
        expect(grant.statusCode, `${role} grant`).toBe(403);
        expect(grant.json().error.code).toBe('FORBIDDEN');
        const version = await call(app, client, 'POST', `/api/keys/bodies/${target}/versions`, { publicKey: toBase64Url(new Uint8Array(32)), sealedPrivateKey: toBase64Url(new Uint8Array(81)) });
        expect(version.statusCode, `${role} version`).toBe(403);
      }
    }
  });

  it('refuses a lead of another body, a Front member and an investigator', async () => {
    const otherLead = await createAccount(app, { bodyCode: 'ma-ubkt', role: 'inspection_lead', withKeys: true });
    const member = await createAccount(app, { bodyCode: 'ma-mttq', role: 'front_member', withKeys: true });
    const inv = await createAccount(app, { bodyCode, role: 'inspection_investigator', withKeys: true });
    for (const account of [otherLead, member, inv]) {
      const client = await signIn(app, account, clock);
      const res = await call(app, client, 'POST', `/api/keys/bodies/${bodyId}/grants`, {
        staffId: inv.id, keyVersion: 2, sealedPrivateKey: toBase64Url(new Uint8Array(81)),
      });
      expect(res.statusCode, account.role).toBe(403);
    }
  });

  it('refuses a grant to someone outside the body', async () => {
    const outsider = await createAccount(app, { bodyCode: 'ma-ubkt', role: 'inspection_investigator', withKeys: true });
    const res = await call(app, leadClient, 'POST', `/api/keys/bodies/${bodyId}/grants`, {
      staffId: outsider.id, keyVersion: 2, sealedPrivateKey: toBase64Url(sealKey(new Uint8Array(32), outsider.keys!.box.publicKey)),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.details.reason).toBe('TARGET_NOT_ELIGIBLE');
  });
});
