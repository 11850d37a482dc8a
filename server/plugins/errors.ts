// One error shape for every failure: { error: { code, message, requestId } }.
// 5xx answers carry generic text; nothing of the input is echoed back.
import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { AppError, ERROR_MESSAGE, ERROR_STATUS, type ErrorCode } from '../domain/errors.ts';
import { isCryptoError } from '../crypto/index.ts';

export type ErrorBody = { error: { code: ErrorCode; message: string; requestId: string; details?: Record<string, unknown> } };

function fromFastifyError(err: FastifyError): AppError {
  if (isCryptoError(err)) {
    // Ciphertext the server checks (signatures, formats) that does not hold up.
    if (err.code === 'BAD_INPUT') return new AppError('VALIDATION_FAILED');
    if (err.code === 'NOT_READY') return new AppError('INTERNAL');
    return new AppError('UNPROCESSABLE', 'The encrypted data could not be verified.', { crypto: err.code });
  }
  if (err.validation) {
    // Name the fields that failed, never their values.
    const fields = [...new Set(err.validation.map((v) => v.instancePath || v.params?.['missingProperty'] || '/'))]
      .map(String).slice(0, 10);
    return new AppError('VALIDATION_FAILED', undefined, { fields });
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('BAD_REQUEST');
    default:
      break;
  }
  if (err.statusCode === 429) return new AppError('RATE_LIMITED');
  if (err.statusCode === 400 || (err instanceof SyntaxError)) return new AppError('BAD_REQUEST');
  if (err.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE');
  if (err.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  return new AppError('INTERNAL');
}

export default fp(
  async (app) => {
    app.setErrorHandler<FastifyError | AppError>((err, request, reply) => {
      const appError = err instanceof AppError ? err : fromFastifyError(err);
      if (appError.status >= 500) {
        request.log.error({ err }, 'request failed');
      }
      const body: ErrorBody = {
        error: {
          code: appError.code,
          message: appError.status >= 500 ? ERROR_MESSAGE[appError.code] : appError.message,
          requestId: request.id,
          ...(appError.details && appError.status < 500 ? { details: appError.details } : {}),
        },
      };
      if (appError.code === 'RATE_LIMITED' && err instanceof Error && 'headers' in err) {
        const headers = (err as { headers?: Record<string, string> }).headers ?? {};
        if (headers['retry-after']) void reply.header('retry-after', headers['retry-after']);
      }
      return reply.status(appError.status).type('application/json; charset=utf-8').send(body);
    });
  },
  { name: 'errors' },
);

/** Builds the error body for a status the router produced (404/405) without an exception. */
export function errorBody(code: ErrorCode, requestId: string): ErrorBody {
  return { error: { code, message: ERROR_MESSAGE[code], requestId } };
}

export { ERROR_STATUS };
