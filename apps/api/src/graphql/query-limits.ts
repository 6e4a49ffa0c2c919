// Limits on what one GraphQL operation may ask for (OWASP GraphQL cheat sheet: depth and cost
// limiting; aliases multiply cost, so `a1: run(id:…) a2: run(id:…) …` is counted field by field).
// Both are checked after parsing and before any resolver runs; a refusal is a 400 with
// `extensions.code: QUERY_TOO_COMPLEX`.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  Kind,
  GraphQLError,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

export const MAX_QUERY_DEPTH = 8;
/** Every field costs 1 unless it declares more; list fields multiply their children by `first`. */
export const MAX_QUERY_COST = 1_000;
export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
}

/** The deepest field nesting of the chosen operation, following fragment spreads (cycles count once). */
export function queryDepth(document: DocumentNode, operationName?: string | null): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
    if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
  }
  const chosen = operationName
    ? operations.filter((operation) => operation.name?.value === operationName)
    : operations;
  const depthOf = (
    selectionSet: SelectionSetNode | undefined,
    visiting: ReadonlySet<string>,
  ): number => {
    if (!selectionSet) return 0;
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        // Introspection's own fields (`__typename`, `__schema`) are bounded by the schema.
        if (selection.name.value.startsWith('__')) continue;
        deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, visiting));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(selection.selectionSet, visiting));
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || visiting.has(name)) continue;
        deepest = Math.max(deepest, depthOf(fragment.selectionSet, new Set([...visiting, name])));
      }
    }
    return deepest;
  };
  return Math.max(0, ...chosen.map((operation) => depthOf(operation.selectionSet, new Set())));
}

export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string | null,
): number {
  return getComplexity({
    schema,
    query: document,
    variables,
    ...(operationName ? { operationName } : {}),
    estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
  });
}

/** The refusal for an operation over a limit, or undefined when it is within both. */
export function checkQueryLimits(
  limits: QueryLimits,
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string | null,
): GraphQLError | undefined {
  const depth = queryDepth(document, operationName);
  if (depth > limits.maxDepth)
    return tooComplex(`the query is nested ${depth} levels deep; the limit is ${limits.maxDepth}`, {
      depth,
      maxDepth: limits.maxDepth,
    });
  const cost = queryCost(schema, document, variables, operationName);
  if (cost > limits.maxCost)
    return tooComplex(
      `the query costs ${cost}; the limit is ${limits.maxCost} (ask for fewer items with \`first\`, or fewer fields)`,
      { cost, maxCost: limits.maxCost },
    );
  return undefined;
}

/** Apollo plugin running the checks once the operation is parsed and validated, before execution. */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          const refusal = checkQueryLimits(
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

export function tooComplex(message: string, details: Record<string, number>): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: QUERY_TOO_COMPLEX, details, http: { status: 400 } },
  });
}
