// Forgotten passphrase, signed out. The recovery key never reaches the server, so the member
// proves they hold it by unlocking their recovery bundle in the browser and signing a
// challenge with the Ed25519 key inside. The second factor is still required: a recovery
// key alone does not open an account, except after an administrator reset the second
// factor (an audited, out-of-band identity check), when the next sign-in enrols a new one.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../domain/errors.ts';
import { encodeRecoveryProof, initCrypto, isCryptoError, verifyDetached } from '../crypto/index.ts';
import {
  claimTotpStep, clearFailedSignIns, findStaffByUsername, getStaffKeys, getTotpState, updateStaffCredentials,
} from '../repositories/staff.repository.ts';
import { appendAudit } from './audit.service.ts';
import { hashLoginSecret, parseLoginSecret } from './auth-passphrase.ts';
import { isFreshTotpStep, isLocked } from './auth-rules.ts';
import { recordFailure, type AuthDeps } from './auth.service.ts';
import { fromWire, toWire } from './auth-wire.ts';
import { endAllSessions } from './session.service.ts';
import { parsePassphraseBundle, parseRecoveryBundle, RECOVERY_BUNDLE_BYTES } from './staff-keys.service.ts';
import { checkTotpCode, openTotpSecret } from './totp.service.ts';

const CHALLENGE_TTL_MS = 10 * 60 * 1000;
const CHALLENGE_BYTES = 8 + 16 + 32;

export type RecoveryKeys = AuthDeps['keys'] & { decoy: Uint8Array };
export type RecoveryDeps = Omit<AuthDeps, 'keys'> & { keys: RecoveryKeys };

// The MAC covers the account id and its current verifier: once the passphrase changes, every
// challenge issued before it is dead, so a completed recovery cannot be replayed.
function challengeMac(key: Uint8Array, staffId: string, verifier: string, head: Uint8Array): Buffer {
  return createHmac('sha256', key).update('minhbach/recovery-challenge/v1').update(staffId).update('\0').update(verifier).update('\0').update(head).digest();
}

function issueChallenge(key: Uint8Array, staffId: string, verifier: string, now: Date): Uint8Array {
  const head = Buffer.alloc(24);
  head.writeBigUInt64BE(BigInt(now.getTime() + CHALLENGE_TTL_MS), 0);
  randomBytes(16).copy(head, 8);
  return new Uint8Array(Buffer.concat([head, challengeMac(key, staffId, verifier, head)]));
}

function isChallengeValid(key: Uint8Array, staffId: string, verifier: string, challenge: Uint8Array, now: Date): boolean {
  if (challenge.length !== CHALLENGE_BYTES) return false;
  const head = Buffer.from(challenge.subarray(0, 24));
  if (Number(head.readBigUInt64BE(0)) <= now.getTime()) return false;
  return timingSafeEqual(challengeMac(key, staffId, verifier, head), Buffer.from(challenge.subarray(24)));
}

/** A stable, plausible recovery bundle for an account that does not exist (no enumeration). */
function decoyBundle(key: Uint8Array, username: string): Uint8Array {
  const out = Buffer.alloc(RECOVERY_BUNDLE_BYTES);
  out[0] = 0x51;
  let filled = 1;
  for (let i = 0; filled < out.length; i++) {
    const block = createHmac('sha256', key).update(`decoy/${i}/`).update(username.toLowerCase()).digest();
    filled += block.copy(out, filled);
  }
  return new Uint8Array(out);
}

export type RecoveryStart = { challenge: string; recoveryBundle: string; needsSecondFactor: boolean };

