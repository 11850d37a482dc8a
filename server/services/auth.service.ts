// Sign-in: passphrase (as a browser-derived login secret), then a second factor for every
// role. Failures are counted per account and audited; answers never say which part failed.
import type { Db, DbOrTx } from '../db/client.ts';
import { AppError } from '../domain/errors.ts';
import {
  claimTotpStep, clearFailedSignIns, findStaffByUsername, getTotpState, incrementFailedSignIns, setLockedUntil,
  setPendingTotpSecret,
} from '../repositories/staff.repository.ts';
import { countPasskeys } from '../repositories/staff-webauthn.repository.ts';
import { appendAudit } from './audit.service.ts';
import { isFreshTotpStep, isLocked, lockUntilAfterFailure } from './auth-rules.ts';
import { parseLoginSecret, verifyLoginSecret } from './auth-passphrase.ts';
import { endAllSessions, endSession, openSession, upgradeSession, type OpenedSession, type StaffSession } from './session.service.ts';
import { checkTotpCode, newTotpSecret, openTotpSecret, sealTotpSecret, totpUri } from './totp.service.ts';

export type AuthKeys = { csrf: Uint8Array; totp: Uint8Array; recovery: Uint8Array };
export type AuthDeps = { db: Db; keys: AuthKeys; now: () => Date };

export type SignInStage = 'second_factor' | 'enrol_second_factor' | 'complete';

/** What comes next for a session: the second factor, its enrolment, or nothing. */
export async function stageOf(db: DbOrTx, session: Pick<StaffSession, 'secondFactorDone' | 'staffId' | 'profile'>): Promise<SignInStage> {
  if (session.secondFactorDone) return 'complete';
  if (session.profile.totpEnabled) return 'second_factor';
  return (await countPasskeys(db, session.staffId)) > 0 ? 'second_factor' : 'enrol_second_factor';
}

function lockedError(until: Date, now: Date): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new AppError('RATE_LIMITED', 'Too many failed attempts on this account. Wait and try again.', { retryAfterSeconds });
}

/** Counts one failure (committed even though the request fails) and locks with backoff. */
export async function recordFailure(deps: AuthDeps, staffId: string, action: string, detail: Record<string, string | number>): Promise<void> {
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    const failures = await incrementFailedSignIns(tx, staffId);
    const until = lockUntilAfterFailure(failures, now);
    if (until) await setLockedUntil(tx, staffId, until);
    await appendAudit(tx, { actorKind: 'staff', actorId: staffId, action, resourceKind: 'staff', resourceId: staffId, detail: { ...detail, failures, locked: until !== null } });
  });
}

export type SignInResult = { session: OpenedSession; stage: SignInStage };

