// Staff sign-in without the server ever seeing the passphrase. The browser derives a
// login secret from the passphrase with Argon2id and sends only that; the server stores a
// slow hash of the login secret. The key-encryption key of the passphrase bundle is a
// separate Argon2id derivation with a random salt (key-bundle.ts), so a compromised server
// that records login secrets still learns nothing that unlocks a key bundle.
import { CryptoError } from './errors.ts';
import { concatBytes, encodeFields, utf8Encode } from './encoding.ts';
import { requireBytes } from './formats.ts';
import { getSodium } from './sodium.ts';

export const LOGIN_SECRET_BYTES = 32;
export const LOGIN_SALT_BYTES = 16;
const LOGIN_SALT_LABEL = 'minhbach/login-salt/v1';
const RECOVERY_PROOF_LABEL = 'minhbach/recovery-proof/v1';

/**
 * The salt is derived from the account name, not stored: the browser needs it before the
 * server has said anything, and asking the server would tell anyone which accounts exist.
 * BLAKE2b-256 of label ‖ lowercase username, first 16 bytes.
 */
export function loginSalt(username: string): Uint8Array {
  if (typeof username !== 'string' || username.length === 0) throw new CryptoError('BAD_INPUT', 'The username must not be empty.');
  const input = utf8Encode(LOGIN_SALT_LABEL + username.normalize('NFC').toLowerCase());
  return getSodium().crypto_generichash(32, input, null).slice(0, LOGIN_SALT_BYTES);
}

/**
 * Argon2id (OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE: fixed, because the browser must
 * derive the same bytes before knowing anything about the account). The passphrase is NFC
 * normalised like the key bundle's, so either Vietnamese input method signs in.
 */
export function deriveLoginSecret(username: string, passphrase: string): Uint8Array {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new CryptoError('BAD_INPUT', 'The passphrase must not be empty.');
  }
  const sodium = getSodium();
  return sodium.crypto_pwhash(
    LOGIN_SECRET_BYTES,
    utf8Encode(passphrase.normalize('NFC')),
    loginSalt(username),
    sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE,
    sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE,
    sodium.crypto_pwhash_ALG_ARGON2ID13,
  );
}

export type RecoveryProof = {
  username: string;
  /** The server's challenge (opaque bytes, single use, bound to the account). */
  challenge: Uint8Array;
  newLoginSecret: Uint8Array;
  passphraseBundle: Uint8Array;
  recoveryBundle: Uint8Array;
};

/**
 * What a recovering staff member signs with the Ed25519 key they just unlocked from the
 * recovery bundle: proof that they hold the recovery key, bound to the exact new login
 * secret and bundles they upload, so a captured proof cannot carry other values.
 */
export function encodeRecoveryProof(proof: RecoveryProof): Uint8Array {
  const sodium = getSodium();
  requireBytes(proof.newLoginSecret, LOGIN_SECRET_BYTES, 'The login secret');
  if (!(proof.challenge instanceof Uint8Array) || proof.challenge.length < 16) {
    throw new CryptoError('BAD_INPUT', 'The challenge is too short.');
  }
  return concatBytes(encodeFields([
    utf8Encode(RECOVERY_PROOF_LABEL),
    utf8Encode(proof.username.normalize('NFC').toLowerCase()),
    proof.challenge,
    proof.newLoginSecret,
    sodium.crypto_generichash(32, proof.passphraseBundle, null),
    sodium.crypto_generichash(32, proof.recoveryBundle, null),
  ]));
}
