// Body keys: created in a member's browser (pending until the offline root key signs them),
// sealed to each member by a member who holds them, revoked when a member leaves, and
// published in the signed key directory.
import type { Db, DbOrTx } from '../db/client.ts';
import { AppError } from '../domain/errors.ts';
import { decide, type Actor } from '../domain/policy.ts';
import { ROLES, type BodyKind, type Role } from '../domain/vocabulary.ts';
import { fingerprint, initCrypto, signDirectoryEntry, signingKeyPairFromSeed, SEALED_KEY_BYTES, constantTimeEqual } from '../crypto/index.ts';
import {
  clearBodyRotation, directoryDate, findGrant, getGrantTarget, getRootPublicKey, insertPendingBodyKey, listBodyGrants, listBodyKeyVersions,
  listDirectory, listPendingBodyKeys, listStaffGrants, lockBodyKeys, markBodiesForRotation, markBodyKeySigned, revokeStaffGrants,
  upsertGrant, type PendingBodyKey,
} from '../repositories/keys.repository.ts';
import { getBody } from '../repositories/body.repository.ts';
import { getStaffKeys, listBodyMembers } from '../repositories/staff.repository.ts';
import { appendAudit } from './audit.service.ts';
import { fromWire, toWire } from './auth-wire.ts';

/**
 * The policy resource for "act as a key-granting member of this body" (create a key version,
 * list whom to grant to): the question asked is whether the actor could grant the body's key
 * to a peer of their own role, so the rule itself stays in the policy module.
 */
export const bodyKeyHolderResource = (actor: Actor, bodyId: string) =>
  ({ bodyId, targetStaffId: `peer-of:${actor.staffId}`, targetRole: actor.role, targetBodyId: bodyId });

/** Whether any member of a body of this kind may be granted the key while holding `role`. */
export function mayHoldBodyKey(body: { id: string; kind: BodyKind; level: Actor['bodyLevel']; jurisdictionCode: string }, role: Role): boolean {
  return ROLES.some((granterRole) => decide(
    { staffId: 'granter', role: granterRole, bodyId: body.id, bodyKind: body.kind, bodyLevel: body.level, bodyJurisdiction: body.jurisdictionCode, cadreId: null },
    'key.grant_body_key',
    { bodyId: body.id, targetStaffId: 'member', targetRole: role, targetBodyId: body.id },
  ).allowed);
}

export type DirectoryEntryOut = {
  bodyId: string; bodyCode: string; kind: string; level: string; jurisdictionCode: string; nameVi: string; nameEn: string;
  keyVersion: number; publicKey: string; createdAt: string; signature: string;
};
export type KeyDirectory = { rootPublicKey: string; rootKeyFingerprint: string; entries: DirectoryEntryOut[] };

export async function getKeyDirectory(db: DbOrTx): Promise<KeyDirectory> {
  await initCrypto();
  const root = await getRootPublicKey(db);
  if (!root) throw new AppError('DEPENDENCY_UNAVAILABLE');
  const rows = await listDirectory(db);
  return {
    rootPublicKey: toWire(root),
    rootKeyFingerprint: fingerprint(root),
    entries: rows.map((r) => ({
      bodyId: r.bodyId, bodyCode: r.bodyCode, kind: r.kind, level: r.level, jurisdictionCode: r.jurisdictionCode, nameVi: r.nameVi, nameEn: r.nameEn,
      keyVersion: r.keyVersion, publicKey: toWire(r.publicKey), createdAt: directoryDate(r.createdAt), signature: toWire(r.signature),
    })),
  };
}

export type MyGrantOut = {
  bodyId: string; keyVersion: number; status: 'pending' | 'current' | 'retired';
  publicKey: string; createdAt: string; signature: string | null; sealedPrivateKey: string;
};

export async function listMyBodyKeys(db: DbOrTx, staffId: string): Promise<MyGrantOut[]> {
  const rows = await listStaffGrants(db, staffId);
  return rows.map((g) => ({
    bodyId: g.bodyId, keyVersion: g.keyVersion,
    status: g.signature === null ? 'pending' : g.retiredAt === null ? 'current' : 'retired',
    publicKey: toWire(g.publicKey), createdAt: directoryDate(g.createdAt),
    signature: g.signature === null ? null : toWire(g.signature), sealedPrivateKey: toWire(g.sealedPrivateKey),
  }));
}

