// Staff sessions. The cookie carries a random token; only its SHA-256 is stored.
import { and, eq, getTableColumns, isNull, ne, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { bodies, staff, staffSessions } from '../../drizzle/schema/index.ts';
import { profileColumns, type StaffProfile } from './staff.repository.ts';

export type SessionRow = typeof staffSessions.$inferSelect;

// Every signed-in request reads its session and the member's profile: one prepared query
// (per database handle) instead of two built ones.
const prepareSessionWithProfile = (db: Db) => db
  .select({ session: getTableColumns(staffSessions), profile: profileColumns })
  .from(staffSessions)
  .innerJoin(staff, eq(staff.id, staffSessions.staffId))
  .innerJoin(bodies, eq(bodies.id, staff.bodyId))
  .where(eq(staffSessions.idHash, sql.placeholder('idHash')))
  .limit(1)
  .prepare('session_with_profile');
const prepared = new WeakMap<Db, ReturnType<typeof prepareSessionWithProfile>>();

export async function findSessionWithProfile(db: Db, idHash: Uint8Array): Promise<{ session: SessionRow; profile: StaffProfile } | undefined> {
  let query = prepared.get(db);
  if (!query) {
    query = prepareSessionWithProfile(db);
    prepared.set(db, query);
  }
  const rows = await query.execute({ idHash });
  const row = rows[0];
  return row ? { session: row.session, profile: row.profile as StaffProfile } : undefined;
}

export async function insertSession(tx: DbOrTx, row: {
  idHash: Uint8Array; staffId: string; csrfTokenHash: Uint8Array; secondFactorAt: Date | null;
  createdAt: Date; lastSeenAt: Date; expiresAt: Date;
}): Promise<void> {
  await tx.insert(staffSessions).values(row);
}

export async function touchSession(db: DbOrTx, idHash: Uint8Array, at: Date): Promise<void> {
  await db.update(staffSessions).set({ lastSeenAt: at }).where(eq(staffSessions.idHash, idHash));
}

export async function revokeSession(tx: DbOrTx, idHash: Uint8Array, at: Date): Promise<void> {
  await tx.update(staffSessions).set({ revokedAt: at }).where(and(eq(staffSessions.idHash, idHash), isNull(staffSessions.revokedAt)));
}

/** Revokes every open session of the account, optionally sparing one; returns how many. */
export async function revokeStaffSessions(tx: DbOrTx, staffId: string, at: Date, except?: Uint8Array): Promise<number> {
  const rows = await tx
    .update(staffSessions)
    .set({ revokedAt: at })
    .where(and(
      eq(staffSessions.staffId, staffId),
      isNull(staffSessions.revokedAt),
      except ? ne(staffSessions.idHash, except) : undefined,
    ))
    .returning({ staffId: staffSessions.staffId });
  return rows.length;
}

export async function setWebauthnChallenge(tx: DbOrTx, idHash: Uint8Array, challenge: string, expiresAt: Date): Promise<void> {
  await tx.update(staffSessions).set({ webauthnChallenge: challenge, webauthnChallengeExpiresAt: expiresAt }).where(eq(staffSessions.idHash, idHash));
}

/** Takes the pending challenge and clears it in one statement: a challenge answers once. */
export async function takeWebauthnChallenge(tx: DbOrTx, idHash: Uint8Array): Promise<{ challenge: string; expiresAt: Date } | null> {
  const previous = await tx
    .select({ challenge: staffSessions.webauthnChallenge, expiresAt: staffSessions.webauthnChallengeExpiresAt })
    .from(staffSessions)
    .where(eq(staffSessions.idHash, idHash))
    .for('update');
  await tx.update(staffSessions).set({ webauthnChallenge: null, webauthnChallengeExpiresAt: null }).where(eq(staffSessions.idHash, idHash));
  const row = previous[0];
  return row?.challenge && row.expiresAt ? { challenge: row.challenge, expiresAt: row.expiresAt } : null;
}
