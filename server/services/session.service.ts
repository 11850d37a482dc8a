// Staff sessions: opened after the passphrase (pending), replaced by a full session once the
// second factor is done, ended by sign-out, timeouts, or an administrator.
import type { Db, DbOrTx } from '../db/client.ts';
import type { Actor } from '../domain/policy.ts';
import type { StaffProfile } from '../repositories/staff.repository.ts';
import { findSessionWithProfile, insertSession, revokeSession, revokeStaffSessions, touchSession } from '../repositories/session.repository.ts';
import {
  SESSION_ABSOLUTE_MS, SESSION_PENDING_MS, deriveCsrfToken, hashSessionToken, newSessionToken, sessionVerdict, shouldTouch,
} from './session-tokens.ts';

export type SessionKeys = { csrf: Uint8Array };

export type StaffSession = {
  idHash: Uint8Array;
  staffId: string;
  secondFactorDone: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  profile: StaffProfile;
};

export type OpenedSession = { token: string; idHash: Uint8Array; csrfToken: string; expiresAt: Date };

/** Opens a session; `full` once the second factor is done (12 h), otherwise pending (10 min). */
export async function openSession(tx: DbOrTx, keys: SessionKeys, staffId: string, now: Date, full: boolean): Promise<OpenedSession> {
  const token = newSessionToken();
  const idHash = hashSessionToken(token);
  const csrfToken = deriveCsrfToken(keys.csrf, idHash);
  const expiresAt = new Date(now.getTime() + (full ? SESSION_ABSOLUTE_MS : SESSION_PENDING_MS));
  await insertSession(tx, {
    idHash,
    staffId,
    // The column predates the derived token; keeping a hash of it costs nothing and reveals nothing.
    csrfTokenHash: hashSessionToken(csrfToken),
    secondFactorAt: full ? now : null,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
  });
  return { token, idHash, csrfToken, expiresAt };
}

/**
 * The session behind a cookie token, or null when there is none, it ended, or its account
 * or body was deactivated. Touches lastSeenAt (at most once a minute) for the idle timeout.
 */
export async function loadSession(db: Db, token: string, now: Date): Promise<StaffSession | null> {
  if (token.length < 20 || token.length > 100) return null;
  const idHash = hashSessionToken(token);
  const found = await findSessionWithProfile(db, idHash);
  if (!found || sessionVerdict(found.session, now) !== 'active') return null;
  const { session: row, profile } = found;
  if (!profile.active || !profile.bodyActive) return null;
  if (shouldTouch(row.lastSeenAt, now)) await touchSession(db, idHash, now);
  return {
    idHash,
    staffId: row.staffId,
    secondFactorDone: row.secondFactorAt !== null,
    createdAt: row.createdAt,
    lastSeenAt: now,
    expiresAt: row.expiresAt,
    profile,
  };
}

/** Replaces a pending session by a full one: a new token, so a fixed or leaked pending token is worthless. */
export async function upgradeSession(tx: DbOrTx, keys: SessionKeys, session: StaffSession, now: Date): Promise<OpenedSession> {
  await revokeSession(tx, session.idHash, now);
  return openSession(tx, keys, session.staffId, now, true);
}

export const endSession = (tx: DbOrTx, idHash: Uint8Array, now: Date): Promise<void> => revokeSession(tx, idHash, now);

export const endAllSessions = (tx: DbOrTx, staffId: string, now: Date, except?: Uint8Array): Promise<number> =>
  revokeStaffSessions(tx, staffId, now, except);

/** The policy's view of a signed-in member. */
export function actorOf(profile: StaffProfile): Actor {
  return {
    staffId: profile.id,
    role: profile.role,
    bodyId: profile.bodyId,
    bodyKind: profile.bodyKind,
    bodyLevel: profile.bodyLevel,
    bodyJurisdiction: profile.bodyJurisdiction,
    cadreId: profile.cadreId,
  };
}
