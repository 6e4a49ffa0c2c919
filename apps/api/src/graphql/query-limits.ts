// Limits on what one GraphQL operation may ask for (OWASP GraphQL cheat sheet: size, depth, alias,
// directive and cost limiting). All of them hold before the caller is known to be anyone:
// - the query text is measured before it is parsed (`checkQuerySize`, an HTTP middleware), and
//   parsing stops at MAX_TOKENS (graphql-js's own `maxTokens`);
// - depth, aliases and directives are validation rules from graphql-armor, which measure each
//   fragment once (a fragment spread twice in each of 25 fragments is 2^25 paths, one pass here);
// - cost (query-cost.ts) needs the variables (`first: $n`), so it runs once the operation is
//   resolved, before any resolver.
// A refusal is a 400 with `extensions.code: QUERY_TOO_COMPLEX` naming the measure and the limit.
import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { queryCost } from './query-cost';

export interface QueryLimits {
  /** Characters of query text, measured before parsing. */
  maxQueryChars: number;
  /** Lexical tokens; the parser stops at the first one over. */
  maxTokens: number;
  /** Levels of fields, fragments followed (a spread adds no level). */
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxCost: number;
}

export const QUERY_LIMITS: QueryLimits = {
  maxQueryChars: 16 * 1024,
  maxTokens: 2_000,
  maxDepth: 8,
  maxAliases: 30,
  maxDirectives: 20,
  maxCost: 1_000,
};

export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

/** graphql-armor's rules, reporting our error instead of throwing theirs. */
export function queryShapeRules(limits: QueryLimits): ValidationRule[] {
  const refuse = (measure: string, limit: number) => ({
    propagateOnRejection: false,
    exposeLimits: true,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(
          tooComplex(error.message.replace(/^Syntax Error: /, ''), { [measure]: limit }),
        ),
    ],
  });
  return [
    maxDepthRule({
      n: limits.maxDepth,
      flattenFragments: true,
      ...refuse('maxDepth', limits.maxDepth),
    }),
    maxAliasesRule({ n: limits.maxAliases, ...refuse('maxAliases', limits.maxAliases) }),
    maxDirectivesRule({
      n: limits.maxDirectives,
      ...refuse('maxDirectives', limits.maxDirectives),
    }),
  ];
}

/** The refusal for an operation over the cost limit, or undefined when it is within it. */
export function checkQueryCost(
  limits: Pick<QueryLimits, 'maxCost'>,
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string | null,
): GraphQLError | undefined {
  const cost = queryCost(schema, document, variables, operationName);
  if (cost <= limits.maxCost) return undefined;
  return tooComplex(
    `the query costs ${cost}; the limit is ${limits.maxCost} (ask for fewer items with \`first\`, fewer fields, or one mutation at a time)`,
    { cost, maxCost: limits.maxCost },
  );
}

/** Apollo plugin running the cost check once the operation is parsed and validated, before execution. */
export function queryCostPlugin(limits: Pick<QueryLimits, 'maxCost'>): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          const refusal = checkQueryCost(
            limits,
            schema,
            document,
            request.variables,
            operationName,
          );
          if (refusal) throw refusal;
        },
      };
    },
  };
}

/** The refusal for query text over the size limit, measured before anything parses it. */
export function checkQuerySize(
  limits: Pick<QueryLimits, 'maxQueryChars'>,
  query: unknown,
): GraphQLError | undefined {
  if (typeof query !== 'string' || query.length <= limits.maxQueryChars) return undefined;
  return tooComplex(
    `the query is ${query.length} characters long; the limit is ${limits.maxQueryChars} (send large values as variables)`,
    { queryChars: query.length, maxQueryChars: limits.maxQueryChars },
  );
}

export function tooComplex(message: string, details: Record<string, number>): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: QUERY_TOO_COMPLEX,
      apiCode: 'query-too-complex',
      details,
      http: { status: 400 },
    },
  });
}
