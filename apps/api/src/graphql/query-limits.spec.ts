import { buildSchema, parse, specifiedRules, validate, type GraphQLError } from 'graphql';
import { checkQueryCost, checkQuerySize, queryShapeRules, QUERY_LIMITS } from './query-limits';
import { MUTATION_FIELD_COST, queryCost } from './query-cost';

// A schema with a cycle (Node.children: [Node]), where only a depth limit bounds a query.
const schema = buildSchema(`
  type Node { id: ID! name: String children(first: Int): [Node!]! tags: [Tag!]! }
  type Tag { name: String }
  type Query { node(id: ID!): Node roots(limit: Int): [Node!]! }
  type Mutation { touch(id: ID!): Node }
`);
const limits = { ...QUERY_LIMITS, maxDepth: 8, maxCost: 100, maxAliases: 5, maxDirectives: 3 };

/** `levels` levels of fields below the root field. */
function chain(levels: number): string {
  let selection = 'id';
  for (let i = 1; i < levels; i += 1) selection = `children(first: 1) { ${selection} }`;
  return selection;
}

/** A query `levels` + 1 levels deep (the root field, then the chain). */
function nested(levels: number): string {
  return `{ node(id: "1") { ${chain(levels)} } }`;
}

/** What validation (graphql-js's rules and the shape limits) reports. */
function shapeErrors(query: string): readonly GraphQLError[] {
  return validate(schema, parse(query), [...specifiedRules, ...queryShapeRules(limits)]);
}

/** Fragments each spreading the next twice (inside `wrap`): 2^n paths through ~1.5 KB of query. */
function fragmentFanOut(fragments: number, wrap: (spreads: string) => string): string {
  let query = 'query FanOut { node(id: "1") { ...F0 } }\n';
  for (let i = 0; i < fragments; i += 1)
    query += `fragment F${i} on Node { ${wrap(`...F${i + 1} ...F${i + 1}`)} }\n`;
  return `${query}fragment F${fragments} on Node { id name }\n`;
}

describe('shape limits (validation)', () => {
  it.each<[string, string, string | undefined]>([
    ['a query within every limit', nested(7), undefined],
    ['a query one level too deep', nested(8), 'depth limit of 8 exceeded, found 9'],
    [
      'levels inside fragments, which are followed',
      `{ node(id: "1") { ...deep } } fragment deep on Node { ${chain(8)} }`,
      'depth limit of 8 exceeded, found 9',
    ],
    [
      'too many aliases',
      `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: node(id: "${i}") { id }`).join(' ')} }`,
      'Aliases limit of 5 exceeded, found 6',
    ],
    [
      'too many directives',
      '{ node(id: "1") { id @skip(if: false) name @skip(if: false) a: id @include(if: true) b: id @skip(if: false) } }',
      'Directives limit of 3 exceeded, found 4',
    ],
  ])('answers %s', (_, query, refusal) => {
    const errors = shapeErrors(query);
    if (refusal === undefined) {
      expect(errors).toEqual([]);
    } else {
      expect(errors.map((error) => error.message).join('\n')).toContain(refusal);
      expect(errors[0]?.extensions).toMatchObject({
        code: 'QUERY_TOO_COMPLEX',
        apiCode: 'query-too-complex',
      });
    }
  });

  it('measures fragments spread many times once each (fan-out refused in linear time)', () => {
    // The shape that took over 90 s to measure when every fragment path was walked again.
    const deep = fragmentFanOut(25, (spreads) => `children(first: 1) { ${spreads} }`);
    const wide = fragmentFanOut(25, (spreads) => `a: id ${spreads}`);
    for (const query of [deep, wide]) {
      const started = Date.now();
      const errors = shapeErrors(query);
      const cost = checkQueryCost(limits, schema, parse(query), undefined);
      expect(errors.length + (cost ? 1 : 0)).toBeGreaterThan(0);
      // Generous: measured in milliseconds; the old walk took more than 90 s.
      expect(Date.now() - started).toBeLessThan(2_000);
    }
    expect(wide.length).toBeLessThan(1_600);
  });
});

describe('queryCost', () => {
  it.each<[string, string, Record<string, unknown> | undefined, number]>([
    ['one field per field', '{ node(id: "1") { id name } }', undefined, 3],
    ['a list once per requested item', '{ roots(limit: 10) { id name } }', undefined, 21],
    [
      'a list of the size a variable asks',
      'query($n: Int) { roots(limit: $n) { id } }',
      { n: 50 },
      51,
    ],
    ['a list without a size as 20 items', '{ roots { id } }', undefined, 21],
    ['a list without a page size once', '{ node(id: "1") { tags { name } } }', undefined, 3],
    ['aliases one by one', '{ a: node(id: "1") { id } b: node(id: "2") { id } }', undefined, 4],
    [
      'a mutation with its weight',
      'mutation { touch(id: "1") { id } }',
      undefined,
      2 + MUTATION_FIELD_COST,
    ],
    [
      'a mutation spread from a fragment like one written out',
      'mutation { ...M } fragment M on Mutation { a: touch(id: "1") { id } b: touch(id: "2") { id } }',
      undefined,
      2 * (2 + MUTATION_FIELD_COST),
    ],
    ['introspection as nothing', '{ __typename node(id: "1") { __typename id } }', undefined, 2],
  ])('counts %s', (_, query, variables, cost) => {
    expect(queryCost(schema, parse(query), variables)).toBe(cost);
  });

  it('refuses 300 aliased mutations before any runs', () => {
    const query = `mutation { ${Array.from({ length: 300 }, (_, i) => `m${i}: touch(id: "${i}") { id }`).join(' ')} }`;
    const refusal = checkQueryCost(QUERY_LIMITS, schema, parse(query), undefined);
    expect(refusal?.message).toContain(`costs ${300 * (2 + MUTATION_FIELD_COST)}`);
  });

  it('measures only the named operation', () => {
    const document = parse(
      `query Flat { roots(limit: 1) { id } } query Wide { roots(limit: 90) { id } }`,
    );
    expect(queryCost(schema, document, undefined, 'Flat')).toBe(2);
    expect(queryCost(schema, document, undefined, 'Wide')).toBe(91);
  });
});

describe('checkQuerySize', () => {
  it('refuses query text over the limit before it is parsed', () => {
    expect(checkQuerySize({ maxQueryChars: 10 }, '{ a }')).toBeUndefined();
    expect(checkQuerySize({ maxQueryChars: 10 }, '{ a b c d e f }')?.message).toContain(
      'the limit is 10',
    );
  });
});
