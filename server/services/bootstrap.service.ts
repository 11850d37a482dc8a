// Creating a deployment, its bodies and its staff. Shared by the admin CLI (production)
// and the demo loader, so both produce the same shapes.
import { randomUUID } from 'node:crypto';
import type { DbOrTx } from '../db/client.ts';
import type { BodyKind, Level, Role } from '../domain/vocabulary.ts';
import {
  createStaffKeyBundles, generateBoxKeyPair, generateSigningKeyPair, initCrypto, sealKey, signDirectoryEntry,
  type BoxKeyPair, type PwhashLimits, type SigningKeyPair,
} from '../crypto/index.ts';
import { insertDeployment } from '../repositories/deployment.repository.ts';
import { insertBody, insertBodyKey, insertBodyKeyGrant, insertStaff } from '../repositories/org.repository.ts';
import { appendAudit } from './audit.service.ts';
import { deriveLoginSecretOffThread, hashLoginSecret } from './auth-passphrase.ts';
import { mayHoldBodyKey } from './body-keys.service.ts';
import { sealTotpSecret } from './totp.service.ts';

export type BodySpec = { code: string; kind: BodyKind; level: Level; jurisdictionCode: string; nameVi: string; nameEn: string };
export type CreatedBody = { id: string; code: string; keyPair: BoxKeyPair | null };

/** The server keeps only the public half of the root key; the caller stores the private half offline. */
export async function createDeployment(tx: DbOrTx, mode: 'demo' | 'production', rootKeys?: SigningKeyPair): Promise<SigningKeyPair> {
  await initCrypto();
  const root = rootKeys ?? generateSigningKeyPair();
  await insertDeployment(tx, { mode, rootSignPublicKey: root.publicKey });
  await appendAudit(tx, { actorKind: 'system', action: 'deployment.created', detail: { mode } });
  return root;
}

/**
 * Creates a body. With the root private key it also creates the body's first key pair and
 * its signed directory entry (the demo does this); otherwise the body's first member creates
 * the key pair in the browser.
 */
export async function createBody(tx: DbOrTx, spec: BodySpec, rootPrivateKey: Uint8Array | null, byStaffId: string | null = null): Promise<CreatedBody> {
  const id = await insertBody(tx, spec);
  await appendAudit(tx, {
    actorKind: byStaffId ? 'staff' : 'system', actorId: byStaffId, action: 'body.created', resourceKind: 'body', resourceId: id,
    detail: { kind: spec.kind, level: spec.level },
  });
  if (!rootPrivateKey) return { id, code: spec.code, keyPair: null };
  await initCrypto();
  const keyPair = generateBoxKeyPair();
  // The signed date is the UTC day of created_at (keys.repository.ts directoryDate): set both from one instant.
  const now = new Date();
  const signature = signDirectoryEntry(rootPrivateKey, { bodyId: id, keyVersion: 1, publicKey: keyPair.publicKey, createdAt: now.toISOString().slice(0, 10) });
  await insertBodyKey(tx, { bodyId: id, version: 1, publicKey: keyPair.publicKey, signature, createdAt: now, signedAt: now });
  await appendAudit(tx, { actorKind: 'system', action: 'body_key.created', resourceKind: 'body', resourceId: id, detail: { keyVersion: 1 } });
  return { id, code: spec.code, keyPair };
}

export type StaffSpec = {
  bodyId: string;
  username: string;
  displayName: string;
  role: Role;
  passphrase: string;
  email?: string;
  /** A passphrase someone else chose (an administrator, the CLI): replaced at first sign-in. */
  isTemporary?: boolean;
};

/**
 * The sign-in verifier for a passphrase: an Argon2id hash of the login secret the browser
 * would derive (deriveLoginSecret), never of the passphrase itself.
 */
export async function hashPassphrase(username: string, passphrase: string): Promise<string> {
  return hashLoginSecret(await deriveLoginSecretOffThread(username, passphrase));
}

/** A staff account without keys: the member generates them in the browser at first sign-in. */
export async function createStaff(tx: DbOrTx, spec: StaffSpec, byStaffId: string | null = null): Promise<string> {
  const id = await insertStaff(tx, {
    bodyId: spec.bodyId,
    username: spec.username,
    displayName: spec.displayName,
    role: spec.role,
    email: spec.email ?? null,
    passphraseHash: await hashPassphrase(spec.username, spec.passphrase),
    mustChangePassphrase: spec.isTemporary ?? false,
  });
  await appendAudit(tx, {
    actorKind: byStaffId ? 'staff' : 'system', actorId: byStaffId, action: 'staff.created', resourceKind: 'staff', resourceId: id,
    detail: { role: spec.role, bodyId: spec.bodyId },
  });
  return id;
}

/**
 * Demo only: a staff account whose key pairs are generated here and wrapped under the demo
 * passphrase, with its TOTP already enrolled (the published demo secret) and the body key
 * granted where the policy lets the role hold it, so a newcomer can sign in and read at once.
 * Real members generate their keys in the browser; the server never sees a private key.
 */
export async function createDemoStaffWithKeys(
  tx: DbOrTx,
  spec: StaffSpec,
  body: CreatedBody & { kind: BodyKind; level: Level; jurisdictionCode: string },
  options: { limits?: PwhashLimits; totp?: { key: Uint8Array; secret: string } } = {},
): Promise<string> {
  const limits = options.limits;
  await initCrypto();
  const box = generateBoxKeyPair();
  const sign = generateSigningKeyPair();
  const bundles = createStaffKeyBundles({ boxPrivateKey: box.privateKey, signPrivateKey: sign.privateKey }, spec.passphrase, limits ? { limits } : {});
  // The id is chosen here because the TOTP secret's encryption is bound to it.
  const staffId = randomUUID();
  const id = await insertStaff(tx, {
    id: staffId,
    bodyId: spec.bodyId,
    username: spec.username,
    displayName: spec.displayName,
    role: spec.role,
    email: spec.email ?? null,
    passphraseHash: await hashPassphrase(spec.username, spec.passphrase),
    ...(options.totp ? { totpSecretEnc: sealTotpSecret(options.totp.key, staffId, options.totp.secret), totpEnabledAt: new Date() } : {}),
    boxPublicKey: box.publicKey,
    signPublicKey: sign.publicKey,
    keyBundlePassphrase: bundles.passphraseBundle,
    keyBundleRecovery: bundles.recoveryBundle,
  });
  await appendAudit(tx, { actorKind: 'system', action: 'staff.created', resourceKind: 'staff', resourceId: id, detail: { role: spec.role, bodyId: spec.bodyId } });
  if (body.keyPair && mayHoldBodyKey({ id: body.id, kind: body.kind, level: body.level, jurisdictionCode: body.jurisdictionCode }, spec.role)) {
    await insertBodyKeyGrant(tx, { bodyId: body.id, keyVersion: 1, staffId: id, sealedPrivateKey: sealKey(body.keyPair.privateKey, box.publicKey) });
    await appendAudit(tx, { actorKind: 'system', action: 'body_key.granted', resourceKind: 'body', resourceId: body.id, detail: { staffId: id, keyVersion: 1 } });
  }
  return id;
}
