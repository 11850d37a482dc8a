// Pure rules of staff sign-in: brute-force backoff and TOTP replay. No I/O.

/** Failures in a row allowed before the account starts locking. */
export const FREE_FAILURES = 5;
const FIRST_LOCK_MS = 60 * 1000;
const MAX_LOCK_MS = 60 * 60 * 1000;

/**
 * After the 5th failure in a row the account locks for 1 minute, then 2, 4, 8… up to an
 * hour per further failure, so an online guesser gets a few dozen tries a day at most while
 * the owner, after a wait, can still sign in.
 */
export function lockUntilAfterFailure(failuresInARow: number, now: Date): Date | null {
  if (failuresInARow < FREE_FAILURES) return null;
  const exponent = Math.min(failuresInARow - FREE_FAILURES, 12);
  return new Date(now.getTime() + Math.min(FIRST_LOCK_MS * 2 ** exponent, MAX_LOCK_MS));
}

export const isLocked = (lockedUntil: Date | null, now: Date): boolean => lockedUntil !== null && lockedUntil.getTime() > now.getTime();

/** A TOTP code is usable once: its time step must be newer than the last one accepted. */
export const isFreshTotpStep = (step: number, lastStep: number | null): boolean => lastStep === null || step > lastStep;

export const TOTP_PERIOD_SECONDS = 30;
/** One step of clock drift either way. */
export const TOTP_TOLERANCE_SECONDS = 30;
