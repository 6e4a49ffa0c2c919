// Express middleware in front of Apollo on /graphql, so what a caller without a key can make the
// process do is bounded before any GraphQL parsing:
// - before the body is read: no key → 401 at once (unless public introspection is on, and then
//   bodies over ANONYMOUS_BODY_LIMIT are refused from their Content-Length); a key → looked up
//   (cached keys cost nothing, failures are limited per address) and the caller recorded, so the
//   resolvers' guard does not look it up again;
// - once the JSON body is parsed: query text over the size limit → refused before Apollo parses it.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { clientAddressOf, type ApiKeyAuthentication } from '../auth/api-key-authentication';
import type { AuthenticatedRequest } from '../auth/request-of';
import { ApiError, httpStatusOf } from '../errors/api-error';
import { toGraphqlError } from '../errors/api-exception.filter';
import { toApiError } from '../errors/to-api-error';
import { checkQuerySize, type QueryLimits } from './query-limits';

export const GRAPHQL_PATH = '/graphql';
/** Largest body accepted from a caller without a key (public introspection only). */
export const ANONYMOUS_BODY_LIMIT = 64 * 1024;

export interface GraphqlGateOptions {
  authentication: Pick<ApiKeyAuthentication, 'authenticate'>;
  publicIntrospection: boolean;
}

/** Before the body parsers: who is calling, and may they send this much. */
export function graphqlCallerGate(options: GraphqlGateOptions): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (request.path !== GRAPHQL_PATH) return next();
    const authorization = request.headers.authorization;
    if (authorization === undefined) {
      if (!options.publicIntrospection)
        return sendGraphqlError(
          response,
          new ApiError('unauthenticated', 'an API key is required (Authorization: Bearer <key>)'),
        );
      if (Number(request.headers['content-length'] ?? 0) > ANONYMOUS_BODY_LIMIT)
        return sendGraphqlError(
          response,
          new ApiError(
            'payload-too-large',
            `a request without an API key may send at most ${ANONYMOUS_BODY_LIMIT} bytes`,
          ),
        );
      return next();
    }
    options.authentication
      .authenticate(authorization, clientAddressOf(request))
      .then((caller) => {
        (request as AuthenticatedRequest).caller = caller;
        next();
      })
      .catch((error: unknown) => sendGraphqlError(response, toApiError(error)));
  };
}

/** After the JSON body parser: the query text's size, before Apollo parses it. */
export function graphqlQuerySizeGate(limits: Pick<QueryLimits, 'maxQueryChars'>): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (request.path !== GRAPHQL_PATH) return next();
    const body: unknown = request.body;
    const queries = Array.isArray(body)
      ? body.map((operation: { query?: unknown }) => operation?.query)
      : [(body as { query?: unknown } | undefined)?.query ?? request.query.query];
    for (const query of queries) {
      const refusal = checkQuerySize(limits, query);
      if (refusal)
        return sendGraphqlError(
          response,
          new ApiError('payload-too-large', refusal.message, refusal.extensions.details),
        );
    }
    next();
  };
}

/** An error answered in GraphQL's shape (`{errors: [{message, extensions}]}`) with its HTTP status. */
export function sendGraphqlError(response: Response, error: ApiError): void {
  if (error.retryAfterSeconds !== undefined)
    response.setHeader('Retry-After', String(error.retryAfterSeconds));
  const { message, extensions } = toGraphqlError(error);
  const { http: _http, ...sent } = extensions;
  response.status(httpStatusOf(error.code)).json({ errors: [{ message, extensions: sent }] });
}
