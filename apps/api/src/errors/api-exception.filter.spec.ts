import {
  BadRequestException,
  HttpException,
  NotFoundException,
  type ArgumentsHost,
} from '@nestjs/common';
import { GraphQLError } from 'graphql';
import {
  API_ERROR_CODES,
  ApiError,
  rateLimited,
  graphqlCodeOf,
  httpStatusOf,
  type ApiErrorCode,
} from './api-error';
import { ApiExceptionFilter } from './api-exception.filter';
import { toApiError } from './to-api-error';

const EXPECTED_STATUS: Record<ApiErrorCode, number> = {
  'bad-request': 400,
  'validation-failed': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'version-conflict': 409,
  'precondition-required': 428,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'invalid-manifests': 422,
  'invalid-scenario': 422,
  'invalid-exercise': 422,
  'engine-limit-exceeded': 422,
  'engine-budget-exceeded': 422,
  'unsafe-webhook-url': 422,
  'idempotency-key-reused': 422,
  'query-too-complex': 400,
  'rate-limited': 429,
  unavailable: 503,
  internal: 500,
};

function httpHost() {
  const sent: { status?: number; body?: unknown; headers: Record<string, string> } = {
    headers: {},
  };
  const response = {
    headersSent: false,
    setHeader(name: string, value: string) {
      sent.headers[name] = value;
      return this;
    },
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => response }),
  } as unknown as ArgumentsHost;
  return { host, sent };
}

const graphqlHost = { getType: () => 'graphql' } as unknown as ArgumentsHost;

describe('error codes', () => {
  it.each(API_ERROR_CODES.map((code) => [code, EXPECTED_STATUS[code]] as const))(
    '%s answers HTTP %i',
    (code, status) => {
      expect(httpStatusOf(code)).toBe(status);
    },
  );

  it('gives every code a GraphQL extensions.code', () => {
    for (const code of API_ERROR_CODES) expect(graphqlCodeOf(code)).toMatch(/^[A-Z_]+$/);
  });
});

describe('toApiError', () => {
  it.each([
    [
      'a domain error, unchanged',
      new ApiError('conflict', 'taken', { field: 'name' }),
      'conflict',
      'taken',
    ],
    [
      "Nest's unknown-route 404",
      new NotFoundException('Cannot GET /v1/nope'),
      'not-found',
      'Cannot GET /v1/nope',
    ],
    [
      'a pipe error with messages',
      new BadRequestException(['limit must be an integer', 'cursor must be a string']),
      'bad-request',
      'limit must be an integer; cursor must be a string',
    ],
    [
      'a 429 from elsewhere in Nest',
      new HttpException('slow down', 429),
      'rate-limited',
      'slow down',
    ],
    [
      "body-parser's too-large error",
      Object.assign(new Error('request entity too large'), {
        type: 'entity.too.large',
        status: 413,
      }),
      'payload-too-large',
      'the request body is larger than the limit (request entity too large)',
    ],
    [
      "body-parser's malformed JSON",
      Object.assign(new SyntaxError('Unexpected token'), {
        type: 'entity.parse.failed',
        status: 400,
      }),
      'bad-request',
      'malformed request body: Unexpected token',
    ],
    [
      'an unexpected error, without its internals',
      new TypeError('cannot read x of undefined'),
      'internal',
      'internal server error',
    ],
  ])('maps %s', (_name, exception, code, message) => {
    const error = toApiError(exception);
    expect({ code: error.code, message: error.message }).toEqual({ code, message });
  });
});

describe('ApiExceptionFilter', () => {
  it('sends a 429 with Retry-After', () => {
    const { host, sent } = httpHost();
    new ApiExceptionFilter().catch(rateLimited('slow down', 42), host);
    expect(sent).toMatchObject({ status: 429, headers: { 'Retry-After': '42' } });
  });

  it('cuts long messages and long lists of problems to an excerpt', () => {
    const { host, sent } = httpHost();
    const issues = Array.from({ length: 40_000 }, (_, i) => ({
      field: `f${i}`,
      message: 'x'.repeat(500),
    }));
    new ApiExceptionFilter().catch(
      new ApiError('invalid-manifests', 'y'.repeat(400_000), issues),
      host,
    );
    const body = sent.body as { error: { message: string; details: unknown[] } };
    expect(JSON.stringify(body).length).toBeLessThan(25_000);
    expect(body.error.details).toHaveLength(50);
    expect(body.error.message).toContain('39950 more problems not listed');
  });

  it('answers REST with the status and {error: {code, message, details}}', () => {
    const { host, sent } = httpHost();
    new ApiExceptionFilter().catch(
      new ApiError('invalid-manifests', 'manifests are invalid', { issues: [] }),
      host,
    );
    expect(sent).toEqual({
      headers: {},
      status: 422,
      body: {
        error: {
          code: 'invalid-manifests',
          message: 'manifests are invalid',
          details: { issues: [] },
        },
      },
    });
  });

  it('leaves details out when there are none', () => {
    const { host, sent } = httpHost();
    new ApiExceptionFilter().catch(new ApiError('not-found', 'sandbox x not found'), host);
    expect(sent.body).toEqual({ error: { code: 'not-found', message: 'sandbox x not found' } });
  });

  it('answers GraphQL with extensions.code', () => {
    const result = new ApiExceptionFilter().catch(
      new ApiError('version-conflict', 'changed', { currentVersion: 3 }),
      graphqlHost,
    );
    expect(result).toBeInstanceOf(GraphQLError);
    expect((result as GraphQLError).extensions).toEqual({
      code: 'VERSION_CONFLICT',
      apiCode: 'version-conflict',
      details: { currentVersion: 3 },
    });
  });
});
