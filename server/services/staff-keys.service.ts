// A staff member's own key pairs: generated and wrapped in the browser; the server checks
// the shape of what it stores (public keys and two ciphertexts) and nothing more.
import { AppError } from '../domain/errors.ts';
import { FORMAT, initCrypto, readPassphraseBundleLimits, isCryptoError, defaultPwhashLimits } from '../crypto/index.ts';
import { getStaffKeys, setInitialStaffKeys, updateStaffCredentials, type CredentialUpdate } from '../repositories/staff.repository.ts';
import { findStaffByUsername } from '../repositories/staff.repository.ts';
import { appendAudit } from './audit.service.ts';
import { hashLoginSecret, parseLoginSecret, verifyLoginSecret } from './auth-passphrase.ts';
import { recordFailure, type AuthDeps } from './auth.service.ts';
import { fromWire, toWire } from './auth-wire.ts';
import { endAllSessions, type StaffSession } from './session.service.ts';

// Fixed sizes of the v1 bundles (server/crypto/key-bundle.ts): 1+4+4+16 header, 24 nonce,
// 64 plaintext, 16 tag; and 1 + 24 + 64 + 16.
export const PASSPHRASE_BUNDLE_BYTES = 129;
export const RECOVERY_BUNDLE_BYTES = 105;

export function parsePassphraseBundle(value: string): Uint8Array {
  const bundle = fromWire(value, 'passphraseBundle', { length: PASSPHRASE_BUNDLE_BYTES });
  let limits;
  try {
    limits = readPassphraseBundleLimits(bundle);
  } catch (err) {
    if (isCryptoError(err)) throw new AppError('VALIDATION_FAILED', undefined, { fields: ['passphraseBundle'] });
    throw err;
  }
  // A buggy or hostile client must not store keys under a weaker derivation than the default.
  const floor = defaultPwhashLimits();
  if (limits.opslimit < floor.opslimit || limits.memlimit < floor.memlimit) {
    throw new AppError('VALIDATION_FAILED', 'The key bundle uses a weaker passphrase derivation than allowed.', { fields: ['passphraseBundle'] });
  }
  return bundle;
}

export function parseRecoveryBundle(value: string): Uint8Array {
  const bundle = fromWire(value, 'recoveryBundle', { length: RECOVERY_BUNDLE_BYTES });
  if (bundle[0] !== FORMAT.RECOVERY_BUNDLE_V1) throw new AppError('VALIDATION_FAILED', undefined, { fields: ['recoveryBundle'] });
  return bundle;
}

export type MyKeys =
  | { hasKeys: false }
  | { hasKeys: true; boxPublicKey: string; signPublicKey: string; passphraseBundle: string; recoveryBundle: string };

export async function getMyKeys(deps: AuthDeps, session: StaffSession): Promise<MyKeys> {
  const row = await getStaffKeys(deps.db, session.staffId);
  if (!row?.boxPublicKey || !row.signPublicKey || !row.keyBundlePassphrase || !row.keyBundleRecovery) return { hasKeys: false };
  return {
    hasKeys: true, boxPublicKey: toWire(row.boxPublicKey), signPublicKey: toWire(row.signPublicKey),
    // Both are ciphertext for the account's own session: the passphrase one to unlock, the
    // recovery one when a temporary passphrase replaced a forgotten one.
    passphraseBundle: toWire(row.keyBundlePassphrase), recoveryBundle: toWire(row.keyBundleRecovery),
  };
}

/** Re-authenticates with the current passphrase; a wrong one counts toward the account lock. */
async function requireCurrentSecret(deps: AuthDeps, session: StaffSession, currentLoginSecret: string): Promise<void> {
  const secret = parseLoginSecret(currentLoginSecret);
  const account = await findStaffByUsername(deps.db, session.profile.username);
  if (!account || !(await verifyLoginSecret(account.passphraseHash, secret))) {
    await recordFailure(deps, session.staffId, 'auth.reauthentication_failed', { reason: 'wrong_passphrase' });
    throw new AppError('INVALID_CREDENTIALS', 'The current passphrase is not right.');
  }
}

async function newSecretHash(current: string, next: string): Promise<string> {
  if (current === next) throw new AppError('VALIDATION_FAILED', 'Choose a passphrase different from the current one.', { fields: ['newLoginSecret'] });
  return hashLoginSecret(parseLoginSecret(next));
}

