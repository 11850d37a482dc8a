// Every failure the reporter can meet, said plainly with what to do next.
// No import of the crypto library itself: the form loads it only when sending.
import { CryptoError } from '$crypto/errors';
import { m } from '$lib/paraglide/messages';
import { UploadRejected } from '$lib/upload/upload-errors';
import { ApiError, NetworkError } from './api';

/** Thrown when a body key is not signed by the root key this build trusts. */
export class UntrustedKeyError extends Error {
  constructor(readonly bodyNames: string[]) {
    super('untrusted body key');
  }
}

export function describeSendError(error: unknown): string {
  if (error instanceof UntrustedKeyError) {
    return m.rf_error_untrusted_key({ bodies: error.bodyNames.join(', ') || '—' });
  }
  if (error instanceof UploadRejected) return error.cause instanceof ApiError ? describeSendError(error.cause) : m.rf_error_upload();
  if (error instanceof NetworkError) return m.rf_error_network();
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'RATE_LIMITED':
        return m.rf_error_rate_limited();
      case 'LIMIT_EXCEEDED':
        return m.rf_error_limit();
      case 'VALIDATION_FAILED':
      case 'BAD_REQUEST':
        return m.rf_error_validation();
      case 'NOT_FOUND':
        return m.rf_error_not_found();
      case 'PAYLOAD_TOO_LARGE':
        return m.rf_error_too_large();
      default:
        return error.status >= 500 ? m.rf_error_server() : m.rf_error_unknown();
    }
  }
  if (error instanceof CryptoError) return m.rf_error_crypto();
  return m.rf_error_unknown();
}
