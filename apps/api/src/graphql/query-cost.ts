// The cost of one GraphQL operation, computed in one pass over the document: each fragment's cost
// is computed once and reused at every spread, so a chain of fragments that spread the next one
// twice costs linear time to measure (and an exponential number to pay, which the limit refuses).
import {
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';

/** What a mutation field costs on top of its selection: mutations write and start work. */
export const MUTATION_FIELD_COST = 100;
/** Items a list field is assumed to return when it has no `first`/`limit` argument. */
export const DEFAULT_LIST_SIZE = 20;

/** The shape of a field's `complexity` extension (set through `@Field({complexity})` in Nest). */
export type FieldComplexity =
  number | ((input: { args: Record<string, unknown>; childComplexity: number }) => number);

export function operationOf(
  document: DocumentNode,
  operationName?: string | null,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName) return operations.find((operation) => operation.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

/**
 * Every field costs 1 plus its selection, or its `complexity` extension; a list field taking a
 * `first` or `limit` argument pays its selection once per requested item (20 when not given); a mutation field adds
 * MUTATION_FIELD_COST. Aliases count one by one. Introspection (`__schema`, `__type`,
 * `__typename`) is bounded by the schema and costs nothing.
 */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string | null,
): number {
  const operation = operationOf(document, operationName);
  const rootType = operation && schema.getRootType(operation.operation);
  if (!operation || !rootType) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  const fragmentCosts = new Map<string, number>();
  const inProgress = new Set<string>();

  const fragmentCost = (name: string): number => {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    // A cycle is refused by validation (NoFragmentCyclesRule); here it just stops.
    if (!fragment || inProgress.has(name)) return 0;
    inProgress.add(name);
    const cost = selectionSetCost(
      fragment.selectionSet,
      schema.getType(fragment.typeCondition.name.value),
    );
    inProgress.delete(name);
    fragmentCosts.set(name, cost);
    return cost;
  };

  const mutationType = schema.getMutationType();
  const fieldCost = (node: FieldNode, parent: GraphQLNamedType | undefined): number => {
    if (node.name.value.startsWith('__')) return 0;
    const field = fieldOf(parent, node.name.value);
    if (!field) return 0;
    const childComplexity = node.selectionSet
      ? selectionSetCost(node.selectionSet, getNamedType(field.type))
      : 0;
    const args = argumentsOf(field, node, variables);
    const complexity = field.extensions?.complexity as FieldComplexity | undefined;
    let cost: number;
    if (typeof complexity === 'function') cost = complexity({ args, childComplexity });
    else if (typeof complexity === 'number') cost = complexity + childComplexity;
    else if (isPagedList(field)) cost = 1 + listSize(args) * childComplexity;
    else cost = 1 + childComplexity;
    // Keyed on the type, not the operation: a fragment on Mutation pays like a field written out.
    return parent === mutationType ? cost + MUTATION_FIELD_COST : cost;
  };

  const selectionSetCost = (
    selectionSet: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
  ): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) total += fieldCost(selection, parent);
      else if (selection.kind === Kind.FRAGMENT_SPREAD) total += fragmentCost(selection.name.value);
      else {
        const type = selection.typeCondition
          ? schema.getType(selection.typeCondition.name.value)
          : parent;
        total += selectionSetCost(selection.selectionSet, type);
      }
    }
    return total;
  };

  return selectionSetCost(operation.selectionSet, rootType);
}

function fieldOf(
  parent: GraphQLNamedType | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) return undefined;
  return parent.getFields()[name];
}

function argumentsOf(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown> | undefined,
): Record<string, unknown> {
  try {
    return getArgumentValues(field, node, variables ?? {});
  } catch {
    // Bad arguments are reported by validation or execution; the cost assumes defaults.
    return {};
  }
}

/** A list that takes a page size; other lists (a connection's `edges`) are bounded by their parent. */
function isPagedList(field: GraphQLField<unknown, unknown>): boolean {
  const type: GraphQLOutputType = isNonNullType(field.type) ? field.type.ofType : field.type;
  return isListType(type) && field.args.some((arg) => arg.name === 'first' || arg.name === 'limit');
}

function listSize(args: Record<string, unknown>): number {
  const size = args.first ?? args.limit;
  return typeof size === 'number' && Number.isFinite(size) && size > 0 ? size : DEFAULT_LIST_SIZE;
}
