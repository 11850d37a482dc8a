// A staff member's private keys, encrypted for storage on the server, in two copies:
// one under their passphrase (Argon2id) and one under a recovery key shown once.
// Plaintext of both: X25519 private key (32) || Ed25519 seed (32).
//
// Passphrase bundle v1: format || opslimit u32 || memlimit u32 || salt (16) || nonce (24) || AEAD
// Recovery bundle v1:   format || nonce (24) || AEAD
// The AEAD is XChaCha20-Poly1305 whose associated data is everything before the nonce, so
// the stored limits and salt cannot be changed without the unlock failing.
import { CryptoError } from './errors.ts';
import { concatBytes, decodeUint32, encodeUint32, utf8Encode } from './encoding.ts';
import { generateCode, groupCode, parseCode } from './codes.ts';
import { FORMAT, readFormat, requireBytes } from './formats.ts';
import {
  BOX_PRIVATE_KEY_BYTES,
  SIGN_PRIVATE_KEY_BYTES,
  SIGN_SEED_BYTES,
  boxKeyPairFromPrivateKey,
  signingKeyPairFromSeed,
  type BoxKeyPair,
  type SigningKeyPair,
} from './keys.ts';
import { getSodium } from './sodium.ts';

export type StaffPrivateKeys = { boxPrivateKey: Uint8Array; signPrivateKey: Uint8Array };
export type StaffKeys = { box: BoxKeyPair; sign: SigningKeyPair };
export type PwhashLimits = { opslimit: number; memlimit: number };
/** `salt` and `nonce` exist for known-answer tests only; production code leaves them out. */
export type PassphraseWrapOptions = { limits?: PwhashLimits; salt?: Uint8Array; nonce?: Uint8Array };
export type RecoveryWrapOptions = { nonce?: Uint8Array };
export type StaffKeyBundles = { passphraseBundle: Uint8Array; recoveryBundle: Uint8Array; recoveryKey: string };

/** 31 random symbols + 1 check symbol = 155 bits, shown as 8 groups of 4. */
export const RECOVERY_KEY_LENGTH = 32;
export const RECOVERY_KEY_ENTROPY_BITS = (RECOVERY_KEY_LENGTH - 1) * 5;

const SALT_BYTES = 16;
const NONCE_BYTES = 24;
const TAG_BYTES = 16;
const PLAINTEXT_BYTES = BOX_PRIVATE_KEY_BYTES + SIGN_SEED_BYTES;
const PASSPHRASE_AD_BYTES = 1 + 4 + 4 + SALT_BYTES;
const PASSPHRASE_BUNDLE_BYTES = PASSPHRASE_AD_BYTES + NONCE_BYTES + PLAINTEXT_BYTES + TAG_BYTES;
const RECOVERY_BUNDLE_BYTES = 1 + NONCE_BYTES + PLAINTEXT_BYTES + TAG_BYTES;
const RECOVERY_WRAP_CONTEXT = utf8Encode('minhbach/recovery-key/wrap/v1');

/** The defaults: OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE (64 MiB, well under a second). */
export function defaultPwhashLimits(): PwhashLimits {
  const sodium = getSodium();
  return { opslimit: sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE, memlimit: sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE };
}

// The upper bound protects a browser from a bundle (served by a hostile or broken server)
// that asks for hours of work or gigabytes of memory; SENSITIVE is the most we ever write.
function checkLimits({ opslimit, memlimit }: PwhashLimits): void {
  const sodium = getSodium();
  const isInRange = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
  if (
    !isInRange(opslimit, sodium.crypto_pwhash_OPSLIMIT_MIN, sodium.crypto_pwhash_OPSLIMIT_SENSITIVE) ||
    !isInRange(memlimit, sodium.crypto_pwhash_MEMLIMIT_MIN, sodium.crypto_pwhash_MEMLIMIT_SENSITIVE)
  ) {
    throw new CryptoError('BAD_INPUT', 'The Argon2id limits are out of the accepted range.');
  }
}

