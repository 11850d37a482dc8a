import { CryptoError } from './errors.ts';
import { getSodium } from './sodium.ts';

const utf8Encoder = new TextEncoder();
// fatal: invalid UTF-8 throws instead of silently becoming U+FFFD.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export const utf8Encode = (text: string): Uint8Array => utf8Encoder.encode(text);

export function utf8Decode(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new CryptoError('BAD_INPUT', 'The bytes are not valid UTF-8.');
  }
}

export function toBase64Url(bytes: Uint8Array): string {
  const sodium = getSodium();
  return sodium.to_base64(bytes, sodium.base64_variants.URLSAFE_NO_PADDING);
}

export function fromBase64Url(text: string): Uint8Array {
  const sodium = getSodium();
  try {
    return sodium.from_base64(text, sodium.base64_variants.URLSAFE_NO_PADDING);
  } catch {
    throw new CryptoError('BAD_INPUT', 'Not valid unpadded base64url.');
  }
}

export const toHex = (bytes: Uint8Array): string => getSodium().to_hex(bytes);

export function fromHex(text: string): Uint8Array {
  const sodium = getSodium();
  try {
    return sodium.from_hex(text);
  } catch {
    throw new CryptoError('BAD_INPUT', 'Not valid hex.');
  }
}

/** Constant time for equal lengths; lengths themselves are not treated as secret. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return getSodium().memcmp(a, b);
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function encodeUint32(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new CryptoError('BAD_INPUT', 'Expected an unsigned 32-bit integer.');
  }
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

export function decodeUint32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset, false);
}

/**
 * Canonical encoding for associated data and signed messages: each field is prefixed by
 * its 32-bit big-endian length, so ("ab","c") and ("a","bc") never encode alike.
 */
export function encodeFields(fields: readonly Uint8Array[]): Uint8Array {
  return concatBytes(...fields.flatMap((f) => [encodeUint32(f.length), f]));
}
