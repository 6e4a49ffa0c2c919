// Request logging: pino-http runs first of all middleware, so every request gets an id and one
// access line, including those refused before Nest routes them (413, GraphQL gate). The id is the
// caller's `X-Request-Id` when it is a sane token (so a trace spans the load balancer and us),
// else a UUID; it is echoed in the response and bound to every line logged while the request runs
// (nestjs-pino keeps the request's logger in AsyncLocalStorage for Nest's Logger).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger as PinoLogger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import type { RequestHandler } from 'express';

export const REQUEST_ID_HEADER = 'X-Request-Id';
/** Log key of the request id on every line of a request. */
export const REQUEST_ID_KEY = 'requestId';
/** A caller's id is kept only when it is this short and plain: no log injection, bounded lines. */
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Scraped and probed every few seconds: logged at debug so they do not drown the access log. */
const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER.toLowerCase()];
  const candidate = Array.isArray(incoming) ? incoming[0] : incoming;
  return candidate && ACCEPTED_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}

export function requestLogging(logger: PinoLogger): HttpLogger & RequestHandler {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    customAttributeKeys: { reqId: REQUEST_ID_KEY },
    genReqId: (request: IncomingMessage, response: ServerResponse) => {
      const id = requestIdOf(request);
      response.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    customLogLevel: (request, response, error) => {
      if (error || response.statusCode >= 500) return 'error';
      const path = (request.url ?? '').split('?')[0] ?? '';
      return PROBE_PATHS.has(path) ? 'debug' : 'info';
    },
    customSuccessMessage: (request, response, responseTime) =>
      `${request.method} ${request.url} ${response.statusCode} ${Math.round(responseTime)} ms`,
    customErrorMessage: (request, response) =>
      `${request.method} ${request.url} ${response.statusCode} failed`,
    // The tenant is known once the guard ran; the access line says who made the request.
    customSuccessObject: (request, _response, value: Record<string, unknown>) => ({
      ...value,
      tenantId: (request as IncomingMessage & { caller?: { tenantId?: string } }).caller?.tenantId,
    }),
  }) as HttpLogger & RequestHandler;
}