export type BodyKeyStatus = {
  bodyId: string;
  rotationNeeded: boolean;
  versions: { keyVersion: number; status: 'pending' | 'current' | 'retired'; publicKey: string; createdAt: string; signature: string | null }[];
  members: { staffId: string; username: string; displayName: string; role: Role; boxPublicKey: string | null; heldVersions: number[]; eligible: boolean }[];
};

/** A body's key versions and who holds which: what a key-granting member needs to grant. */
export async function getBodyKeyStatus(db: Db, actor: Actor, bodyId: string): Promise<BodyKeyStatus> {
  const body = await getBody(db, bodyId);
  if (!body) throw new AppError('NOT_FOUND');
  const [versions, grants, members] = await Promise.all([listBodyKeyVersions(db, bodyId), listBodyGrants(db, bodyId), listBodyMembers(db, bodyId)]);
  return {
    bodyId,
    rotationNeeded: body.keyRotationNeededAt !== null,
    versions: versions.map((v) => ({
      keyVersion: v.version, status: v.signature === null ? 'pending' : v.retiredAt === null ? 'current' : 'retired',
      publicKey: toWire(v.publicKey), createdAt: directoryDate(v.createdAt), signature: v.signature === null ? null : toWire(v.signature),
    })),
    members: members.map((m) => ({
      staffId: m.id, username: m.username, displayName: m.displayName, role: m.role,
      boxPublicKey: m.boxPublicKey ? toWire(m.boxPublicKey) : null,
      heldVersions: grants.filter((g) => g.staffId === m.id).map((g) => g.keyVersion).sort((a, b) => a - b),
      eligible: m.id === actor.staffId || decide(actor, 'key.grant_body_key', { bodyId, targetStaffId: m.id, targetRole: m.role, targetBodyId: bodyId }).allowed,
    })),
  };
}

/**
 * A new key version, created in the member's browser: the public key (pending until signed)
 * and its private key sealed to the creator. Allowed when the body has no key yet or needs
 * rotation, and only one pending version at a time.
 */
export async function createBodyKeyVersion(
  deps: { db: Db; now: () => Date }, actor: Actor, bodyId: string, input: { publicKey: string; sealedPrivateKey: string },
): Promise<{ keyVersion: number }> {
  const publicKey = fromWire(input.publicKey, 'publicKey', { length: 32 });
  const sealed = fromWire(input.sealedPrivateKey, 'sealedPrivateKey', { length: SEALED_KEY_BYTES });
  const mine = await getStaffKeys(deps.db, actor.staffId);
  if (!mine?.boxPublicKey) throw new AppError('CONFLICT', 'Set up your own keys first.');
  const now = deps.now();
  return deps.db.transaction(async (tx) => {
    const body = await getBody(tx, bodyId);
    if (!body?.active) throw new AppError('NOT_FOUND');
    const versions = await lockBodyKeys(tx, bodyId);
    if (versions.some((v) => v.signature === null)) throw new AppError('CONFLICT', 'A new key for this body is already waiting for the root signature.');
    const hasCurrent = versions.some((v) => v.signature !== null && v.retiredAt === null);
    if (hasCurrent && body.keyRotationNeededAt === null) throw new AppError('CONFLICT', 'This body already has a current key.');
    const keyVersion = versions.reduce((max, v) => Math.max(max, v.version), 0) + 1;
    await insertPendingBodyKey(tx, { bodyId, version: keyVersion, publicKey, createdBy: actor.staffId, createdAt: now });
    await upsertGrant(tx, { bodyId, keyVersion, staffId: actor.staffId, sealedPrivateKey: sealed, grantedBy: actor.staffId, at: now });
    await clearBodyRotation(tx, bodyId);
    await appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'body_key.created', resourceKind: 'body', resourceId: bodyId, detail: { keyVersion, pending: true } });
    return { keyVersion };
  });
}

