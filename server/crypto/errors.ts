// Every failure in this library is a CryptoError with a stable code, so callers can map it
// to an API error (or a page message) without parsing text, and nothing returns garbage.

export const CRYPTO_ERROR_CODES = [
  'UNSUPPORTED_VERSION',
  'DECRYPT_FAILED',
  'TRUNCATED',
  'BAD_SIGNATURE',
  'BAD_INPUT',
  'NOT_READY',
] as const;
export type CryptoErrorCode = (typeof CRYPTO_ERROR_CODES)[number];

const DEFAULT_MESSAGE: Record<CryptoErrorCode, string> = {
  UNSUPPORTED_VERSION: 'The data uses a format version this build does not know.',
  DECRYPT_FAILED: 'The data could not be decrypted: wrong key, wrong context or tampered.',
  TRUNCATED: 'The data is incomplete.',
  BAD_SIGNATURE: 'The signature does not match.',
  BAD_INPUT: 'The input is not in the expected form.',
  NOT_READY: 'The crypto library is not ready: await initCrypto() first.',
};

/** Messages name the problem, never the input: they may end up in logs. */
export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message?: string) {
    super(message ?? DEFAULT_MESSAGE[code]);
    this.name = 'CryptoError';
    this.code = code;
  }
}

export const isCryptoError = (e: unknown): e is CryptoError => e instanceof CryptoError;