export type KeySetup = {
  currentLoginSecret: string;
  newLoginSecret?: string;
  boxPublicKey: string;
  signPublicKey: string;
  passphraseBundle: string;
  recoveryBundle: string;
};

/**
 * First key set-up. The current passphrase is checked again so the bundle is wrapped under
 * the passphrase the account signs in with; a temporary passphrase is replaced in the same
 * transaction (the bundle is then wrapped under the new one).
 */
export async function setUpStaffKeys(deps: AuthDeps, session: StaffSession, input: KeySetup): Promise<void> {
  await initCrypto();
  const update: CredentialUpdate = {
    boxPublicKey: fromWire(input.boxPublicKey, 'boxPublicKey', { length: 32 }),
    signPublicKey: fromWire(input.signPublicKey, 'signPublicKey', { length: 32 }),
    keyBundlePassphrase: parsePassphraseBundle(input.passphraseBundle),
    keyBundleRecovery: parseRecoveryBundle(input.recoveryBundle),
  };
  if (session.profile.mustChangePassphrase && !input.newLoginSecret) {
    throw new AppError('VALIDATION_FAILED', 'Choose your own passphrase to replace the temporary one.', { fields: ['newLoginSecret'] });
  }
  await requireCurrentSecret(deps, session, input.currentLoginSecret);
  if (input.newLoginSecret) {
    update.passphraseHash = await newSecretHash(input.currentLoginSecret, input.newLoginSecret);
    update.mustChangePassphrase = false;
  }
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    if (!(await setInitialStaffKeys(tx, session.staffId, update))) throw new AppError('CONFLICT', 'This account already has keys.');
    await appendAudit(tx, { actorKind: 'staff', actorId: session.staffId, action: 'staff_keys.created', resourceKind: 'staff', resourceId: session.staffId });
    if (update.passphraseHash) {
      await endAllSessions(tx, session.staffId, now, session.idHash);
      await appendAudit(tx, { actorKind: 'staff', actorId: session.staffId, action: 'auth.passphrase_changed', resourceKind: 'staff', resourceId: session.staffId, detail: { reason: 'temporary' } });
    }
  });
}

export type PassphraseChange = {
  currentLoginSecret: string;
  newLoginSecret: string;
  /** Required when the account has keys: the same keys wrapped under the new passphrase. */
  passphraseBundle?: string;
  /** After using the recovery key: a fresh recovery bundle (the old key has been typed somewhere). */
  recoveryBundle?: string;
};

/** Passphrase and key bundle change together or not at all; other sessions end. */
export async function changePassphrase(deps: AuthDeps, session: StaffSession, input: PassphraseChange): Promise<void> {
  await initCrypto();
  const keys = await getStaffKeys(deps.db, session.staffId);
  const hasKeys = Boolean(keys?.keyBundlePassphrase);
  if (hasKeys && !input.passphraseBundle) {
    throw new AppError('VALIDATION_FAILED', 'Your keys must be re-encrypted under the new passphrase.', { fields: ['passphraseBundle'] });
  }
  if (!hasKeys && (input.passphraseBundle || input.recoveryBundle)) {
    throw new AppError('CONFLICT', 'This account has no keys yet; set them up first.');
  }
  const update: CredentialUpdate = {
    ...(input.passphraseBundle ? { keyBundlePassphrase: parsePassphraseBundle(input.passphraseBundle) } : {}),
    ...(input.recoveryBundle ? { keyBundleRecovery: parseRecoveryBundle(input.recoveryBundle) } : {}),
  };
  await requireCurrentSecret(deps, session, input.currentLoginSecret);
  update.passphraseHash = await newSecretHash(input.currentLoginSecret, input.newLoginSecret);
  update.mustChangePassphrase = false;
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    await updateStaffCredentials(tx, session.staffId, update);
    const ended = await endAllSessions(tx, session.staffId, now, session.idHash);
    await appendAudit(tx, {
      actorKind: 'staff', actorId: session.staffId, action: 'auth.passphrase_changed', resourceKind: 'staff', resourceId: session.staffId,
      detail: { bundleReplaced: Boolean(input.passphraseBundle), recoveryReplaced: Boolean(input.recoveryBundle), otherSessionsEnded: ended },
    });
  });
}
