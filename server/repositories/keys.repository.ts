// Body key versions, their grants to members, and the signed key directory.
import { and, asc, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { bodies, bodyKeyGrants, bodyKeys, deployment, staff } from '../../drizzle/schema/index.ts';

export type BodyKeyRow = typeof bodyKeys.$inferSelect;

/** The date a directory entry signs: the UTC day of created_at, so signer and verifier agree. */
export const directoryDate = (createdAt: Date): string => createdAt.toISOString().slice(0, 10);

export async function listBodyKeyVersions(db: DbOrTx, bodyId: string): Promise<BodyKeyRow[]> {
  return db.select().from(bodyKeys).where(eq(bodyKeys.bodyId, bodyId)).orderBy(asc(bodyKeys.version));
}

export async function lockBodyKeys(tx: DbOrTx, bodyId: string): Promise<BodyKeyRow[]> {
  // Locking the body row serialises key creation and signing for one body.
  await tx.select({ id: bodies.id }).from(bodies).where(eq(bodies.id, bodyId)).for('update');
  return tx.select().from(bodyKeys).where(eq(bodyKeys.bodyId, bodyId)).orderBy(asc(bodyKeys.version));
}

export async function insertPendingBodyKey(tx: DbOrTx, row: { bodyId: string; version: number; publicKey: Uint8Array; createdBy: string; createdAt: Date }): Promise<void> {
  await tx.insert(bodyKeys).values({ ...row, signature: null });
}

export type PendingBodyKey = { bodyId: string; bodyCode: string; version: number; publicKey: Uint8Array; createdAt: Date };

export async function listPendingBodyKeys(db: DbOrTx): Promise<PendingBodyKey[]> {
  return db
    .select({ bodyId: bodyKeys.bodyId, bodyCode: bodies.code, version: bodyKeys.version, publicKey: bodyKeys.publicKey, createdAt: bodyKeys.createdAt })
    .from(bodyKeys)
    .innerJoin(bodies, eq(bodies.id, bodyKeys.bodyId))
    .where(isNull(bodyKeys.signature))
    .orderBy(asc(bodies.code));
}

/** Signs a pending version and retires the version it replaces, in the caller's transaction. */
export async function markBodyKeySigned(tx: DbOrTx, bodyId: string, version: number, signature: Uint8Array, at: Date): Promise<void> {
  await tx
    .update(bodyKeys)
    .set({ retiredAt: at })
    .where(and(eq(bodyKeys.bodyId, bodyId), isNotNull(bodyKeys.signature), isNull(bodyKeys.retiredAt)));
  await tx
    .update(bodyKeys)
    .set({ signature, signedAt: at })
    .where(and(eq(bodyKeys.bodyId, bodyId), eq(bodyKeys.version, version), isNull(bodyKeys.signature)));
}

export type DirectoryRow = {
  bodyId: string; bodyCode: string; kind: string; level: string; jurisdictionCode: string; nameVi: string; nameEn: string;
  keyVersion: number; publicKey: Uint8Array; signature: Uint8Array; createdAt: Date;
};

/** Current signed key of every active body. */
export async function listDirectory(db: DbOrTx): Promise<DirectoryRow[]> {
  const rows = await db
    .select({
      bodyId: bodies.id, bodyCode: bodies.code, kind: bodies.kind, level: bodies.level, jurisdictionCode: bodies.jurisdictionCode,
      nameVi: bodies.nameVi, nameEn: bodies.nameEn,
      keyVersion: bodyKeys.version, publicKey: bodyKeys.publicKey, signature: bodyKeys.signature, createdAt: bodyKeys.createdAt,
    })
    .from(bodyKeys)
    .innerJoin(bodies, eq(bodies.id, bodyKeys.bodyId))
    .where(and(eq(bodies.active, true), isNull(bodyKeys.retiredAt), isNotNull(bodyKeys.signature)))
    .orderBy(asc(bodies.code));
  return rows as DirectoryRow[];
}

export async function getRootPublicKey(db: DbOrTx): Promise<Uint8Array | null> {
  const rows = await db.select({ key: deployment.rootSignPublicKey }).from(deployment).where(eq(deployment.id, 1)).limit(1);
  return rows[0]?.key ?? null;
}

export type GrantRow = typeof bodyKeyGrants.$inferSelect;

export async function findGrant(db: DbOrTx, bodyId: string, keyVersion: number, staffId: string): Promise<GrantRow | undefined> {
  const rows = await db
    .select()
    .from(bodyKeyGrants)
    .where(and(eq(bodyKeyGrants.bodyId, bodyId), eq(bodyKeyGrants.keyVersion, keyVersion), eq(bodyKeyGrants.staffId, staffId)))
    .limit(1);
  return rows[0];
}

/** Grants (or re-grants after a revocation) one key version to one member. */
export async function upsertGrant(tx: DbOrTx, row: { bodyId: string; keyVersion: number; staffId: string; sealedPrivateKey: Uint8Array; grantedBy: string; at: Date }): Promise<void> {
  await tx
    .insert(bodyKeyGrants)
    .values({ bodyId: row.bodyId, keyVersion: row.keyVersion, staffId: row.staffId, sealedPrivateKey: row.sealedPrivateKey, grantedBy: row.grantedBy, createdAt: row.at })
    .onConflictDoUpdate({
      target: [bodyKeyGrants.bodyId, bodyKeyGrants.keyVersion, bodyKeyGrants.staffId],
      set: { sealedPrivateKey: row.sealedPrivateKey, grantedBy: row.grantedBy, createdAt: row.at, revokedAt: null },
    });
}

export type MyGrant = {
  bodyId: string; keyVersion: number; sealedPrivateKey: Uint8Array; publicKey: Uint8Array;
  signature: Uint8Array | null; createdAt: Date; retiredAt: Date | null;
};

/** The member's own unrevoked grants, newest version first. */
export async function listStaffGrants(db: DbOrTx, staffId: string): Promise<MyGrant[]> {
  return db
    .select({
      bodyId: bodyKeyGrants.bodyId, keyVersion: bodyKeyGrants.keyVersion, sealedPrivateKey: bodyKeyGrants.sealedPrivateKey,
      publicKey: bodyKeys.publicKey, signature: bodyKeys.signature, createdAt: bodyKeys.createdAt, retiredAt: bodyKeys.retiredAt,
    })
    .from(bodyKeyGrants)
    .innerJoin(bodyKeys, and(eq(bodyKeys.bodyId, bodyKeyGrants.bodyId), eq(bodyKeys.version, bodyKeyGrants.keyVersion)))
    .where(and(eq(bodyKeyGrants.staffId, staffId), isNull(bodyKeyGrants.revokedAt)))
    .orderBy(asc(bodyKeyGrants.bodyId), desc(bodyKeyGrants.keyVersion));
}

/** Which members hold which versions of a body's key (unrevoked grants only). */
export async function listBodyGrants(db: DbOrTx, bodyId: string): Promise<{ staffId: string; keyVersion: number }[]> {
  return db
    .select({ staffId: bodyKeyGrants.staffId, keyVersion: bodyKeyGrants.keyVersion })
    .from(bodyKeyGrants)
    .where(and(eq(bodyKeyGrants.bodyId, bodyId), isNull(bodyKeyGrants.revokedAt)));
}

/** Revokes every grant the member holds; returns the bodies that lost a key holder. */
export async function revokeStaffGrants(tx: DbOrTx, staffId: string, at: Date): Promise<string[]> {
  const rows = await tx
    .update(bodyKeyGrants)
    .set({ revokedAt: at })
    .where(and(eq(bodyKeyGrants.staffId, staffId), isNull(bodyKeyGrants.revokedAt)))
    .returning({ bodyId: bodyKeyGrants.bodyId });
  return [...new Set(rows.map((r) => r.bodyId))];
}

export async function markBodiesForRotation(tx: DbOrTx, bodyIds: readonly string[], at: Date): Promise<void> {
  if (bodyIds.length === 0) return;
  await tx.update(bodies).set({ keyRotationNeededAt: at }).where(and(inArray(bodies.id, [...bodyIds]), isNull(bodies.keyRotationNeededAt)));
}

export async function clearBodyRotation(tx: DbOrTx, bodyId: string): Promise<void> {
  await tx.update(bodies).set({ keyRotationNeededAt: null }).where(eq(bodies.id, bodyId));
}

/** The member's role and box key, for the policy and for checking a grant's target. */
export async function getGrantTarget(db: DbOrTx, staffId: string): Promise<{ id: string; role: string; bodyId: string; active: boolean; boxPublicKey: Uint8Array | null } | undefined> {
  const rows = await db
    .select({ id: staff.id, role: staff.role, bodyId: staff.bodyId, active: staff.active, boxPublicKey: staff.boxPublicKey })
    .from(staff)
    .where(eq(staff.id, staffId))
    .limit(1);
  return rows[0];
}
