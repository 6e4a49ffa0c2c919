// The one domain exception of the API. Services throw it with a string code; the single exception
// filter (api-exception.filter.ts) turns it into an HTTP status + `{error: {code, message, details}}`
// for REST and `extensions.code` for GraphQL.

export const API_ERROR_CODES = [
  'bad-request',
  'validation-failed',
  'unauthenticated',
  'forbidden',
  'not-found',
  'conflict',
  'version-conflict',
  'precondition-required',
  'payload-too-large',
  'unsupported-media-type',
  'invalid-manifests',
  'invalid-scenario',
  'invalid-exercise',
  'engine-limit-exceeded',
  'engine-budget-exceeded',
  'unsafe-webhook-url',
  'idempotency-key-reused',
  'query-too-complex',
  'rate-limited',
  'unavailable',
  'internal',
] as const;

export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
    /** For `rate-limited`: becomes the `Retry-After` header (REST and GraphQL over HTTP). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A 429 naming when to retry, in `Retry-After` and in `details.retryAfterSeconds`. */
export function rateLimited(message: string, retryAfterSeconds: number): ApiError {
  return new ApiError('rate-limited', message, { retryAfterSeconds }, retryAfterSeconds);
}

/** Exhaustive: adding a code without a status is a compile error. */
export function httpStatusOf(code: ApiErrorCode): number {
  switch (code) {
    case 'bad-request':
    case 'validation-failed':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not-found':
      return 404;
    case 'conflict':
    case 'version-conflict':
      return 409;
    case 'payload-too-large':
      return 413;
    case 'unsupported-media-type':
      return 415;
    case 'invalid-manifests':
    case 'invalid-scenario':
    case 'invalid-exercise':
    case 'engine-limit-exceeded':
    case 'engine-budget-exceeded':
    case 'unsafe-webhook-url':
    case 'idempotency-key-reused':
      return 422;
    case 'query-too-complex':
      return 400;
    case 'precondition-required':
      return 428;
    case 'rate-limited':
      return 429;
    case 'unavailable':
      return 503;
    case 'internal':
      return 500;
    default:
      return assertNever(code);
  }
}

/** GraphQL clients switch on `extensions.code`; the conventional upper-case names where they exist. */
export function graphqlCodeOf(code: ApiErrorCode): string {
  switch (code) {
    case 'bad-request':
    case 'validation-failed':
      return 'BAD_USER_INPUT';
    case 'unauthenticated':
      return 'UNAUTHENTICATED';
    case 'forbidden':
      return 'FORBIDDEN';
    case 'not-found':
      return 'NOT_FOUND';
    case 'conflict':
      return 'CONFLICT';
    case 'version-conflict':
      return 'VERSION_CONFLICT';
    case 'precondition-required':
      return 'PRECONDITION_REQUIRED';
    case 'payload-too-large':
      return 'PAYLOAD_TOO_LARGE';
    case 'unsupported-media-type':
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 'invalid-manifests':
      return 'INVALID_MANIFESTS';
    case 'invalid-scenario':
      return 'INVALID_SCENARIO';
    case 'invalid-exercise':
      return 'INVALID_EXERCISE';
    case 'engine-limit-exceeded':
      return 'ENGINE_LIMIT_EXCEEDED';
    case 'engine-budget-exceeded':
      return 'ENGINE_BUDGET_EXCEEDED';
    case 'unsafe-webhook-url':
      return 'UNSAFE_WEBHOOK_URL';
    case 'idempotency-key-reused':
      return 'IDEMPOTENCY_KEY_REUSED';
    case 'query-too-complex':
      return 'QUERY_TOO_COMPLEX';
    case 'rate-limited':
      return 'RATE_LIMITED';
    case 'unavailable':
      return 'UNAVAILABLE';
    case 'internal':
      return 'INTERNAL_SERVER_ERROR';
    default:
      return assertNever(code);
  }
}

function assertNever(value: never): never {
  throw new Error(`unmapped error code ${String(value)}`);
}