// Unicode NFC: Vietnamese input methods emit either precomposed or combining diacritics
// for the same visible passphrase; without normalisation "Hà Nội" typed on two devices
// would derive two different keys.
function passphraseBytes(passphrase: string): Uint8Array {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new CryptoError('BAD_INPUT', 'The passphrase must not be empty.');
  }
  return utf8Encode(passphrase.normalize('NFC'));
}

function staffPlaintext({ boxPrivateKey, signPrivateKey }: StaffPrivateKeys): Uint8Array {
  const sodium = getSodium();
  requireBytes(boxPrivateKey, BOX_PRIVATE_KEY_BYTES, 'The X25519 private key');
  requireBytes(signPrivateKey, SIGN_PRIVATE_KEY_BYTES, 'The Ed25519 private key');
  const seed = sodium.crypto_sign_ed25519_sk_to_seed(signPrivateKey);
  // libsodium's Ed25519 private key embeds its public key; a mismatch means a corrupt key.
  if (!sodium.memcmp(signingKeyPairFromSeed(seed).privateKey, signPrivateKey)) {
    throw new CryptoError('BAD_INPUT', 'The Ed25519 private key is inconsistent.');
  }
  return concatBytes(boxPrivateKey, seed);
}

function staffKeysFrom(plaintext: Uint8Array): StaffKeys {
  const keys = {
    box: boxKeyPairFromPrivateKey(plaintext.subarray(0, BOX_PRIVATE_KEY_BYTES)),
    sign: signingKeyPairFromSeed(plaintext.subarray(BOX_PRIVATE_KEY_BYTES)),
  };
  getSodium().memzero(plaintext);
  return keys;
}

function seal(wrapKey: Uint8Array, ad: Uint8Array, plaintext: Uint8Array, nonce: Uint8Array): Uint8Array {
  const sodium = getSodium();
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, wrapKey);
  // Best effort only: JS may have copied these, but we do not leave them lying around.
  sodium.memzero(plaintext);
  sodium.memzero(wrapKey);
  return concatBytes(ad, nonce, ciphertext);
}

function open(wrapKey: Uint8Array, bundle: Uint8Array, adBytes: number): StaffKeys {
  const sodium = getSodium();
  try {
    const plaintext = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      bundle.subarray(adBytes + NONCE_BYTES),
      bundle.subarray(0, adBytes),
      bundle.subarray(adBytes, adBytes + NONCE_BYTES),
      wrapKey,
    );
    return staffKeysFrom(plaintext);
  } catch {
    throw new CryptoError('DECRYPT_FAILED');
  } finally {
    sodium.memzero(wrapKey);
  }
}

function checkBundleLength(bundle: Uint8Array, expected: number): void {
  if (bundle.length !== expected) throw new CryptoError('BAD_INPUT', 'A key bundle has a fixed length.');
}

