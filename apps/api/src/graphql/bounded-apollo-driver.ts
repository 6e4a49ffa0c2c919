// Apollo's Nest driver with graphql-ws messages bounded like HTTP bodies. @nestjs/graphql builds
// its WebSocketServer with ws's defaults and exposes no option for it, so a socket would accept
// messages of up to 100 MiB (ws's default maxPayload), buffered whole before graphql-ws sees them.
// ws reads `maxPayload` from the server's options when each connection is upgraded, so setting it
// once the server exists bounds every socket: a larger message closes the socket with 1009
// (RFC 6455 §7.4.1, "Message Too Big") before it is buffered.
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Injectable } from '@nestjs/common';
import type { WebSocketServer } from 'ws';
import { BODY_LIMIT_BYTES } from '../http/body-limit';

/** Close code ws sends when a message is over `maxPayload`. */
export const MESSAGE_TOO_BIG = 1009;

@Injectable()
export class BoundedApolloDriver extends ApolloDriver {
  override async start(options: ApolloDriverConfig): Promise<void> {
    await super.start(options);
    const server = (this as unknown as SubscriptionServiceHolder)._subscriptionService?.wss;
    if (options.subscriptions && !server)
      throw new Error('the graphql-ws server was not found: its message size cannot be bounded');
    if (server) server.options.maxPayload = BODY_LIMIT_BYTES;
  }
}

/** ApolloDriver's private field (@nestjs/apollo 14) and GqlSubscriptionService's `wss`. */
interface SubscriptionServiceHolder {
  _subscriptionService?: { wss?: WebSocketServer };
}
