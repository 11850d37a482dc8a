// Pure helpers for staff sessions: tokens, CSRF tokens and the timeout rules. No I/O.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Idle timeout: a session unused for this long is over. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** Absolute timeout, counted from the completed second factor. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** Time allowed between the passphrase and the second factor (or its enrolment). */
export const SESSION_PENDING_MS = 10 * 60 * 1000;
/** lastSeenAt is written at most this often, so reads do not turn into writes. */
export const SESSION_TOUCH_MS = 60 * 1000;

export const newSessionToken = (): string => randomBytes(32).toString('base64url');

export function hashSessionToken(token: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(token, 'utf8').digest());
}

/**
 * The CSRF token is HMAC(csrf subkey, session id hash): nothing to store, bound to one
 * session, and useless to an attacker who cannot read the page (SameSite=Strict already
 * keeps the cookie off cross-site requests; this is the second lock).
 */
export function deriveCsrfToken(csrfKey: Uint8Array, sessionIdHash: Uint8Array): string {
  return createHmac('sha256', csrfKey).update('minhbach/csrf/v1').update(sessionIdHash).digest('base64url');
}

export function isCsrfTokenValid(csrfKey: Uint8Array, sessionIdHash: Uint8Array, presented: string | undefined): boolean {
  if (typeof presented !== 'string' || presented.length === 0 || presented.length > 100) return false;
  const expected = Buffer.from(deriveCsrfToken(csrfKey, sessionIdHash), 'utf8');
  const given = Buffer.from(presented, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export type SessionTimes = {
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  secondFactorAt: Date | null;
};

export type SessionVerdict = 'active' | 'revoked' | 'expired' | 'idle';

/** Whether a stored session may still be used at `now`. */
export function sessionVerdict(s: SessionTimes, now: Date): SessionVerdict {
  if (s.revokedAt !== null) return 'revoked';
  if (now.getTime() >= s.expiresAt.getTime()) return 'expired';
  if (now.getTime() - s.lastSeenAt.getTime() >= SESSION_IDLE_MS) return 'idle';
  return 'active';
}

/** When the session ends if it stays unused from now on. */
export function sessionEndsAt(s: SessionTimes, now: Date): Date {
  return new Date(Math.min(s.expiresAt.getTime(), Math.max(now.getTime(), s.lastSeenAt.getTime()) + SESSION_IDLE_MS));
}

export const shouldTouch = (lastSeenAt: Date, now: Date): boolean => now.getTime() - lastSeenAt.getTime() >= SESSION_TOUCH_MS;
