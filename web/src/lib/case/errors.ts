// Casework errors in words that say what to do next; everything else falls back to the
// staff pages' general wording.
import { ApiError } from '$lib/api';
import { m } from '$lib/paraglide/messages';
import { errorText } from '$lib/staff/errors';
import { NoBodyKeyError, NoCaseKeyError, UnreadableError } from './case-crypto';

export const isStale = (error: unknown): boolean => error instanceof ApiError && error.code === 'STALE_VERSION';

export function caseErrorText(error: unknown): string {
  if (error instanceof NoCaseKeyError) return m.case_error_no_key();
  if (error instanceof UnreadableError) return m.case_error_unreadable();
  if (error instanceof NoBodyKeyError) return m.case_error_no_body_key();
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'STALE_VERSION': return m.case_error_stale();
      case 'INVALID_TRANSITION': return m.case_error_invalid_transition();
      case 'ACTION_HELD': return m.case_error_held();
      case 'NOT_FOUND': return m.case_error_not_found();
      case 'VALIDATION_FAILED': return m.case_error_validation();
      case 'UNPROCESSABLE': return m.case_error_unprocessable();
    }
  }
  return errorText(error);
}
