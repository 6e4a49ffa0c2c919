// graphql-ws options: a connection must present an API key (checked per operation by the auth
// guard), and subscriptions get the depth limit, which Apollo's plugins do not see over WebSocket.
// The cost limit is not needed there: a subscription has exactly one root field (GraphQL spec,
// "Single root field"), and RunStatusChange has only scalar fields.
import { parse, type DocumentNode } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { queryDepth, tooComplex, type QueryLimits } from './query-limits';

export function webSocketOptions(
  limits: Pick<QueryLimits, 'maxDepth'>,
): Pick<ServerOptions, 'onConnect' | 'onSubscribe'> & { path: string } {
  return {
    path: '/graphql',
    onConnect: (context) => typeof context.connectionParams?.authorization === 'string',
    onSubscribe: (_context, _id, payload) => {
      let document: DocumentNode;
      try {
        document = parse(payload.query);
      } catch {
        // graphql-ws parses again and answers the syntax error itself.
        return undefined;
      }
      const depth = queryDepth(document, payload.operationName);
      if (depth <= limits.maxDepth) return undefined;
      return [
        tooComplex(`the query is nested ${depth} levels deep; the limit is ${limits.maxDepth}`, {
          depth,
          maxDepth: limits.maxDepth,
        }),
      ];
    },
  };
}