export async function signIn(deps: AuthDeps, input: { username: string; loginSecret: string }): Promise<SignInResult> {
  const secret = parseLoginSecret(input.loginSecret);
  const now = deps.now();
  const account = await findStaffByUsername(deps.db, input.username.trim());
  if (!account || !account.active) {
    await verifyLoginSecret(null, secret);
    // No username in the log: it may be a mistyped passphrase or a real name.
    await deps.db.transaction((tx) => appendAudit(tx, { actorKind: 'system', action: 'auth.sign_in_failed', detail: { reason: account ? 'inactive' : 'unknown_account' } }));
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (isLocked(account.lockedUntil, now)) {
    await deps.db.transaction((tx) => appendAudit(tx, { actorKind: 'staff', actorId: account.id, action: 'auth.sign_in_refused', resourceKind: 'staff', resourceId: account.id, detail: { reason: 'locked' } }));
    throw lockedError(account.lockedUntil as Date, now);
  }
  if (!(await verifyLoginSecret(account.passphraseHash, secret))) {
    await recordFailure(deps, account.id, 'auth.sign_in_failed', { reason: 'wrong_passphrase' });
    throw new AppError('INVALID_CREDENTIALS');
  }
  return deps.db.transaction(async (tx) => {
    const session = await openSession(tx, deps.keys, account.id, now, false);
    await appendAudit(tx, { actorKind: 'staff', actorId: account.id, action: 'auth.passphrase_accepted', resourceKind: 'staff', resourceId: account.id });
    const totp = await getTotpState(tx, account.id);
    const hasFactor = totp?.enabledAt != null || (await countPasskeys(tx, account.id)) > 0;
    return { session, stage: hasFactor ? 'second_factor' : 'enrol_second_factor' };
  });
}

function requirePending(session: StaffSession): void {
  if (session.secondFactorDone) throw new AppError('CONFLICT', 'The second factor is already confirmed for this session.');
}

/** The second factor by TOTP code: one use per code, failures count toward the lock. */
export async function verifyTotpSignIn(deps: AuthDeps, session: StaffSession, code: string): Promise<OpenedSession> {
  requirePending(session);
  const now = deps.now();
  const [state, locked] = await Promise.all([getTotpState(deps.db, session.staffId), findStaffByUsername(deps.db, session.profile.username)]);
  if (!state?.secretEnc || !state.enabledAt) throw new AppError('CONFLICT', 'No authenticator app is set up for this account.');
  if (locked && isLocked(locked.lockedUntil, now)) throw lockedError(locked.lockedUntil as Date, now);
  const check = await checkTotpCode(openTotpSecret(deps.keys.totp, session.staffId, state.secretEnc), code, now);
  const isFresh = check.valid && isFreshTotpStep(check.step, state.lastStep);
  if (!check.valid || !isFresh) {
    await recordFailure(deps, session.staffId, 'auth.second_factor_failed', { method: 'totp', reason: check.valid ? 'replayed' : 'wrong_code' });
    throw new AppError('INVALID_CREDENTIALS');
  }
  const opened = await deps.db.transaction(async (tx) => {
    // The conditional update is the real replay guard: two requests racing with one code cannot both win.
    if (!(await claimTotpStep(tx, session.staffId, check.step))) return null;
    await clearFailedSignIns(tx, session.staffId);
    const next = await upgradeSession(tx, deps.keys, session, now);
    await appendAudit(tx, { actorKind: 'staff', actorId: session.staffId, action: 'auth.signed_in', resourceKind: 'staff', resourceId: session.staffId, detail: { method: 'totp' } });
    return next;
  });
  if (!opened) {
    await recordFailure(deps, session.staffId, 'auth.second_factor_failed', { method: 'totp', reason: 'replayed' });
    throw new AppError('INVALID_CREDENTIALS');
  }
  return opened;
}

export type TotpEnrolment = { secret: string; otpauthUri: string };

/** First sign-in without a factor: a new secret, kept encrypted, waiting for its first code. */
export async function startTotpEnrolment(deps: AuthDeps, session: StaffSession): Promise<TotpEnrolment> {
  requirePending(session);
  if (session.profile.totpEnabled) throw new AppError('CONFLICT', 'An authenticator app is already set up for this account.');
  const secret = newTotpSecret();
  await deps.db.transaction(async (tx) => {
    if (!(await setPendingTotpSecret(tx, session.staffId, sealTotpSecret(deps.keys.totp, session.staffId, secret)))) {
      throw new AppError('CONFLICT', 'An authenticator app is already set up for this account.');
    }
    await appendAudit(tx, { actorKind: 'staff', actorId: session.staffId, action: 'auth.totp_enrolment_started', resourceKind: 'staff', resourceId: session.staffId });
  });
  return { secret, otpauthUri: totpUri(session.profile.username, secret) };
}

/** The first code proves the app holds the secret; it also completes this sign-in. */
export async function confirmTotpEnrolment(deps: AuthDeps, session: StaffSession, code: string): Promise<OpenedSession> {
  requirePending(session);
  const now = deps.now();
  const state = await getTotpState(deps.db, session.staffId);
  if (!state?.secretEnc || state.enabledAt) throw new AppError('CONFLICT', 'Start the authenticator set-up again.');
  const check = await checkTotpCode(openTotpSecret(deps.keys.totp, session.staffId, state.secretEnc), code, now);
  if (!check.valid) {
    await deps.db.transaction((tx) => appendAudit(tx, { actorKind: 'staff', actorId: session.staffId, action: 'auth.second_factor_failed', resourceKind: 'staff', resourceId: session.staffId, detail: { method: 'totp_enrolment', reason: 'wrong_code' } }));
    throw new AppError('INVALID_CREDENTIALS', 'The code does not match. Check the time on your phone and try the next code.');
  }
  return deps.db.transaction(async (tx) => {
    if (!(await claimTotpStep(tx, session.staffId, check.step, now))) throw new AppError('INVALID_CREDENTIALS');
    await clearFailedSignIns(tx, session.staffId);
    await appendAudit(tx, { actorKind: 'staff', actorId: session.staffId, action: 'auth.totp_enrolled', resourceKind: 'staff', resourceId: session.staffId });
    const opened = await upgradeSession(tx, deps.keys, session, now);
    await appendAudit(tx, { actorKind: 'staff', actorId: session.staffId, action: 'auth.signed_in', resourceKind: 'staff', resourceId: session.staffId, detail: { method: 'totp_enrolment' } });
    return opened;
  });
}

export async function signOut(deps: AuthDeps, session: StaffSession): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await endSession(tx, session.idHash, deps.now());
    await appendAudit(tx, { actorKind: 'staff', actorId: session.staffId, action: 'auth.signed_out', resourceKind: 'staff', resourceId: session.staffId });
  });
}

export async function signOutEverywhere(deps: AuthDeps, session: StaffSession): Promise<number> {
  return deps.db.transaction(async (tx) => {
    const count = await endAllSessions(tx, session.staffId, deps.now());
    await appendAudit(tx, { actorKind: 'staff', actorId: session.staffId, action: 'auth.signed_out_everywhere', resourceKind: 'staff', resourceId: session.staffId, detail: { sessions: count } });
    return count;
  });
}
