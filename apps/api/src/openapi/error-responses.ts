// The one error shape in the OpenAPI document: `{error: {code, message, details?}}` with every code
// of API_ERROR_CODES as an enum, and one reusable response per HTTP status naming the codes that
// status carries (httpStatusOf decides; nothing here is a second list of codes).
import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type ResponseObject } from '@nestjs/swagger';
import { API_ERROR_CODES, httpStatusOf, type ApiErrorCode } from '../errors/api-error';

export const ERROR_SCHEMA_NAME = 'Error';

/** `components.schemas.Error`. */
export function errorSchema(): Record<string, unknown> {
  return {
    type: 'object',
    description:
      'Every failure of the REST API (GraphQL carries the same code in `extensions.code`, upper-cased).',
    required: ['error'],
    additionalProperties: false,
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        additionalProperties: false,
        properties: {
          code: { type: 'string', enum: [...API_ERROR_CODES], description: 'Stable: switch on it' },
          message: { type: 'string', description: 'For people; may change' },
          details: {
            description:
              'Depends on the code: for validation-failed a list of `{field, message}`, for rate-limited `{retryAfterSeconds}`, for invalid-manifests the engine issues',
          },
        },
      },
    },
  };
}

/** The codes answered with an HTTP status. */
export function codesOfStatus(status: number): ApiErrorCode[] {
  return API_ERROR_CODES.filter((code) => httpStatusOf(code) === status);
}

const EXAMPLE_MESSAGES: Record<ApiErrorCode, string> = {
  'bad-request': 'the request cannot be read',
  'validation-failed': 'name must be shorter than or equal to 100 characters',
  unauthenticated: 'an API key is required: Authorization: Bearer np_…',
  forbidden: 'the key may not do this',
  'not-found': 'sandbox 0190f3c2-0000-7000-8000-000000000000 not found',
  conflict: 'the resource exists already',
  'version-conflict': 'the sandbox is at version 3, not 2',
  'precondition-required': 'send If-Match with the version you read',
  'payload-too-large': 'the request body is larger than the limit (2mb)',
  'unsupported-media-type': 'send application/json or application/yaml',
  'invalid-manifests': 'the manifests do not load',
  'invalid-scenario': 'steps[0].probe.to is required',
  'invalid-exercise': 'spec.checks is required',
  'engine-limit-exceeded': 'the manifests have more objects than the limit',
  'engine-budget-exceeded': 'the run needs more engine work than its budget',
  'unsafe-webhook-url': 'the URL resolves to a private address',
  'idempotency-key-reused': 'the Idempotency-Key was used with another body',
  'query-too-complex': 'the query is deeper than 10',
  'rate-limited': 'the tenant is over its budget; retry in 12 s',
  unavailable: 'the database is unavailable; retry shortly',
  internal: 'internal error',
};

/** `components.responses`: one per status any code maps to, keyed by the status (`Error400`). */
export function errorResponses(): Record<string, ResponseObject> {
  const statuses = [...new Set(API_ERROR_CODES.map(httpStatusOf))].sort((a, b) => a - b);
  return Object.fromEntries(
    statuses.map((status) => {
      const codes = codesOfStatus(status);
      const response: ResponseObject = {
        description: `${codes.map((code) => `\`${code}\``).join(', ')}`,
        ...(status === 429 || status === 503
          ? {
              headers: {
                'Retry-After': {
                  description: 'Seconds to wait before retrying',
                  schema: { type: 'integer', minimum: 0 },
                },
              },
            }
          : {}),
        content: {
          'application/json': {
            schema: { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` },
            examples: Object.fromEntries(
              codes.map((code) => [
                code,
                {
                  summary: code,
                  value: {
                    error: {
                      code,
                      message: EXAMPLE_MESSAGES[code],
                      ...(code === 'rate-limited' ? { details: { retryAfterSeconds: 12 } } : {}),
                    },
                  },
                },
              ]),
            ),
          },
        },
      };
      return [errorResponseName(status), response];
    }),
  );
}

export function errorResponseName(status: number): string {
  return `Error${status}`;
}

/** Statuses every operation can answer (input, key, budget, the service's own state). */
export const COMMON_ERROR_STATUSES = [400, 429, 500, 503] as const;

/**
 * The error statuses an operation answers beyond the common ones (404 for a missing id, 409 for a
 * version conflict, …). The schema is a placeholder: the document builder points each at the
 * shared response of its status.
 */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: errorResponseName(status) })),
  );
}
