// Manifests and scenarios whose *expansion* is huge are refused with 422 naming the field and the
// limit, within a time bound, while the API keeps answering others: the engine runs in its pool
// of threads, never on the thread that answers /healthz.
import request from 'supertest';
import { describeWithServices, startTestApi, type TestApi } from './testing/test-api';

jest.setTimeout(120_000);

const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: nginx}]}
`;

function nodesTimesDaemonSets(nodes: number, daemonSets: number): string {
  const nodeLines = Array.from(
    { length: nodes },
    (_, i) => `  - {name: n${i}, ip: 172.18.${1 + (i >> 7)}.${(i & 127) + 1}, role: worker}`,
  );
  const docs = [
    `apiVersion: netplay.dev/v1alpha1\nkind: Cluster\nspec:\n  nodes:\n  - {name: cp, ip: 172.18.0.2, role: control-plane}\n${nodeLines.join('\n')}\n`,
  ];
  for (let i = 0; i < daemonSets; i++)
    docs.push(
      `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d${i}}\nspec:\n  selector: {matchLabels: {app: d${i}}}\n  template:\n    metadata: {labels: {app: d${i}}}\n    spec: {containers: [{name: c, image: agent}]}\n`,
    );
  return docs.join('---\n');
}

function flatMapping(keys: number): string {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: big}', 'data:'];
  for (let i = 0; i < keys; i++) lines.push(`  key${i}: v`);
  return `${lines.join('\n')}\n`;
}

/** Polls /healthz every 50 ms while `work` runs; answers the work's result and the slowest poll. */
async function whileHealthPolled<T>(
  api: TestApi,
  work: () => Promise<T>,
): Promise<{ value: T; slowestHealthMs: number; polls: number }> {
  let running = true;
  let slowest = 0;
  let polls = 0;
  const poller = (async () => {
    while (running) {
      const started = Date.now();
      await request(api.http).get('/healthz').expect(200);
      slowest = Math.max(slowest, Date.now() - started);
      polls++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    return { value: await work(), slowestHealthMs: slowest, polls };
  } finally {
    running = false;
    await poller;
  }
}

describeWithServices('engine limits over the API', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it.each([
    [
      'a billion replicas',
      () => deployment('web', 1_000_000_000),
      /spec\.replicas: 1000000000 is more than the limit of 1000 replicas per workload/,
    ],
    [
      '150,000 replicas',
      () => deployment('web', 150_000),
      /spec\.replicas: 150000 is more than the limit of 1000/,
    ],
    [
      '500 nodes × 500 DaemonSets',
      () => nodesTimesDaemonSets(499, 500),
      /would create 250000 pods .*the limit is 10000/,
    ],
  ])(
    'answers %s with 422 engine-limit-exceeded within a time bound, /healthz answering meanwhile',
    async (_, manifests, message) => {
      const { auth } = await api.newTenant();
      const started = Date.now();
      const {
        value: response,
        slowestHealthMs,
        polls,
      } = await whileHealthPolled(api, () =>
        request(api.http)
          .post('/v1/sandboxes')
          .set(auth)
          .send({ name: 'big', manifests: manifests() }),
      );
      expect(response.status).toBe(422);
      expect(response.body.error.code).toBe('engine-limit-exceeded');
      expect(response.body.error.message).toMatch(message);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(polls).toBeGreaterThan(0);
      expect(slowestHealthMs).toBeLessThan(1_000);
    },
  );

  it('validates a flat mapping of 10,000 keys (the most one mapping holds) without holding the API', async () => {
    const { auth } = await api.newTenant();
    const { value: response, slowestHealthMs } = await whileHealthPolled(api, () =>
      request(api.http)
        .post('/v1/sandboxes')
        .set(auth)
        .send({ name: 'flat', manifests: flatMapping(10_000) }),
    );
    expect(response.status).toBe(201);
    expect(slowestHealthMs).toBeLessThan(1_000);
  });

  it('answers a run whose scale step asks for a billion replicas with 422 naming the step', async () => {
    const { auth } = await api.newTenant();
    const sandbox = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .send({ name: 'web', manifests: deployment('web', 2) })
      .expect(201);
    const refused = await request(api.http)
      .post(`/v1/sandboxes/${sandbox.body.id}/runs`)
      .set(auth)
      .send({ steps: [{ scale: { deployment: 'web', replicas: 1_000_000_000 } }] })
      .expect(422);
    expect(refused.body.error.code).toBe('engine-limit-exceeded');
    expect(refused.body.error.details).toEqual([
      {
        field: 'steps[0].scale.replicas',
        code: 'LIMIT_EXCEEDED',
        message: '1000000000 is more than the limit of 1000 replicas per workload',
      },
    ]);
  });
});