/** Stores a key version sealed in the granter's browser to another member's box key. */
export async function grantBodyKey(
  deps: { db: Db; now: () => Date }, actor: Actor, bodyId: string, input: { staffId: string; keyVersion: number; sealedPrivateKey: string },
): Promise<void> {
  const sealed = fromWire(input.sealedPrivateKey, 'sealedPrivateKey', { length: SEALED_KEY_BYTES });
  const target = await getGrantTarget(deps.db, input.staffId);
  if (!target?.active || target.bodyId !== bodyId) throw new AppError('NOT_FOUND');
  if (!target.boxPublicKey) throw new AppError('CONFLICT', 'This member has not set up their keys yet.');
  const own = await findGrant(deps.db, bodyId, input.keyVersion, actor.staffId);
  if (!own || own.revokedAt !== null) throw new AppError('CONFLICT', 'You do not hold this key version.');
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    await upsertGrant(tx, { bodyId, keyVersion: input.keyVersion, staffId: target.id, sealedPrivateKey: sealed, grantedBy: actor.staffId, at: now });
    await appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'body_key.granted', resourceKind: 'body', resourceId: bodyId, detail: { staffId: target.id, keyVersion: input.keyVersion } });
  });
}

/** A member leaves a body: their grants end and each body they held a key of needs a new version. */
export async function revokeMemberKeys(tx: DbOrTx, staffId: string, by: string | null, now: Date): Promise<string[]> {
  const bodyIds = await revokeStaffGrants(tx, staffId, now);
  await markBodiesForRotation(tx, bodyIds, now);
  for (const bodyId of bodyIds) {
    await appendAudit(tx, {
      actorKind: by ? 'staff' : 'system', actorId: by, action: 'body_key.revoked', resourceKind: 'body', resourceId: bodyId,
      detail: { staffId, rotationNeeded: true },
    });
  }
  return bodyIds;
}

/** The root private key (64-byte Ed25519 key or its 32-byte seed) from the offline key file. */
export function parseRootPrivateKey(text: string): Uint8Array {
  const raw = Buffer.from(text.trim(), 'base64url');
  if (raw.length === 32) return signingKeyPairFromSeed(new Uint8Array(raw)).privateKey;
  if (raw.length === 64) return signingKeyPairFromSeed(new Uint8Array(raw.subarray(0, 32))).privateKey;
  throw new Error('the root key file must hold a base64url Ed25519 private key (64 bytes) or seed (32 bytes)');
}

export { listPendingBodyKeys };

/** Refuses a private key whose public half is not this deployment's root key. */
export async function assertDeploymentRootKey(db: DbOrTx, rootPrivateKey: Uint8Array): Promise<void> {
  await initCrypto();
  const root = await getRootPublicKey(db);
  if (!root || !constantTimeEqual(signingKeyPairFromSeed(rootPrivateKey.subarray(0, 32)).publicKey, root)) {
    throw new Error('this is not the root key of this deployment (its public half does not match)');
  }
}

/**
 * Signs pending body keys with the offline root key (admin CLI): all of them, or only those
 * in `approved` (the ones whose fingerprints the operator compared with the members' screens).
 */
export async function signPendingBodyKeys(db: Db, rootPrivateKey: Uint8Array, now = new Date(), approved?: readonly PendingBodyKey[]): Promise<PendingBodyKey[]> {
  await assertDeploymentRootKey(db, rootPrivateKey);
  const isApproved = (e: PendingBodyKey) => !approved || approved.some((a) => a.bodyId === e.bodyId && a.version === e.version && constantTimeEqual(a.publicKey, e.publicKey));
  const pending = (await listPendingBodyKeys(db)).filter(isApproved);
  for (const entry of pending) {
    await db.transaction(async (tx) => {
      await lockBodyKeys(tx, entry.bodyId);
      const signature = signDirectoryEntry(rootPrivateKey, {
        bodyId: entry.bodyId, keyVersion: entry.version, publicKey: entry.publicKey, createdAt: directoryDate(entry.createdAt),
      });
      await markBodyKeySigned(tx, entry.bodyId, entry.version, signature, now);
      await appendAudit(tx, { actorKind: 'system', action: 'body_key.signed', resourceKind: 'body', resourceId: entry.bodyId, detail: { keyVersion: entry.version } });
    });
  }
  return pending;
}
