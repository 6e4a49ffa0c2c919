// The client: openapi-fetch over the generated `paths`, with the tenant's key on every request.
// Every call is typed from the OpenAPI document (parameters, bodies, answers, errors).
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './generated/openapi';
import type { ApiErrorBody } from './types';

/**
 * Typed for the JSON answers: runs also come as text, DOT, Mermaid or SVG (`format`), which a
 * caller asks for with fetch itself.
 */
export type NetplayClient = Client<paths, JsonMediaType>;
type JsonMediaType = `${string}/json`;

export interface NetplayClientOptions {
  /** Where the API is, e.g. `https://netplay.example.com` (paths start with `/v1`). */
  baseUrl: string;
  /** A tenant API key (`np_…`), sent as `Authorization: Bearer …`. */
  apiKey: string;
  /** Another fetch (a proxy agent, a test double); the global fetch otherwise. */
  fetch?: ClientOptions['fetch'];
  headers?: Record<string, string>;
}

export function createNetplayClient(options: NetplayClientOptions): NetplayClient {
  return createClient<paths, JsonMediaType>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { ...options.headers, authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** An error answer of the API, thrown by the helpers (`code` is stable; switch on it). */
export class NetplayApiError extends Error {
  readonly code: ApiErrorBody['error']['code'];
  readonly details: unknown;

  constructor(
    readonly status: number,
    body: unknown,
  ) {
    const error = isApiErrorBody(body)
      ? body.error
      : { code: 'internal' as const, message: `HTTP ${status}`, details: body };
    super(error.message);
    this.name = 'NetplayApiError';
    this.code = error.code;
    this.details = error.details;
  }
}

function isApiErrorBody(body: unknown): body is ApiErrorBody {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { error?: { code?: unknown } }).error?.code === 'string'
  );
}

/** What every openapi-fetch call resolves to. */
export interface FetchResult<Data> {
  data?: Data;
  error?: unknown;
  response: Response;
}

/** The answer's data, or a NetplayApiError for an error answer. */
export function dataOf<Data>(result: FetchResult<Data>): Data {
  if (result.error !== undefined || result.data === undefined)
    throw new NetplayApiError(result.response.status, result.error);
  return result.data;
}
