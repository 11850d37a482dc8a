// The one list of error codes. Every refusal the API, the workers or the pages make
// carries one of these codes; the HTTP status is looked up here and nowhere else.

export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAUTHENTICATED: 401,
  SECOND_FACTOR_REQUIRED: 401,
  INVALID_CREDENTIALS: 401,
  CSRF_FAILED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  ACTION_HELD: 409,
  REVIEW_REQUIRED: 409,
  STALE_VERSION: 409,
  LIMIT_EXCEEDED: 422,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  DEPENDENCY_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Messages users read. Stable wording, never an echo of their input. */
export const ERROR_MESSAGE: Record<ErrorCode, string> = {
  BAD_REQUEST: 'The request could not be understood. Check the address and try again.',
  VALIDATION_FAILED: 'Some fields are missing or not in the expected form.',
  PAYLOAD_TOO_LARGE: 'The request is larger than allowed. Send less at once.',
  UNSUPPORTED_MEDIA_TYPE: 'This content type is not accepted here.',
  UNAUTHENTICATED: 'Sign in to continue.',
  SECOND_FACTOR_REQUIRED: 'Confirm the sign-in with your second factor.',
  INVALID_CREDENTIALS: 'The account name, passphrase or code is not right.',
  CSRF_FAILED: 'The form expired. Reload the page and try again.',
  FORBIDDEN: 'Your role does not allow this action.',
  NOT_FOUND: 'Nothing was found at this address.',
  METHOD_NOT_ALLOWED: 'This method is not allowed here.',
  CONFLICT: 'This conflicts with the current state. Reload and try again.',
  INVALID_TRANSITION: 'This case cannot move to that state from where it is now.',
  ACTION_HELD: 'This personnel action is on hold while a case is verified.',
  REVIEW_REQUIRED: 'This action needs a review by the inspection committee first.',
  STALE_VERSION: 'Someone changed this in the meantime. Reload and try again.',
  LIMIT_EXCEEDED: 'A limit was reached.',
  UNPROCESSABLE: 'The request is well formed but cannot be carried out.',
  RATE_LIMITED: 'Too many attempts. Wait a moment and try again.',
  INTERNAL: 'Something went wrong on our side. Try again later.',
  DEPENDENCY_UNAVAILABLE: 'A service the portal needs is not answering. Try again shortly.',
};

/** A refusal with a stable code. `details` must hold ids and limits, never user content. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERROR_MESSAGE[code]);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = details;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
