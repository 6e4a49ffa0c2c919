import { graphqlOptions } from './graphql.module';

describe('graphqlOptions', () => {
  it.each<[string, boolean, string | undefined]>([
    ['development', true, 'development'],
    ['an unset NODE_ENV', true, undefined],
    ['production', false, 'production'],
  ])('with %s, introspection is %s', (_, introspection, nodeEnv) => {
    const options = graphqlOptions({ NODE_ENV: nodeEnv });
    expect(options.introspection).toBe(introspection);
    // Field suggestions would reveal the schema that introspection hides.
    expect(options.hideSchemaDetailsFromClientErrors).toBe(!introspection);
  });

  it('keeps batching, stack traces and the GraphiQL page off', () => {
    expect(graphqlOptions({})).toMatchObject({
      allowBatchedHttpRequests: false,
      includeStacktraceInErrorResponses: false,
      graphiql: false,
    });
  });
});
