// Text parts of a case (report, identity, manifest, ...) under XChaCha20-Poly1305.
// Layout: format byte || nonce (24) || ciphertext. The associated data binds the format
// byte, the part label and the case's public reference, so an envelope cannot be moved to
// another case or into another slot (a report into the identity slot) without failing.
import { CryptoError } from './errors.ts';
import { concatBytes, encodeFields, utf8Decode, utf8Encode } from './encoding.ts';
import { FORMAT, readFormat, requireBytes, requireText } from './formats.ts';
import { SYMMETRIC_KEY_BYTES } from './sealed-key.ts';
import { getSodium } from './sodium.ts';

/** Part labels are bound into the ciphertext: renaming one breaks existing envelopes. */
export const TEXT_PARTS = ['report', 'identity', 'manifest', 'note', 'conclusion', 'message'] as const;
export type TextPart = (typeof TEXT_PARTS)[number];

export type EnvelopeContext = { caseRef: string; part: TextPart };
/** `nonce` exists for known-answer tests only; production code must leave it out. */
export type EncryptOptions = { nonce?: Uint8Array };

export const TEXT_NONCE_BYTES = 24;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + TEXT_NONCE_BYTES;
// Plaintext is padded (ISO/IEC 7816-4) to a multiple of this, so the stored size tells
// only roughly how long a text is: a short identity or note does not leak its length.
export const TEXT_PAD_BLOCK_BYTES = 256;

function associatedData(format: number, { caseRef, part }: EnvelopeContext): Uint8Array {
  requireText(caseRef, 'The case reference');
  if (!TEXT_PARTS.includes(part)) throw new CryptoError('BAD_INPUT', 'Unknown envelope part.');
  return concatBytes(Uint8Array.of(format), encodeFields([utf8Encode(part), utf8Encode(caseRef)]));
}

function encryptBytes(key: Uint8Array, context: EnvelopeContext, plaintext: Uint8Array, options: EncryptOptions): Uint8Array {
  const sodium = getSodium();
  requireBytes(key, SYMMETRIC_KEY_BYTES, 'The envelope key');
  const ad = associatedData(FORMAT.TEXT_V1, context);
  const nonce =
    options.nonce === undefined
      ? sodium.randombytes_buf(TEXT_NONCE_BYTES)
      : requireBytes(options.nonce, TEXT_NONCE_BYTES, 'The nonce');
  const padded = sodium.pad(plaintext, TEXT_PAD_BLOCK_BYTES);
  const ciphertext = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, ad, null, nonce, key);
  return concatBytes(Uint8Array.of(FORMAT.TEXT_V1), nonce, ciphertext);
}

function decryptBytes(key: Uint8Array, context: EnvelopeContext, envelope: Uint8Array): Uint8Array {
  const sodium = getSodium();
  const format = readFormat(envelope, [FORMAT.TEXT_V1], HEADER_BYTES + TAG_BYTES);
  requireBytes(key, SYMMETRIC_KEY_BYTES, 'The envelope key');
  const ad = associatedData(format, context);
  try {
    const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      envelope.subarray(HEADER_BYTES),
      ad,
      envelope.subarray(1, HEADER_BYTES),
      key,
    );
    return sodium.unpad(padded, TEXT_PAD_BLOCK_BYTES);
  } catch {
    throw new CryptoError('DECRYPT_FAILED');
  }
}

export function encryptText(key: Uint8Array, context: EnvelopeContext, text: string, options: EncryptOptions = {}): Uint8Array {
  if (typeof text !== 'string') throw new CryptoError('BAD_INPUT', 'Expected a string.');
  return encryptBytes(key, context, utf8Encode(text), options);
}

export function decryptText(key: Uint8Array, context: EnvelopeContext, envelope: Uint8Array): string {
  const plaintext = decryptBytes(key, context, envelope);
  try {
    return utf8Decode(plaintext);
  } catch {
    // Authenticated but not UTF-8: only a foreign writer could produce this.
    throw new CryptoError('DECRYPT_FAILED');
  }
}

export function encryptJson(key: Uint8Array, context: EnvelopeContext, value: unknown, options: EncryptOptions = {}): Uint8Array {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    throw new CryptoError('BAD_INPUT', 'The value cannot be serialised as JSON.');
  }
  if (json === undefined) throw new CryptoError('BAD_INPUT', 'The value cannot be serialised as JSON.');
  return encryptBytes(key, context, utf8Encode(json), options);
}

/** Returns `unknown` on purpose: validate the shape with the schema before use. */
export function decryptJson(key: Uint8Array, context: EnvelopeContext, envelope: Uint8Array): unknown {
  const text = decryptText(key, context, envelope);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CryptoError('BAD_INPUT', 'The envelope does not hold JSON.');
  }
}
