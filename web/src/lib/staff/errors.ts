// Every error a staff page shows says what happened and what to do next.
import { ApiError, NetworkError } from '$lib/api';
import { m } from '$lib/paraglide/messages';
import { WrongPassphraseError } from './unlock';

export function errorText(error: unknown): string {
  if (error instanceof WrongPassphraseError) return m.staff_error_wrong_passphrase();
  if (error instanceof NetworkError) return m.staff_error_network();
  if (!(error instanceof ApiError)) return m.staff_error_generic();
  switch (error.code) {
    case 'INVALID_CREDENTIALS':
      return m.staff_error_invalid_credentials();
    case 'RATE_LIMITED': {
      const seconds = Number(error.details['retryAfterSeconds']);
      return Number.isFinite(seconds) && seconds > 0
        ? m.staff_error_locked({ minutes: String(Math.ceil(seconds / 60)) })
        : m.staff_error_rate_limited();
    }
    case 'UNAUTHENTICATED':
      return m.staff_error_signed_out();
    case 'SECOND_FACTOR_REQUIRED':
      return m.staff_error_second_factor_required();
    case 'CSRF_FAILED':
      return m.staff_error_csrf();
    case 'FORBIDDEN':
      return error.details['reason'] === 'PASSPHRASE_CHANGE_REQUIRED' ? m.staff_error_passphrase_change_required() : m.staff_error_forbidden();
    case 'CONFLICT':
      return m.staff_error_conflict();
    case 'VALIDATION_FAILED':
      return m.staff_error_validation();
    case 'NOT_FOUND':
      return m.staff_error_not_found();
    default:
      return m.staff_error_generic();
  }
}
