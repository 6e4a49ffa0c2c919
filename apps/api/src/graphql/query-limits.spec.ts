import { buildSchema, parse } from 'graphql';
import { checkQueryLimits, queryDepth } from './query-limits';

// A schema with a cycle (Node.children: [Node]), where only a depth limit bounds a query.
const schema = buildSchema(`
  type Node { id: ID! children(first: Int): [Node!]! }
  type Query { node(id: ID!): Node roots: [Node!]! }
`);

function nested(levels: number): string {
  let selection = 'id';
  for (let i = 1; i < levels; i += 1) selection = `children { ${selection} }`;
  return `{ node(id: "1") { ${selection} } }`;
}

describe('queryDepth', () => {
  it.each<[string, string, number]>([
    ['a flat query', '{ roots { id } }', 2],
    ['nested fields', nested(5), 6],
    [
      'fields inside fragments',
      'query { node(id: "1") { ...deep } } fragment deep on Node { children { children { id } } }',
      4,
    ],
    [
      'inline fragments, which add no level',
      '{ node(id: "1") { ... on Node { children { id } } } }',
      3,
    ],
    ['introspection meta fields, which are not counted', '{ __typename roots { __typename } }', 1],
  ])('counts %s', (_, query, depth) => {
    expect(queryDepth(parse(query))).toBe(depth);
  });

  it('measures only the named operation', () => {
    const document = parse(`query Flat { roots { id } } query Deep ${nested(6)}`);
    expect(queryDepth(document, 'Flat')).toBe(2);
    expect(queryDepth(document, 'Deep')).toBe(7);
  });
});

describe('checkQueryLimits', () => {
  const limits = { maxDepth: 8, maxCost: 100 };

  it.each<[string, string, string | undefined]>([
    ['a query within both limits', nested(7), undefined],
    ['a query one level too deep', nested(8), 'nested 9 levels deep'],
    [
      'a query costing too much',
      `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: roots { id }`).join(' ')} }`,
      'costs 120',
    ],
  ])('answers %s', (_, query, refusal) => {
    const error = checkQueryLimits(limits, schema, parse(query), undefined);
    if (refusal === undefined) {
      expect(error).toBeUndefined();
    } else {
      expect(error?.message).toContain(refusal);
      expect(error?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', http: { status: 400 } });
    }
  });
});
