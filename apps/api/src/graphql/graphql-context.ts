// The GraphQL context carries an Express-like `req` for the auth guard and the @Caller decorator.
// Over HTTP it is the real request; over graphql-ws (subscriptions) browsers cannot set headers on
// the WebSocket upgrade, so the API key comes in `connectionParams.authorization` and is put where
// the guard reads it.
import type { AuthenticatedRequest } from '../auth/request-of';

export interface GraphqlContext {
  req: AuthenticatedRequest | WebSocketRequest;
}

export interface WebSocketRequest {
  headers: { authorization?: string };
  caller?: AuthenticatedRequest['caller'];
}

interface HttpContextInput {
  req: AuthenticatedRequest;
}

interface WebSocketContextInput {
  connectionParams?: Readonly<Record<string, unknown>>;
}

export function graphqlContext(input: HttpContextInput | WebSocketContextInput): GraphqlContext {
  if ('req' in input && input.req) return { req: input.req };
  return { req: webSocketRequest((input as WebSocketContextInput).connectionParams) };
}

export function webSocketRequest(
  connectionParams: Readonly<Record<string, unknown>> | undefined,
): WebSocketRequest {
  const authorization = connectionParams?.authorization ?? connectionParams?.Authorization;
  return { headers: typeof authorization === 'string' ? { authorization } : {} };
}
