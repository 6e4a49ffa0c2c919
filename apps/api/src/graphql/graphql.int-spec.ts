// GraphQL against the real PostgreSQL and Redis: sandboxes and runs through the same services as
// REST, the run status subscription over graphql-ws, error codes, tenant isolation and the cost limit.
import { withTimeout } from '@netplay/testing';
import { createClient, type Client } from 'graphql-ws';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { schemaFileText } from './schema-file';
import WebSocket from 'ws';
import { startInProcessWorker, type TestWorker } from '../testing/run-worker';
import { describeWithServices, startTestApi, type TestApi } from '../testing/test-api';

jest.setTimeout(60_000);

const WEBSITE = readFileSync(
  path.resolve(__dirname, '../../../../examples/manifests/website.yaml'),
  'utf8',
);
const WGET = {
  name: 'wget -qO - http://website.default/',
  probe: { from: 'default/client', to: 'http://website.default/' },
};
const WAIT_MS = 20_000;

type Tenant = Awaited<ReturnType<TestApi['newTenant']>>;
interface GraphqlError {
  message: string;
  extensions: { code: string; details?: unknown };
}
interface GraphqlAnswer<Data> {
  status: number;
  data?: Data;
  errors?: GraphqlError[];
}

describeWithServices('the GraphQL API', () => {
  let api: TestApi;
  let worker: TestWorker;
  let wsUrl: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    api = await startTestApi({ runWaitMaxMs: 15_000 });
    worker = startInProcessWorker(api.api.infra);
    // graphql-ws upgrades connections of a listening server.
    await api.api.app.listen(0, '127.0.0.1');
    wsUrl = `ws://127.0.0.1:${(api.api.app.getHttpServer().address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await worker?.close();
    await api?.close();
  });

  async function graphql<Data>(
    tenant: Tenant | undefined,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphqlAnswer<Data>> {
    const call = request(api.http).post('/graphql').send({ query, variables });
    const response = await (tenant ? call.set(tenant.auth) : call);
    return { status: response.status, data: response.body.data, errors: response.body.errors };
  }

  async function newSandbox(tenant: Tenant): Promise<string> {
    const answer = await graphql<{ createSandbox: { sandbox: { id: string; version: number } } }>(
      tenant,
      'mutation($input: CreateSandboxInput!) { createSandbox(input: $input) { sandbox { id version } warnings { code message } } }',
      { input: { name: 'website', manifests: WEBSITE } },
    );
    expect(answer.errors).toBeUndefined();
    return answer.data?.createSandbox.sandbox.id ?? '';
  }

  async function submit(
    tenant: Tenant,
    sandboxId: string,
    steps: unknown[] = [WGET],
    idempotencyKey?: string,
  ) {
    return graphql<{ submitRun: { id: string; status: string; sandboxVersion: number } }>(
      tenant,
      'mutation($sandboxId: ID!, $steps: [StepInput!]!, $key: String) { submitRun(sandboxId: $sandboxId, steps: $steps, idempotencyKey: $key) { id status sandboxVersion } }',
      { sandboxId, steps, key: idempotencyKey },
    );
  }

  function subscribe(
    tenant: Tenant,
    runId: string,
  ): { statuses: string[]; done: Promise<string[]> } {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: tenant.auth.Authorization },
      retryAttempts: 0,
    });
    clients.push(client);
    const statuses: string[] = [];
    const done = new Promise<string[]>((resolve, reject) => {
      client.subscribe<{ runStatusChanged: { status: string } }>(
        {
          query:
            'subscription($runId: ID!) { runStatusChanged(runId: $runId) { runId status at } }',
          variables: { runId },
        },
        {
          next: (message) => {
            if (message.errors) reject(new Error(JSON.stringify(message.errors)));
            if (message.data) statuses.push(message.data.runStatusChanged.status);
          },
          error: (error) =>
            reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
          complete: () => resolve(statuses),
        },
      );
    });
    return { statuses, done };
  }

  /** Resolves once `condition` holds, re-checking on every message; bounded by a timeout. */
  async function until(condition: () => boolean, what: string): Promise<void> {
    await withTimeout(
      new Promise<void>((resolve) => {
        const check = () => (condition() ? resolve() : setImmediate(check));
        check();
      }),
      WAIT_MS,
      what,
    );
  }

  it('creates a sandbox, submits a run and reads its traces, as REST does', async () => {
    const tenant = await api.newTenant();
    const sandboxId = await newSandbox(tenant);
    const submitted = await submit(tenant, sandboxId);
    expect(submitted.data?.submitRun).toMatchObject({ status: 'queued', sandboxVersion: 1 });
    const runId = submitted.data?.submitRun.id ?? '';
    await withTimeout(subscribe(tenant, runId).done, WAIT_MS, 'the run to finish');

    const read = await graphql<{
      run: {
        status: string;
        steps: { name: string | null; probe: { from: string; to: string } | null }[];
        results: {
          index: number;
          kind: string;
          result: {
            __typename: string;
            verdict: string;
            dropReason: string | null;
            request: { from: string; to: string; protocol: string };
            hops: { seq: number; component: string; node: string | null }[];
          };
        }[];
        text: string;
        dot: string;
      };
    }>(
      tenant,
      `
        query ($id: ID!) {
          run(id: $id) {
            status
            steps {
              name
              probe {
                from
                to
              }
            }
            results {
              index
              name
              kind
              result {
                __typename
                ... on ProbeTrace {
                  verdict
                  dropReason
                  request {
                    from
                    to
                    protocol
                  }
                  hops {
                    seq
                    component
                    node
                  }
                }
              }
            }
            text
            dot
          }
        }
      `,
      { id: runId },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data?.run.status).toBe('succeeded');
    expect(read.data?.run.results).toEqual([
      expect.objectContaining({
        index: 0,
        kind: 'probe',
        result: expect.objectContaining({ verdict: 'delivered' }),
      }),
    ]);
    expect(read.data?.run.text).toContain('probe default/client → http://website.default/');
    expect(read.data?.run.dot).toContain('subgraph "cluster_s1"');

    expect(read.data?.run.results[0].result.__typename).toBe('ProbeTrace');
    expect(read.data?.run.steps).toEqual([
      expect.objectContaining({ probe: { from: 'default/client', to: 'http://website.default/' } }),
    ]);

    // The typed fields carry what REST's JSON carries.
    const rest = await request(api.http).get(`/v1/runs/${runId}`).set(tenant.auth).expect(200);
    const restTrace = rest.body.result.steps[0].result;
    expect(read.data?.run.results[0].result).toEqual({
      __typename: 'ProbeTrace',
      verdict: restTrace.verdict,
      dropReason: restTrace.dropReason,
      request: restTrace.request,
      hops: restTrace.hops.map(
        ({ seq, component, node }: { seq: number; component: string; node: string | null }) => ({
          seq,
          component,
          node,
        }),
      ),
    });
  });

  it('serves the schema committed as apps/api/schema.graphql', () => {
    const served = schemaFileText(api.api.app.get(GraphQLSchemaHost).schema);
    expect(served).toBe(readFileSync(path.join(__dirname, '../../schema.graphql'), 'utf8'));
  });

  it("refetches objects by id with node(id): the caller's own, null for another tenant's or a bad id", async () => {
    const owner = await api.newTenant();
    const stranger = await api.newTenant();
    const sandboxId = await newSandbox(owner);
    const runId = (await submit(owner, sandboxId)).data?.submitRun.id ?? '';
    const query = `query($id: ID!) { node(id: $id) { __typename id
      ... on Sandbox { name version } ... on Run { sandboxId } } }`;
    const sandbox = await graphql<{ node: unknown }>(owner, query, { id: sandboxId });
    expect(sandbox.errors).toBeUndefined();
    expect(sandbox.data?.node).toEqual({
      __typename: 'Sandbox',
      id: sandboxId,
      name: 'website',
      version: 1,
    });
    const run = await graphql<{ node: unknown }>(owner, query, { id: runId });
    expect(run.data?.node).toEqual({ __typename: 'Run', id: runId, sandboxId });
    for (const [caller, id] of [
      [stranger, sandboxId],
      [stranger, runId],
      [owner, 'not-an-id'],
      [owner, '0190f3c2-7b1a-7c3e-9d4f-2a6b8c0d1e2f'],
    ] as const) {
      const answer = await graphql<{ node: unknown }>(caller, query, { id });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.node).toBeNull();
    }
  });

  it('the subscription sees queued, running and succeeded in order', async () => {
    const tenant = await api.newTenant();
    const sandboxId = await newSandbox(tenant);
    const resume = worker.pause();
    try {
      const runId = (await submit(tenant, sandboxId)).data?.submitRun.id ?? '';
      const subscription = subscribe(tenant, runId);
      await until(() => subscription.statuses.length > 0, 'the current status');
      resume();
      expect(await withTimeout(subscription.done, WAIT_MS, 'the run to finish')).toEqual([
        'queued',
        'running',
        'succeeded',
      ]);
    } finally {
      resume();
    }
  });

  it('lists sandboxes and runs as connections with cursors', async () => {
    const tenant = await api.newTenant();
    const sandboxId = await newSandbox(tenant);
    const ids = [
      (await submit(tenant, sandboxId)).data?.submitRun.id,
      (await submit(tenant, sandboxId)).data?.submitRun.id,
    ];
    type Page = {
      runs: {
        edges: { cursor: string; node: { id: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    const query =
      'query($sandboxId: ID, $after: String) { runs(sandboxId: $sandboxId, first: 1, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }';
    const first = await graphql<Page>(tenant, query, { sandboxId });
    const second = await graphql<Page>(tenant, query, {
      sandboxId,
      after: first.data?.runs.pageInfo.endCursor,
    });
    expect(first.data?.runs.pageInfo.hasNextPage).toBe(true);
    expect(second.data?.runs.pageInfo.hasNextPage).toBe(false);
    expect([first.data?.runs.edges[0].node.id, second.data?.runs.edges[0].node.id]).toEqual(
      [...ids].reverse(),
    );

    const sandboxes = await graphql<{
      sandboxes: {
        edges: {
          node: {
            id: string;
            manifests: string;
            revisions: { edges: { node: { version: number; manifests: string } }[] };
          };
        }[];
      };
    }>(
      tenant,
      '{ sandboxes(first: 2, name: "web") { edges { node { id manifests revisions(first: 2) { edges { node { version manifests } } } } } } }',
    );
    expect(sandboxes.data?.sandboxes.edges).toEqual([
      {
        node: {
          id: sandboxId,
          manifests: WEBSITE,
          revisions: { edges: [{ node: { version: 1, manifests: WEBSITE } }] },
        },
      },
    ]);
    const view = await graphql<{ sandboxView: { text: string } }>(
      tenant,
      'query($id: ID!) { sandboxView(id: $id, kind: "services") { text } }',
      { id: sandboxId },
    );
    expect(view.data?.sandboxView.text).toContain('website');
  });

  it('updates and deletes a sandbox through mutations, with REST error codes', async () => {
    const tenant = await api.newTenant();
    const sandboxId = await newSandbox(tenant);
    const update =
      'mutation($id: ID!, $version: Int!) { updateSandbox(id: $id, input: { version: $version, description: "v2" }) { sandbox { version description } } }';
    const updated = await graphql<{ updateSandbox: { sandbox: { version: number } } }>(
      tenant,
      update,
      { id: sandboxId, version: 1 },
    );
    expect(updated.data?.updateSandbox.sandbox).toEqual({ version: 2, description: 'v2' });
    const stale = await graphql(tenant, update, { id: sandboxId, version: 1 });
    expect(stale.errors?.[0].extensions.code).toBe('VERSION_CONFLICT');
    const deleted = await graphql<{ deleteSandbox: boolean }>(
      tenant,
      'mutation($id: ID!) { deleteSandbox(id: $id) }',
      { id: sandboxId },
    );
    expect(deleted.data?.deleteSandbox).toBe(true);
    expect(
      (await graphql(tenant, 'query($id: ID!) { sandbox(id: $id) { id } }', { id: sandboxId }))
        .errors?.[0].extensions.code,
    ).toBe('NOT_FOUND');
  });

  it('a step missing a typed field is BAD_USER_INPUT naming it; two actions in one step are INVALID_SCENARIO', async () => {
    const tenant = await api.newTenant();
    const sandboxId = await newSandbox(tenant);
    const untyped = await submit(tenant, sandboxId, [{ probe: { from: 'default/client' } }]);
    expect(untyped.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(untyped.errors?.[0].message).toMatch(/"to"/);
    const answer = await submit(tenant, sandboxId, [
      { probe: { from: 'default/client', to: 'http://website/' }, cordon: 'node-1' },
    ]);
    expect(answer.errors?.[0].extensions.code).toBe('INVALID_SCENARIO');
    expect(answer.errors?.[0].extensions.details).toEqual([
      expect.objectContaining({ field: 'steps[0]' }),
    ]);
  });

  it("a tenant gets NOT_FOUND for another tenant's runs and sandboxes, and no key is UNAUTHENTICATED", async () => {
    const owner = await api.newTenant();
    const stranger = await api.newTenant();
    const sandboxId = await newSandbox(owner);
    const runId = (await submit(owner, sandboxId)).data?.submitRun.id ?? '';
    const probes: [string, Record<string, unknown>][] = [
      ['query($id: ID!) { run(id: $id) { id } }', { id: runId }],
      ['query($id: ID!) { sandbox(id: $id) { id } }', { id: sandboxId }],
      [
        'mutation($id: ID!) { submitRun(sandboxId: $id, steps: [{cordon: "node-1"}]) { id } }',
        { id: sandboxId },
      ],
      ['mutation($id: ID!) { deleteSandbox(id: $id) }', { id: sandboxId }],
    ];
    for (const [query, variables] of probes) {
      const answer = await graphql(stranger, query, variables);
      expect(answer.errors?.map((error) => error.extensions.code)).toEqual(['NOT_FOUND']);
    }
    const listed = await graphql<{ runs: { edges: unknown[] } }>(
      stranger,
      'query($id: ID) { runs(sandboxId: $id) { edges { cursor } } }',
      { id: sandboxId },
    );
    expect(listed.data?.runs.edges).toEqual([]);
    const subscription = subscribe(stranger, runId);
    await expect(withTimeout(subscription.done, WAIT_MS, 'the refusal')).rejects.toThrow(
      /NOT_FOUND/,
    );
    expect(
      (await graphql(undefined, '{ sandboxes { edges { cursor } } }')).errors?.[0].extensions.code,
    ).toBe('UNAUTHENTICATED');
  });

  it.each([
    [
      'a page of 100 runs with their traces',
      '{ runs(first: 100) { edges { node { id results { result { __typename } } text dot } } } }',
    ],
    [
      'many aliases of one expensive field',
      `{ ${Array.from({ length: 120 }, (_, i) => `a${i}: sandboxes(first: 1) { edges { node { revisions { edges { node { version } } } } } }`).join(' ')} }`,
    ],
  ])('refuses %s with QUERY_TOO_COMPLEX before running it', async (_, query) => {
    const tenant = await api.newTenant();
    const answer = await graphql(tenant, query);
    expect(answer.status).toBe(400);
    expect(answer.errors?.map((error) => error.extensions.code)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('answers introspection outside production', async () => {
    const tenant = await api.newTenant();
    const answer = await graphql<{ __schema: { queryType: { name: string } } }>(
      tenant,
      '{ __schema { queryType { name } } }',
    );
    expect(answer.data?.__schema.queryType.name).toBe('Query');
  });
});