export async function startRecovery(deps: RecoveryDeps, username: string): Promise<RecoveryStart> {
  const now = deps.now();
  const account = await findStaffByUsername(deps.db, username.trim());
  const keys = account?.active ? await getStaffKeys(deps.db, account.id) : undefined;
  if (!account || !keys?.keyBundleRecovery) {
    return {
      challenge: toWire(issueChallenge(deps.keys.recovery, `unknown:${username.toLowerCase()}`, '', now)),
      recoveryBundle: toWire(decoyBundle(deps.keys.decoy, username)),
      needsSecondFactor: true,
    };
  }
  const totp = await getTotpState(deps.db, account.id);
  await deps.db.transaction((tx) => appendAudit(tx, { actorKind: 'staff', actorId: account.id, action: 'auth.recovery_started', resourceKind: 'staff', resourceId: account.id }));
  return {
    challenge: toWire(issueChallenge(deps.keys.recovery, account.id, account.passphraseHash, now)),
    recoveryBundle: toWire(keys.keyBundleRecovery),
    needsSecondFactor: totp?.enabledAt != null,
  };
}

export type RecoveryCompletion = {
  username: string;
  challenge: string;
  signature: string;
  totpCode?: string;
  newLoginSecret: string;
  passphraseBundle: string;
  recoveryBundle: string;
};

export async function completeRecovery(deps: RecoveryDeps, input: RecoveryCompletion): Promise<void> {
  await initCrypto();
  const now = deps.now();
  const challenge = fromWire(input.challenge, 'challenge', { length: CHALLENGE_BYTES });
  const signature = fromWire(input.signature, 'signature', { length: 64 });
  const newLoginSecret = parseLoginSecret(input.newLoginSecret);
  const passphraseBundle = parsePassphraseBundle(input.passphraseBundle);
  const recoveryBundle = parseRecoveryBundle(input.recoveryBundle);
  const account = await findStaffByUsername(deps.db, input.username.trim());
  const keys = account?.active ? await getStaffKeys(deps.db, account.id) : undefined;
  if (!account || !keys?.signPublicKey) throw new AppError('INVALID_CREDENTIALS');
  if (isLocked(account.lockedUntil, now)) {
    throw new AppError('RATE_LIMITED', 'Too many failed attempts on this account. Wait and try again.');
  }
  if (!isChallengeValid(deps.keys.recovery, account.id, account.passphraseHash, challenge, now)) {
    throw new AppError('CONFLICT', 'The recovery request expired. Start again.');
  }
  const fail = async (reason: string): Promise<never> => {
    await recordFailure(deps, account.id, 'auth.recovery_failed', { reason });
    throw new AppError('INVALID_CREDENTIALS');
  };
  try {
    verifyDetached(keys.signPublicKey, encodeRecoveryProof({ username: account.username, challenge, newLoginSecret, passphraseBundle, recoveryBundle }), signature);
  } catch (err) {
    if (!isCryptoError(err)) throw err;
    await fail('bad_proof');
  }
  const totp = await getTotpState(deps.db, account.id);
  let step: number | null = null;
  if (totp?.enabledAt && totp.secretEnc) {
    const check = await checkTotpCode(openTotpSecret(deps.keys.totp, account.id, totp.secretEnc), input.totpCode ?? '', now);
    if (!check.valid || !isFreshTotpStep(check.step, totp.lastStep)) await fail(check.valid ? 'replayed_code' : 'wrong_code');
    step = check.valid ? check.step : null;
  }
  const passphraseHash = await hashLoginSecret(newLoginSecret);
  const isDone = await deps.db.transaction(async (tx) => {
    if (step !== null && !(await claimTotpStep(tx, account.id, step))) return false;
    await updateStaffCredentials(tx, account.id, { passphraseHash, keyBundlePassphrase: passphraseBundle, keyBundleRecovery: recoveryBundle, mustChangePassphrase: false });
    await clearFailedSignIns(tx, account.id);
    const ended = await endAllSessions(tx, account.id, now);
    await appendAudit(tx, { actorKind: 'staff', actorId: account.id, action: 'auth.recovered', resourceKind: 'staff', resourceId: account.id, detail: { withSecondFactor: step !== null, sessionsEnded: ended } });
    return true;
  });
  if (!isDone) await fail('replayed_code');
}
