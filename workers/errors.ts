// Error text that may leave the process (logs, Redis's failedReason, outbox.last_error).
// Drizzle's query errors put the bound parameters in their message; those never leave.

type QueryError = Error & { query: unknown; params: unknown; cause?: unknown };

function isQueryError(err: unknown): err is QueryError {
  return err instanceof Error && 'query' in err && 'params' in err;
}

/** The error with any SQL parameters stripped: a query error becomes its driver cause. */
export function safeError(err: unknown): Error {
  if (isQueryError(err)) {
    const cause = err.cause;
    const safe = new Error(cause instanceof Error ? cause.message : 'database query failed');
    safe.name = cause instanceof Error ? cause.name : 'DatabaseError';
    const code = (cause as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string') Object.assign(safe, { code });
    return safe;
  }
  return err instanceof Error ? err : new Error('non-error thrown');
}

export function errorText(err: unknown): string {
  const safe = safeError(err);
  const code = (safe as { code?: unknown }).code;
  return `${safe.name}${typeof code === 'string' ? ` ${code}` : ''}: ${safe.message}`;
}

/** pino serializer: type, code, message and stack, nothing enumerable beyond them. */
export function serializeError(err: unknown): Record<string, unknown> {
  const safe = safeError(err);
  return {
    type: safe.name,
    code: (safe as { code?: unknown }).code,
    message: safe.message,
    stack: safe === err ? safe.stack : undefined,
  };
}
