import { describe, expect, it } from 'vitest';
import { FREE_FAILURES, isFreshTotpStep, isLocked, lockUntilAfterFailure } from '../../../server/services/auth-rules.ts';

const now = new Date('2026-03-02T08:00:00Z');
const lockMinutes = (failures: number) => {
  const until = lockUntilAfterFailure(failures, now);
  return until === null ? null : (until.getTime() - now.getTime()) / 60_000;
};

describe('account lock after failed sign-ins', () => {
  it('allows four failures in a row without a lock', () => {
    for (let n = 1; n < FREE_FAILURES; n += 1) expect(lockMinutes(n)).toBeNull();
  });

  it('locks for a minute at the fifth failure and doubles with each further one', () => {
    expect([5, 6, 7, 8].map(lockMinutes)).toEqual([1, 2, 4, 8]);
  });

  it('never locks for more than an hour at a time', () => {
    expect(lockMinutes(12)).toBe(60);
    expect(lockMinutes(1000)).toBe(60);
  });

  it('is locked only until the lock time passes', () => {
    const until = new Date(now.getTime() + 60_000);
    expect(isLocked(until, now)).toBe(true);
    expect(isLocked(until, until)).toBe(false);
    expect(isLocked(null, now)).toBe(false);
  });
});

describe('TOTP replay', () => {
  it('accepts a time step newer than the last one used', () => {
    expect(isFreshTotpStep(100, null)).toBe(true);
    expect(isFreshTotpStep(101, 100)).toBe(true);
  });

  it('refuses the same or an older time step', () => {
    expect(isFreshTotpStep(100, 100)).toBe(false);
    expect(isFreshTotpStep(99, 100)).toBe(false);
  });
});
