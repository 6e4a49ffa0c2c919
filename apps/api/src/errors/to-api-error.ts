// Everything that can be thrown inside a request, as the one domain error: our own ApiError as it
// is, Nest's HttpExceptions (routing 404, validation/parse pipes, throttler) and body-parser errors
// by their status, and anything else as a 500 whose message reveals nothing internal.
import { HttpException } from '@nestjs/common';
import { isDatabaseUnavailable, RepositoryError } from '@netplay/db';
import { ApiError, type ApiErrorCode } from './api-error';
import { boundedError } from './bounded';
import { fromRepositoryError } from './repository-refusal';

export interface ErrorBody {
  error: { code: ApiErrorCode; message: string; details?: unknown };
}

export function toApiError(exception: unknown): ApiError {
  if (exception instanceof ApiError) return exception;
  if (exception instanceof RepositoryError) return fromRepositoryError(exception);
  if (exception instanceof HttpException)
    return fromHttpStatus(
      exception.getStatus(),
      httpExceptionMessage(exception),
      validationDetails(exception),
    );
  const bodyParserStatus = bodyParserErrorStatus(exception);
  if (bodyParserStatus !== undefined) {
    const message =
      exception instanceof Error ? exception.message : 'the request body could not be read';
    return fromHttpStatus(
      bodyParserStatus,
      bodyParserStatus === 413
        ? `the request body is larger than the limit (${message})`
        : `malformed request body: ${message}`,
    );
  }
  if (isDatabaseUnavailable(exception))
    return new ApiError(
      'unavailable',
      'the database is unavailable; retry shortly',
      undefined,
      UNAVAILABLE_RETRY_AFTER_SECONDS,
    );
  if (isRedisUnavailable(exception))
    return new ApiError(
      'unavailable',
      'the queue (Redis) is unavailable; retry shortly',
      undefined,
      UNAVAILABLE_RETRY_AFTER_SECONDS,
    );
  return new ApiError('internal', 'internal server error');
}

/** What a 503 for a dependency that went away suggests: it usually returns within seconds. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** ioredis refusing a command while disconnected (`enableOfflineQueue: false`) or mid-reconnect. */
function isRedisUnavailable(exception: unknown): boolean {
  return (
    exception instanceof Error &&
    /Stream isn't writeable|Connection is closed|Reached the max retries per request/.test(
      exception.message,
    )
  );
}

export function errorBody(error: ApiError): ErrorBody {
  const { message, details } = boundedError(error.message, error.details);
  return {
    error: {
      code: error.code,
      message,
      ...(error.details === undefined ? {} : { details }),
    },
  };
}

function fromHttpStatus(status: number, message: string, details?: unknown): ApiError {
  const code = codeForStatus(status);
  return new ApiError(code, message, details);
}

function codeForStatus(status: number): ApiErrorCode {
  const byStatus: Record<number, ApiErrorCode> = {
    400: 'bad-request',
    401: 'unauthenticated',
    403: 'forbidden',
    404: 'not-found',
    409: 'conflict',
    413: 'payload-too-large',
    415: 'unsupported-media-type',
    422: 'invalid-manifests',
    428: 'precondition-required',
    429: 'rate-limited',
    503: 'unavailable',
  };
  if (byStatus[status]) return byStatus[status];
  return status >= 400 && status < 500 ? 'bad-request' : 'internal';
}

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  if (typeof response === 'object' && response !== null && 'message' in response) {
    const message = (response as { message: unknown }).message;
    if (typeof message === 'string') return message;
    if (Array.isArray(message)) return message.map(String).join('; ');
  }
  return exception.message;
}

/** Nest's ValidationPipe reports `message: string[]`; keep them as details so clients can show each. */
function validationDetails(exception: HttpException): unknown {
  const response = exception.getResponse();
  if (typeof response === 'object' && response !== null && 'details' in response)
    return (response as { details: unknown }).details;
  return undefined;
}

/** body-parser (used by Express) marks its errors with `type` and `status` (https://github.com/expressjs/body-parser#errors). */
function bodyParserErrorStatus(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { type, status } = exception as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number') return undefined;
  if (
    !type.startsWith('entity.') &&
    !type.startsWith('encoding.') &&
    !type.startsWith('charset.') &&
    type !== 'request.aborted' &&
    type !== 'request.size.invalid' &&
    type !== 'stream.encoding.set'
  )
    return undefined;
  return status >= 400 && status < 500 ? status : 400;
}
