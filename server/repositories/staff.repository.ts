// Staff accounts: sign-in state, second factor, key bundles and administration.
import { and, asc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { bodies, staff } from '../../drizzle/schema/index.ts';
import type { BodyKind, Level, Role } from '../domain/vocabulary.ts';

export type StaffSignInRow = {
  id: string;
  username: string;
  active: boolean;
  passphraseHash: string;
  failedSignIns: number;
  lockedUntil: Date | null;
};

export async function findStaffByUsername(db: DbOrTx, username: string): Promise<StaffSignInRow | undefined> {
  const rows = await db
    .select({
      id: staff.id, username: staff.username, active: staff.active, passphraseHash: staff.passphraseHash,
      failedSignIns: staff.failedSignIns, lockedUntil: staff.lockedUntil,
    })
    .from(staff)
    .where(eq(sql`lower(${staff.username})`, username.toLowerCase()))
    .limit(1);
  return rows[0];
}

/** Everything the session, the policy actor and the staff home need about one account. */
export type StaffProfile = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  email: string | null;
  active: boolean;
  cadreId: string | null;
  mustChangePassphrase: boolean;
  totpEnabled: boolean;
  hasKeys: boolean;
  bodyId: string;
  bodyCode: string;
  bodyKind: BodyKind;
  bodyLevel: Level;
  bodyJurisdiction: string;
  bodyNameVi: string;
  bodyNameEn: string;
  bodyActive: boolean;
};

export const profileColumns = {
  id: staff.id,
  username: staff.username,
  displayName: staff.displayName,
  role: staff.role,
  email: staff.email,
  active: staff.active,
  cadreId: staff.cadreId,
  mustChangePassphrase: staff.mustChangePassphrase,
  totpEnabled: sql<boolean>`${staff.totpEnabledAt} IS NOT NULL`,
  hasKeys: sql<boolean>`${staff.boxPublicKey} IS NOT NULL`,
  bodyId: bodies.id,
  bodyCode: bodies.code,
  bodyKind: bodies.kind,
  bodyLevel: bodies.level,
  bodyJurisdiction: bodies.jurisdictionCode,
  bodyNameVi: bodies.nameVi,
  bodyNameEn: bodies.nameEn,
  bodyActive: bodies.active,
};

export async function getStaffProfile(db: DbOrTx, staffId: string): Promise<StaffProfile | undefined> {
  const rows = await db.select(profileColumns).from(staff).innerJoin(bodies, eq(bodies.id, staff.bodyId)).where(eq(staff.id, staffId)).limit(1);
  return rows[0] as StaffProfile | undefined;
}

/** Counts a failure atomically (concurrent guesses all count) and returns the new count. */
export async function incrementFailedSignIns(tx: DbOrTx, staffId: string): Promise<number> {
  const rows = await tx
    .update(staff)
    .set({ failedSignIns: sql`${staff.failedSignIns} + 1` })
    .where(eq(staff.id, staffId))
    .returning({ n: staff.failedSignIns });
  return rows[0]?.n ?? 0;
}

export async function setLockedUntil(tx: DbOrTx, staffId: string, until: Date | null): Promise<void> {
  await tx.update(staff).set({ lockedUntil: until }).where(eq(staff.id, staffId));
}

export async function clearFailedSignIns(tx: DbOrTx, staffId: string): Promise<void> {
  await tx.update(staff).set({ failedSignIns: 0, lockedUntil: null }).where(eq(staff.id, staffId));
}

export type TotpState = { secretEnc: Uint8Array | null; enabledAt: Date | null; lastStep: number | null };

export async function getTotpState(db: DbOrTx, staffId: string): Promise<TotpState | undefined> {
  const rows = await db
    .select({ secretEnc: staff.totpSecretEnc, enabledAt: staff.totpEnabledAt, lastStep: staff.totpLastStep })
    .from(staff)
    .where(eq(staff.id, staffId))
    .limit(1);
  return rows[0];
}

/** A new secret waiting for its first code; refused once a factor is enabled. */
export async function setPendingTotpSecret(tx: DbOrTx, staffId: string, secretEnc: Uint8Array): Promise<boolean> {
  const rows = await tx
    .update(staff)
    .set({ totpSecretEnc: secretEnc, totpLastStep: null })
    .where(and(eq(staff.id, staffId), isNull(staff.totpEnabledAt)))
    .returning({ id: staff.id });
  return rows.length > 0;
}

/**
 * Records a used time step only if it is newer than the last one, in one statement: two
 * concurrent requests with the same code cannot both pass.
 */
export async function claimTotpStep(tx: DbOrTx, staffId: string, step: number, enableAt?: Date): Promise<boolean> {
  const rows = await tx
    .update(staff)
    .set({ totpLastStep: step, ...(enableAt ? { totpEnabledAt: enableAt } : {}) })
    .where(and(eq(staff.id, staffId), or(isNull(staff.totpLastStep), lt(staff.totpLastStep, step))))
    .returning({ id: staff.id });
  return rows.length > 0;
}

