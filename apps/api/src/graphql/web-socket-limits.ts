// graphql-ws options. The handshake is where a connection is authorised: `connection_init` must
// carry a key that authenticates (`connectionParams.authorization`), otherwise graphql-ws closes
// the socket with 4403 Forbidden instead of acknowledging it; the key is checked again for every
// operation by the guard. Subscriptions get the same size, token and shape limits as HTTP (the
// Apollo plugins do not see WebSocket operations). The cost limit is not needed there: a
// subscription has exactly one root field (GraphQL spec, "Single root field"), and
// RunStatusChange has only scalar fields.
import { parse, specifiedRules, validate, type GraphQLError } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { IncomingMessage } from 'node:http';
import type { ApiKeyAuthentication } from '../auth/api-key-authentication';
import { webSocketRequest } from './graphql-context';
import { checkQuerySize, queryShapeRules, type QueryLimits } from './query-limits';

type WebSocketExtra = { request?: IncomingMessage };

export function webSocketOptions(
  limits: QueryLimits,
  authentication: Pick<ApiKeyAuthentication, 'authenticate'>,
): Pick<ServerOptions, 'onConnect' | 'onSubscribe' | 'parse' | 'validate'> & { path: string } {
  const rules = [...specifiedRules, ...queryShapeRules(limits)];
  return {
    path: '/graphql',
    onConnect: async (context) => {
      const { headers } = webSocketRequest(context.connectionParams);
      const extra = context.extra as WebSocketExtra;
      try {
        await authentication.authenticate(
          headers.authorization,
          extra.request?.socket.remoteAddress ?? 'unknown',
        );
        return true;
      } catch {
        return false;
      }
    },
    onSubscribe: (_context, _id, payload) => {
      const refusal = checkQuerySize(limits, payload.query);
      return refusal ? [refusal] : undefined;
    },
    parse: (source) => parse(source, { maxTokens: limits.maxTokens }),
    validate: (schema, document): ReadonlyArray<GraphQLError> => validate(schema, document, rules),
  };
}
