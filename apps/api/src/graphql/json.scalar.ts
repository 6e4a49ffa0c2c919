// `JSON`: any JSON value. Traces pass through as the engine's schema'd JSON, so engine features
// that add trace fields need no API change.
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';

export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value (traces are the engine’s JSON, documented in docs/engine.md)',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node, variables) => literalValue(node, variables ?? undefined),
});

function literalValue(node: ValueNode, variables: Record<string, unknown> | undefined): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((value) => literalValue(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(
        node.fields.map((field) => [field.name.value, literalValue(field.value, variables)]),
      );
    case Kind.VARIABLE:
      return variables?.[node.name.value];
    case Kind.ENUM:
      return node.value;
  }
}
