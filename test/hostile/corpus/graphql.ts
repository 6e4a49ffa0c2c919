// GraphQL operations whose cost grows faster than their size, or that would run before any key is
// checked. Without a key the answer is 401 before the body is read; with one, the limits of
// apps/api/src/graphql/query-limits.ts refuse them before anything executes.
import { graphqlPost, type HostileCase } from './hostile-case';

/** ~25 fragments each spreading the next twice: 2^25 paths for a naive depth walk, 1.5 KB. */
function fragmentFanOut(): string {
  let query = 'query FanOut { sandboxes { edges { node { ...F0 } } } }\n';
  for (let i = 0; i < 25; i += 1)
    query += `fragment F${i} on Sandbox { id name ...F${i + 1} ...F${i + 1} }\n`;
  return JSON.stringify({ query: `${query}fragment F25 on Sandbox { id }\n` });
}

function aliasedMutations(count: number): string {
  const fields = Array.from({ length: count }, (_, i) => `m${i}: deleteSandbox(id: $id)`);
  return JSON.stringify({
    query: `mutation($id: ID!) { ${fields.join(' ')} }`,
    variables: { id: '00000000-0000-0000-0000-000000000000' },
  });
}

/** A selection `levels` deep below a real field (the schema has no cycle deeper than 5 levels). */
function deepQuery(levels: number): string {
  return JSON.stringify({
    query: `{ sandboxes { edges { node { ${'a{'.repeat(levels)}x${'}'.repeat(levels)} } } } }`,
  });
}

const HUGE_QUERY = () => JSON.stringify({ query: `{ ${'a '.repeat(1024 * 1024)}}` });

export const GRAPHQL_CASES: HostileCase[] = [
  {
    family: 'graphql',
    name: 'fragment fan-out (2^25 paths) without a key',
    request: () => graphqlPost(fragmentFanOut(), null),
    expect: { status: 401, code: 'UNAUTHENTICATED' },
    withinMs: 1_000,
  },
  {
    family: 'graphql',
    name: 'fragment fan-out (2^25 paths) with a key',
    request: () => graphqlPost(fragmentFanOut()),
    expect: { status: 400, code: 'QUERY_TOO_COMPLEX' },
    withinMs: 2_000,
  },
  {
    family: 'graphql',
    name: '300 aliased mutations',
    request: () => graphqlPost(aliasedMutations(300)),
    expect: { status: 400, code: 'QUERY_TOO_COMPLEX' },
    withinMs: 2_000,
  },
  {
    family: 'graphql',
    name: 'a batch of 100 operations',
    request: () =>
      graphqlPost(
        JSON.stringify(
          Array.from({ length: 100 }, () => ({ query: '{ sandboxes { edges { cursor } } }' })),
        ),
      ),
    expect: { status: 400, code: 'BAD_REQUEST' },
    withinMs: 2_000,
  },
  {
    family: 'graphql',
    name: 'a query 200 levels deep',
    request: () => graphqlPost(deepQuery(200)),
    expect: { status: 400, code: 'QUERY_TOO_COMPLEX' },
    withinMs: 2_000,
  },
  {
    family: 'graphql',
    name: 'a query 3,000 levels deep (9 KB, past the token limit)',
    request: () => graphqlPost(deepQuery(3_000)),
    expect: { status: 400, code: 'QUERY_TOO_COMPLEX' },
    withinMs: 2_000,
  },
  {
    family: 'graphql',
    name: 'a 2 MiB query without a key',
    request: () => graphqlPost(HUGE_QUERY(), null),
    expect: { status: 401, code: 'UNAUTHENTICATED' },
    withinMs: 1_000,
  },
  {
    family: 'graphql',
    name: 'a 2 MiB query with a key',
    request: () => graphqlPost(HUGE_QUERY()),
    expect: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
    withinMs: 2_000,
  },
  {
    family: 'graphql',
    name: 'introspection without a key',
    request: () =>
      graphqlPost(
        JSON.stringify({ query: '{ __schema { types { name fields { name } } } }' }),
        null,
      ),
    expect: { status: 401, code: 'UNAUTHENTICATED' },
    withinMs: 1_000,
  },
  {
    family: 'graphql',
    name: 'a forged key with a costly query',
    request: () => graphqlPost(fragmentFanOut(), `Bearer np_${'x'.repeat(43)}`),
    expect: { status: 401, code: 'UNAUTHENTICATED' },
    withinMs: 1_000,
  },
  {
    family: 'graphql',
    name: 'a page of 100,000 sandboxes (its cost counts the page size)',
    request: () =>
      graphqlPost(JSON.stringify({ query: '{ sandboxes(first: 100000) { edges { cursor } } }' })),
    expect: { status: 400, code: 'QUERY_TOO_COMPLEX' },
    withinMs: 2_000,
  },
];
