// Sealing a symmetric key (a case key, a body's private key) to an X25519 public key.
// crypto_box_seal has no associated data, so a sealed blob does not say which case it
// belongs to; that binding comes from the text envelope, whose AAD carries the case ref:
// a key sealed for case A and served as case B's key fails to open B's envelopes.
import { CryptoError } from './errors.ts';
import { concatBytes } from './encoding.ts';
import { BOX_PRIVATE_KEY_BYTES, BOX_PUBLIC_KEY_BYTES } from './keys.ts';
import { FORMAT, readFormat, requireBytes, requireText } from './formats.ts';
import { getSodium } from './sodium.ts';

/** Case keys, identity keys and file keys are all 32 random bytes. */
export const SYMMETRIC_KEY_BYTES = 32;
const SEAL_OVERHEAD_BYTES = 48; // crypto_box_SEALBYTES: ephemeral public key + MAC
/** 1 format byte + sealed box of a 32-byte key. */
export const SEALED_KEY_BYTES = 1 + SEAL_OVERHEAD_BYTES + SYMMETRIC_KEY_BYTES;

export type SealRecipient = { id: string; publicKey: Uint8Array };
export type SealedKeyForRecipient = { id: string; sealed: Uint8Array };

/** A fresh random case key K (also used for the identity part's separate key). */
export const generateCaseKey = (): Uint8Array => getSodium().randombytes_buf(SYMMETRIC_KEY_BYTES);

export function sealKey(key: Uint8Array, recipientPublicKey: Uint8Array): Uint8Array {
  requireBytes(key, SYMMETRIC_KEY_BYTES, 'The key to seal');
  requireBytes(recipientPublicKey, BOX_PUBLIC_KEY_BYTES, 'The recipient public key');
  return concatBytes(Uint8Array.of(FORMAT.SEALED_KEY_V1), getSodium().crypto_box_seal(key, recipientPublicKey));
}

export function openSealedKey(sealed: Uint8Array, publicKey: Uint8Array, privateKey: Uint8Array): Uint8Array {
  readFormat(sealed, [FORMAT.SEALED_KEY_V1], SEALED_KEY_BYTES);
  if (sealed.length !== SEALED_KEY_BYTES) throw new CryptoError('BAD_INPUT', 'A sealed key has a fixed length.');
  requireBytes(publicKey, BOX_PUBLIC_KEY_BYTES, 'The public key');
  requireBytes(privateKey, BOX_PRIVATE_KEY_BYTES, 'The private key');
  try {
    return getSodium().crypto_box_seal_open(sealed.subarray(1), publicKey, privateKey);
  } catch {
    throw new CryptoError('DECRYPT_FAILED');
  }
}

/** Seals K once per recipient (each routed body, the reporter), keeping their ids. */
export function sealKeyToRecipients(key: Uint8Array, recipients: readonly SealRecipient[]): SealedKeyForRecipient[] {
  const ids = new Set<string>();
  return recipients.map(({ id, publicKey }) => {
    requireText(id, 'A recipient id');
    if (ids.has(id)) throw new CryptoError('BAD_INPUT', 'Each recipient may appear only once.');
    ids.add(id);
    return { id, sealed: sealKey(key, publicKey) };
  });
}
