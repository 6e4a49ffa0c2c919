// Plain HTTP abuse of the REST routes: bodies too deep, too large or malformed, pages too large.
import type { HostileCase } from './hostile-case';

const NESTED_10K = `{"name":"deep","manifests":"x","clusterSettings":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;

export const HTTP_CASES: HostileCase[] = [
  {
    family: 'http',
    name: 'a JSON body nested 10,000 levels deep',
    request: () => ({
      method: 'POST',
      path: '/v1/sandboxes',
      contentType: 'application/json',
      body: NESTED_10K,
    }),
    expect: { status: 400, code: 'bad-request' },
    withinMs: 1_000,
  },
  {
    family: 'http',
    name: 'GraphQL variables nested 10,000 levels deep',
    request: () => ({
      method: 'POST',
      path: '/graphql',
      contentType: 'application/json',
      body: `{"query":"{ sandboxes { edges { cursor } } }","variables":{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`,
    }),
    expect: { status: 400, code: 'BAD_USER_INPUT' },
    withinMs: 1_000,
  },
  {
    family: 'http',
    name: 'a page of 100,000 sandboxes (limit=100000)',
    request: () => ({ method: 'GET', path: '/v1/sandboxes?limit=100000' }),
    expect: { status: 400, code: 'validation-failed' },
    withinMs: 1_000,
  },
  {
    family: 'http',
    name: 'a page of 100,000 revisions (limit=100000)',
    request: ({ sandboxId }) => ({
      method: 'GET',
      path: `/v1/sandboxes/${sandboxId}/revisions?limit=100000`,
    }),
    expect: { status: 400, code: 'validation-failed' },
    withinMs: 1_000,
  },
  {
    family: 'http',
    name: 'a page of 100,000 runs (limit=100000)',
    request: () => ({ method: 'GET', path: '/v1/runs?limit=100000' }),
    expect: { status: 400, code: 'validation-failed' },
    withinMs: 1_000,
  },
  {
    family: 'http',
    name: 'a 3 MiB JSON body',
    request: () => ({
      method: 'POST',
      path: '/v1/sandboxes',
      contentType: 'application/json',
      body: JSON.stringify({ name: 'big', manifests: 'x'.repeat(3 * 1024 * 1024) }),
    }),
    expect: { status: 413, code: 'payload-too-large' },
    withinMs: 2_000,
  },
  {
    family: 'http',
    name: 'a 3 MiB raw YAML body',
    request: () => ({
      method: 'POST',
      path: '/v1/sandboxes?name=big',
      contentType: 'application/yaml',
      body: `# ${'x'.repeat(3 * 1024 * 1024)}\n`,
    }),
    expect: { status: 413, code: 'payload-too-large' },
    withinMs: 2_000,
  },
  {
    family: 'http',
    name: 'a 3 MiB body without a key',
    request: () => ({
      method: 'POST',
      path: '/v1/sandboxes',
      authorization: null,
      contentType: 'application/json',
      body: JSON.stringify({ name: 'big', manifests: 'x'.repeat(3 * 1024 * 1024) }),
    }),
    expect: { status: 413, code: 'payload-too-large' },
    withinMs: 2_000,
  },
  {
    family: 'http',
    name: 'malformed JSON',
    request: () => ({
      method: 'POST',
      path: '/v1/sandboxes',
      contentType: 'application/json',
      body: '{"name": "x", "manifests": ',
    }),
    expect: { status: 400, code: 'bad-request' },
    withinMs: 1_000,
  },
  {
    family: 'http',
    name: 'a run of 10,000 steps',
    request: ({ sandboxId }) => ({
      method: 'POST',
      path: `/v1/sandboxes/${sandboxId}/runs`,
      contentType: 'application/json',
      body: JSON.stringify({
        steps: Array.from({ length: 10_000 }, () => ({ get: { kind: 'pods' } })),
      }),
    }),
    expect: { status: 422, code: 'invalid-scenario' },
    withinMs: 2_000,
  },
];
