// GraphQL at /graphql (code-first, Apollo Server 5): queries and mutations over HTTP, the run
// status subscription over graphql-ws on the same path. Resolvers call the REST services, errors
// go through the one exception filter (extensions.code = the REST code's GraphQL name), and every
// operation is checked against depth and cost limits before it runs.
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ExercisesModule } from '../exercises/exercises.module';
import { RunsModule } from '../runs/runs.module';
import { SandboxesModule } from '../sandboxes/sandboxes.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ExercisesResolver } from './exercises.resolver';
import { graphqlContext } from './graphql-context';
import { MAX_QUERY_COST, MAX_QUERY_DEPTH, queryLimitsPlugin } from './query-limits';
import { RunsResolver } from './runs.resolver';
import { SandboxesResolver } from './sandboxes.resolver';
import { webSocketOptions } from './web-socket-limits';
import { WebhooksResolver } from './webhooks.resolver';

const LIMITS = { maxDepth: MAX_QUERY_DEPTH, maxCost: MAX_QUERY_COST };

export function graphqlOptions(env: NodeJS.ProcessEnv = process.env): ApolloDriverConfig {
  const production = env.NODE_ENV === 'production';
  return {
    driver: ApolloDriver,
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    // Apollo turns introspection off when NODE_ENV=production; said explicitly so it cannot drift.
    introspection: !production,
    // Without introspection, "did you mean …" suggestions would leak the schema.
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    graphiql: false,
    allowBatchedHttpRequests: false,
    context: graphqlContext,
    plugins: [queryLimitsPlugin(LIMITS)],
    subscriptions: { 'graphql-ws': webSocketOptions(LIMITS) },
  };
}

@Module({
  imports: [
    GraphQLModule.forRoot<ApolloDriverConfig>(graphqlOptions()),
    RunsModule,
    SandboxesModule,
    ExercisesModule,
    WebhooksModule,
  ],
  providers: [RunsResolver, SandboxesResolver, ExercisesResolver, WebhooksResolver],
})
export class NetplayGraphqlModule {}
