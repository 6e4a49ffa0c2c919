import { graphqlOptions } from './graphql.module';

const authentication = { authenticate: async () => ({ tenantId: 't', apiKeyId: 'k' }) };

describe('graphqlOptions', () => {
  it('keeps batching, stack traces and the GraphiQL page off', () => {
    expect(graphqlOptions(authentication)).toMatchObject({
      allowBatchedHttpRequests: false,
      includeStacktraceInErrorResponses: false,
      graphiql: false,
    });
  });

  it('stops parsing at the token limit', () => {
    expect(graphqlOptions(authentication).parseOptions).toEqual({ maxTokens: 2_000 });
  });
});