function pwhash(passphrase: Uint8Array, salt: Uint8Array, { opslimit, memlimit }: PwhashLimits): Uint8Array {
  const sodium = getSodium();
  return sodium.crypto_pwhash(32, passphrase, salt, opslimit, memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
}

export function wrapWithPassphrase(keys: StaffPrivateKeys, passphrase: string, options: PassphraseWrapOptions = {}): Uint8Array {
  const sodium = getSodium();
  const secret = passphraseBytes(passphrase);
  const limits = options.limits ?? defaultPwhashLimits();
  checkLimits(limits);
  const salt = options.salt === undefined ? sodium.randombytes_buf(SALT_BYTES) : requireBytes(options.salt, SALT_BYTES, 'The salt');
  const nonce =
    options.nonce === undefined ? sodium.randombytes_buf(NONCE_BYTES) : requireBytes(options.nonce, NONCE_BYTES, 'The nonce');
  const plaintext = staffPlaintext(keys);
  const ad = concatBytes(
    Uint8Array.of(FORMAT.PASSPHRASE_BUNDLE_V1),
    encodeUint32(limits.opslimit),
    encodeUint32(limits.memlimit),
    salt,
  );
  return seal(pwhash(secret, salt, limits), ad, plaintext, nonce);
}

/** Throws DECRYPT_FAILED for a wrong passphrase (indistinguishable from tampering). */
export function unlockWithPassphrase(bundle: Uint8Array, passphrase: string): StaffKeys {
  readFormat(bundle, [FORMAT.PASSPHRASE_BUNDLE_V1], PASSPHRASE_BUNDLE_BYTES);
  checkBundleLength(bundle, PASSPHRASE_BUNDLE_BYTES);
  const secret = passphraseBytes(passphrase);
  const limits = readPassphraseBundleLimits(bundle);
  const salt = bundle.subarray(9, 9 + SALT_BYTES);
  return open(pwhash(secret, salt, limits), bundle, PASSPHRASE_AD_BYTES);
}

/** The stored Argon2id limits, e.g. to re-wrap after sign-in when the defaults were raised. */
export function readPassphraseBundleLimits(bundle: Uint8Array): PwhashLimits {
  readFormat(bundle, [FORMAT.PASSPHRASE_BUNDLE_V1], PASSPHRASE_BUNDLE_BYTES);
  const limits = { opslimit: decodeUint32(bundle, 1), memlimit: decodeUint32(bundle, 5) };
  checkLimits(limits);
  return limits;
}

/** Passphrase change: unlock with the old one, wrap under the new one with a fresh salt. */
export function changePassphrase(
  bundle: Uint8Array,
  oldPassphrase: string,
  newPassphrase: string,
  options: PassphraseWrapOptions = {},
): Uint8Array {
  const { box, sign } = unlockWithPassphrase(bundle, oldPassphrase);
  return wrapWithPassphrase({ boxPrivateKey: box.privateKey, signPrivateKey: sign.privateKey }, newPassphrase, options);
}

/** A fresh recovery key in display form ("XXXX-XXXX-..."); show it once, never store it. */
export const generateRecoveryKey = (): string => groupCode(generateCode(RECOVERY_KEY_LENGTH));

/** Canonical recovery key (throws BAD_INPUT on a typo); accepts lowercase, spaces, O/I/L. */
export const normalizeRecoveryKey = (input: string): string => parseCode(input, RECOVERY_KEY_LENGTH, 'recovery key');

// 155 random bits need no stretching: a keyed BLAKE2b is enough to turn them into a key.
function recoveryWrapKey(recoveryKey: string): Uint8Array {
  const canonical = utf8Encode(normalizeRecoveryKey(recoveryKey));
  return getSodium().crypto_generichash(32, RECOVERY_WRAP_CONTEXT, canonical);
}

export function wrapWithRecoveryKey(keys: StaffPrivateKeys, recoveryKey: string, options: RecoveryWrapOptions = {}): Uint8Array {
  const sodium = getSodium();
  const nonce =
    options.nonce === undefined ? sodium.randombytes_buf(NONCE_BYTES) : requireBytes(options.nonce, NONCE_BYTES, 'The nonce');
  const wrapKey = recoveryWrapKey(recoveryKey);
  return seal(wrapKey, Uint8Array.of(FORMAT.RECOVERY_BUNDLE_V1), staffPlaintext(keys), nonce);
}

export function unlockWithRecoveryKey(bundle: Uint8Array, recoveryKey: string): StaffKeys {
  readFormat(bundle, [FORMAT.RECOVERY_BUNDLE_V1], RECOVERY_BUNDLE_BYTES);
  checkBundleLength(bundle, RECOVERY_BUNDLE_BYTES);
  return open(recoveryWrapKey(recoveryKey), bundle, 1);
}

/** Both copies at once, for enrolment; after a recovery, call it again for a new recovery key. */
export function createStaffKeyBundles(
  keys: StaffPrivateKeys,
  passphrase: string,
  options: Pick<PassphraseWrapOptions, 'limits'> = {},
): StaffKeyBundles {
  const recoveryKey = generateRecoveryKey();
  return {
    passphraseBundle: wrapWithPassphrase(keys, passphrase, options),
    recoveryBundle: wrapWithRecoveryKey(keys, recoveryKey),
    recoveryKey,
  };
}
