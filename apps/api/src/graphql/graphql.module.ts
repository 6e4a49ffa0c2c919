// GraphQL at /graphql (code-first, Apollo Server 5): queries and mutations over HTTP, the run
// status subscription over graphql-ws on the same path. Resolvers call the REST services, errors
// go through the one exception filter (extensions.code = the REST code's GraphQL name), and every
// operation is held to the limits of query-limits.ts before it runs. Callers are authenticated
// before their operation is parsed (graphql-http-gate.ts over HTTP, the graphql-ws handshake).
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { GraphQLFormattedError } from 'graphql';
import { ApiKeyAuthentication } from '../auth/api-key-authentication';
import { AuthModule } from '../auth/auth.module';
import { graphqlCodeOf, type ApiErrorCode } from '../errors/api-error';
import { excerpt, MAX_MESSAGE_CHARS } from '../errors/bounded';
import { ExercisesModule } from '../exercises/exercises.module';
import { RunsModule } from '../runs/runs.module';
import { SandboxesModule } from '../sandboxes/sandboxes.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { BoundedApolloDriver } from './bounded-apollo-driver';
import { ExercisesResolver } from './exercises.resolver';
import { NodeResolver } from './node.resolver';
import { graphqlContext } from './graphql-context';
import { QUERY_LIMITS, queryCostPlugin, queryShapeRules, type QueryLimits } from './query-limits';
import { RunsResolver } from './runs.resolver';
import { SandboxesResolver, SandboxRevisionsResolver } from './sandboxes.resolver';
import { webSocketOptions } from './web-socket-limits';
import { WebhooksResolver } from './webhooks.resolver';

export function graphqlOptions(
  authentication: Pick<ApiKeyAuthentication, 'authenticate'>,
  limits: QueryLimits = QUERY_LIMITS,
): ApolloDriverConfig {
  return {
    driver: BoundedApolloDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    // Only callers with a key reach Apollo (the HTTP gate and the graphql-ws handshake refuse the
    // rest) unless NETPLAY_GRAPHQL_PUBLIC_INTROSPECTION is on: introspection is for them.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    graphiql: false,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: queryShapeRules(limits),
    formatError,
    context: graphqlContext,
    plugins: [queryCostPlugin(limits)],
    subscriptions: { 'graphql-ws': webSocketOptions(limits, authentication) },
  };
}

/** graphql-js's parser refusing a document over `maxTokens`. */
// (graphql 16 spells it "more that".)
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more th(?:at|an) \d+ tokens/;

/**
 * Apollo gives errors found while validating the code GRAPHQL_VALIDATION_FAILED; the limits' own
 * code (`apiCode`) is put back, and the parser's token limit gets it too. Messages are cut to an excerpt: a variable's bad value is quoted
 * in graphql-js's message, and it may be megabytes long.
 */
export function formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const apiCode =
    (formatted.extensions?.apiCode as ApiErrorCode | undefined) ??
    (TOKEN_LIMIT_MESSAGE.test(formatted.message) ? 'query-too-complex' : undefined);
  return {
    ...formatted,
    message: excerpt(formatted.message, MAX_MESSAGE_CHARS),
    ...(apiCode ? { extensions: { ...formatted.extensions, code: graphqlCodeOf(apiCode) } } : {}),
  };
}

/** Every resolver: the module's providers, and what schema.graphql is generated from. */
export const GRAPHQL_RESOLVERS = [
  RunsResolver,
  SandboxesResolver,
  SandboxRevisionsResolver,
  ExercisesResolver,
  WebhooksResolver,
  NodeResolver,
];

@Module({
  imports: [
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: BoundedApolloDriver,
      imports: [AuthModule],
      inject: [ApiKeyAuthentication],
      useFactory: (authentication: ApiKeyAuthentication) => graphqlOptions(authentication),
    }),
    RunsModule,
    SandboxesModule,
    ExercisesModule,
    WebhooksModule,
  ],
  providers: GRAPHQL_RESOLVERS,
})
export class NetplayGraphqlModule {}
