import { CryptoError } from './errors.ts';

/**
 * The first byte of every blob and of every signed encoding: high nibble = kind, low
 * nibble = version. A value is never reused, so a blob of one kind can never be read as
 * another, and it is bound into the AEAD associated data or the signed bytes.
 */
export const FORMAT = {
  SEALED_KEY_V1: 0x11,
  TEXT_V1: 0x21,
  FILE_STREAM_V1: 0x31,
  PASSPHRASE_BUNDLE_V1: 0x41,
  RECOVERY_BUNDLE_V1: 0x51,
  DIRECTORY_ENTRY_V1: 0x61,
  CONCLUSION_V1: 0x71,
} as const;
export type FormatByte = (typeof FORMAT)[keyof typeof FORMAT];

/**
 * Checks the leading format byte and the minimum length of a blob before any parsing.
 * The version is checked first so that a newer blob reports UNSUPPORTED_VERSION, not a
 * misleading length error.
 */
export function readFormat(blob: unknown, accepted: readonly FormatByte[], minLength: number): FormatByte {
  if (!(blob instanceof Uint8Array)) throw new CryptoError('BAD_INPUT', 'Expected bytes.');
  const format = blob[0];
  if (format === undefined) throw new CryptoError('TRUNCATED');
  const known = accepted.find((f) => f === format);
  if (known === undefined) throw new CryptoError('UNSUPPORTED_VERSION');
  if (blob.length < minLength) throw new CryptoError('TRUNCATED');
  return known;
}

export function requireBytes(value: unknown, length: number, what: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    throw new CryptoError('BAD_INPUT', `${what} must be ${length} bytes.`);
  }
  return value;
}

export function requireText(value: unknown, what: string, maxLength = 256): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new CryptoError('BAD_INPUT', `${what} must be a non-empty string of at most ${maxLength} characters.`);
  }
  return value;
}