export async function clearSecondFactor(tx: DbOrTx, staffId: string): Promise<void> {
  await tx.update(staff).set({ totpSecretEnc: null, totpEnabledAt: null, totpLastStep: null }).where(eq(staff.id, staffId));
}

export type StaffKeyRow = {
  boxPublicKey: Uint8Array | null;
  signPublicKey: Uint8Array | null;
  keyBundlePassphrase: Uint8Array | null;
  keyBundleRecovery: Uint8Array | null;
};

export async function getStaffKeys(db: DbOrTx, staffId: string): Promise<StaffKeyRow | undefined> {
  const rows = await db
    .select({
      boxPublicKey: staff.boxPublicKey, signPublicKey: staff.signPublicKey,
      keyBundlePassphrase: staff.keyBundlePassphrase, keyBundleRecovery: staff.keyBundleRecovery,
    })
    .from(staff)
    .where(eq(staff.id, staffId))
    .limit(1);
  return rows[0];
}

export type CredentialUpdate = {
  passphraseHash?: string;
  mustChangePassphrase?: boolean;
  boxPublicKey?: Uint8Array;
  signPublicKey?: Uint8Array;
  keyBundlePassphrase?: Uint8Array;
  keyBundleRecovery?: Uint8Array;
};

export async function updateStaffCredentials(tx: DbOrTx, staffId: string, update: CredentialUpdate): Promise<void> {
  await tx.update(staff).set(update).where(eq(staff.id, staffId));
}

/** Sets the key pairs only while the account has none: the first upload wins. */
export async function setInitialStaffKeys(tx: DbOrTx, staffId: string, update: CredentialUpdate): Promise<boolean> {
  const rows = await tx
    .update(staff)
    .set(update)
    .where(and(eq(staff.id, staffId), isNull(staff.boxPublicKey)))
    .returning({ id: staff.id });
  return rows.length > 0;
}

export type StaffListItem = {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  bodyId: string;
  bodyCode: string;
  totpEnabled: boolean;
  hasKeys: boolean;
  mustChangePassphrase: boolean;
  lockedUntil: Date | null;
  createdAt: Date;
};

/** Keyset page ordered by username: stable when accounts are added meanwhile. */
export async function listStaffPage(
  db: DbOrTx,
  opts: { afterUsername: string | null; limit: number; bodyId?: string | null },
): Promise<StaffListItem[]> {
  const conditions = [
    opts.afterUsername === null ? undefined : gt(sql`lower(${staff.username})`, opts.afterUsername.toLowerCase()),
    opts.bodyId ? eq(staff.bodyId, opts.bodyId) : undefined,
  ].filter((c) => c !== undefined);
  const rows = await db
    .select({
      id: staff.id, username: staff.username, displayName: staff.displayName, role: staff.role, active: staff.active,
      bodyId: staff.bodyId, bodyCode: bodies.code,
      totpEnabled: sql<boolean>`${staff.totpEnabledAt} IS NOT NULL`,
      hasKeys: sql<boolean>`${staff.boxPublicKey} IS NOT NULL`,
      mustChangePassphrase: staff.mustChangePassphrase, lockedUntil: staff.lockedUntil, createdAt: staff.createdAt,
    })
    .from(staff)
    .innerJoin(bodies, eq(bodies.id, staff.bodyId))
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(asc(sql`lower(${staff.username})`))
    .limit(opts.limit);
  return rows as StaffListItem[];
}

export async function setStaffActive(tx: DbOrTx, staffId: string, active: boolean): Promise<void> {
  await tx.update(staff).set({ active }).where(eq(staff.id, staffId));
}

export async function moveStaff(tx: DbOrTx, staffId: string, bodyId: string, role: Role): Promise<void> {
  await tx.update(staff).set({ bodyId, role }).where(eq(staff.id, staffId));
}

export async function countActiveStaffInBody(db: DbOrTx, bodyId: string): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(staff)
    .where(and(eq(staff.bodyId, bodyId), eq(staff.active, true)));
  return rows[0]?.n ?? 0;
}

/** Members of a body with their box public key, for sealing the body key to them. */
export async function listBodyMembers(db: DbOrTx, bodyId: string): Promise<{ id: string; username: string; displayName: string; role: Role; boxPublicKey: Uint8Array | null }[]> {
  const rows = await db
    .select({ id: staff.id, username: staff.username, displayName: staff.displayName, role: staff.role, boxPublicKey: staff.boxPublicKey })
    .from(staff)
    .where(and(eq(staff.bodyId, bodyId), eq(staff.active, true)))
    .orderBy(asc(staff.username));
  return rows as { id: string; username: string; displayName: string; role: Role; boxPublicKey: Uint8Array | null }[];
}
