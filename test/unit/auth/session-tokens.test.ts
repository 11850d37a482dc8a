import { describe, expect, it } from 'vitest';
import {
  SESSION_IDLE_MS, deriveCsrfToken, hashSessionToken, isCsrfTokenValid, newSessionToken, sessionEndsAt, sessionVerdict, shouldTouch,
} from '../../../server/services/session-tokens.ts';

const key = new Uint8Array(32).fill(7);
const otherKey = new Uint8Array(32).fill(8);
const t0 = new Date('2026-03-02T08:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe('session tokens', () => {
  it('are 256 random bits and stored only as their SHA-256', () => {
    const token = newSessionToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(newSessionToken()).not.toBe(token);
    expect(hashSessionToken(token)).toHaveLength(32);
    expect(Buffer.from(hashSessionToken(token)).toString('base64url')).not.toBe(token);
  });
});

describe('CSRF token', () => {
  const session = hashSessionToken('a-session-token-of-some-length');
  const other = hashSessionToken('another-session-token-of-some-length');

  it('is derived from the session and the server secret, the same every time', () => {
    expect(deriveCsrfToken(key, session)).toBe(deriveCsrfToken(key, session));
    expect(isCsrfTokenValid(key, session, deriveCsrfToken(key, session))).toBe(true);
  });

  it('is refused for another session, another server secret, or when missing', () => {
    expect(isCsrfTokenValid(key, other, deriveCsrfToken(key, session))).toBe(false);
    expect(isCsrfTokenValid(otherKey, session, deriveCsrfToken(key, session))).toBe(false);
    expect(isCsrfTokenValid(key, session, undefined)).toBe(false);
    expect(isCsrfTokenValid(key, session, '')).toBe(false);
    expect(isCsrfTokenValid(key, session, 'x'.repeat(500))).toBe(false);
  });
});

describe('session timeouts', () => {
  const session = { createdAt: t0, lastSeenAt: t0, expiresAt: at(12 * 60), revokedAt: null, secondFactorAt: t0 };

  it('keeps a session used within the last 30 minutes', () => {
    expect(sessionVerdict(session, at(29))).toBe('active');
  });

  it('ends a session idle for 30 minutes', () => {
    expect(sessionVerdict(session, at(30))).toBe('idle');
    expect(SESSION_IDLE_MS).toBe(30 * 60_000);
  });

  it('ends a session at its absolute expiry however recently it was used', () => {
    expect(sessionVerdict({ ...session, lastSeenAt: at(12 * 60 - 1) }, at(12 * 60))).toBe('expired');
  });

  it('ends a revoked session at once', () => {
    expect(sessionVerdict({ ...session, revokedAt: at(1) }, at(2))).toBe('revoked');
  });

  it('reports the earlier of the idle and absolute ends', () => {
    expect(sessionEndsAt(session, at(10))).toEqual(at(40));
    expect(sessionEndsAt({ ...session, lastSeenAt: at(700) }, at(700))).toEqual(at(720));
  });

  it('writes lastSeenAt at most once a minute', () => {
    expect(shouldTouch(t0, new Date(t0.getTime() + 59_000))).toBe(false);
    expect(shouldTouch(t0, at(1))).toBe(true);
  });
});
