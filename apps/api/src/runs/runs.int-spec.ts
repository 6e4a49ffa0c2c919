// Runs over REST against the real PostgreSQL and Redis: submit → 202 + Location, idempotent
// retries, the worker's handler finishing the run, `?wait=true`, the text and DOT renderings,
// validation, listing and tenant isolation.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { startInProcessWorker, type TestWorker } from '../testing/run-worker';
import { describeWithServices, startTestApi, type TestApi } from '../testing/test-api';

jest.setTimeout(60_000);

const WEBSITE = readFileSync(
  path.resolve(__dirname, '../../../../examples/manifests/website.yaml'),
  'utf8',
);
const WGET_STEPS = [
  {
    name: 'wget -qO - http://website.default/',
    probe: { from: 'default/client', to: 'http://website.default/' },
  },
  { name: 'wget -qO - website.foo', probe: { from: 'default/client', to: 'website.foo' } },
];
const POLL_TIMEOUT_MS = 20_000;

type Tenant = Awaited<ReturnType<TestApi['newTenant']>>;

describeWithServices('runs over REST', () => {
  let api: TestApi;
  let worker: TestWorker;

  beforeAll(async () => {
    api = await startTestApi({ runWaitMaxMs: 15_000 });
    worker = startInProcessWorker(api.api.infra);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  async function newSandbox(tenant: Tenant, name = 'website'): Promise<string> {
    const created = await request(api.http)
      .post('/v1/sandboxes')
      .set(tenant.auth)
      .send({ name, manifests: WEBSITE })
      .expect(201);
    return created.body.id as string;
  }

  /** Reads the run with `?wait=true` until it is terminal; every wait is bounded. */
  async function untilTerminal(tenant: Tenant, runId: string): Promise<request.Response> {
    const deadline = Date.now() + POLL_TIMEOUT_MS;
    for (;;) {
      const response = await request(api.http).get(`/v1/runs/${runId}?wait=true`).set(tenant.auth);
      if (response.status !== 202 || Date.now() > deadline) return response;
    }
  }

  it('a submitted run answers 202 with its Location, and finishes with the traces of its steps', async () => {
    const tenant = await api.newTenant();
    const sandboxId = await newSandbox(tenant);
    const submitted = await request(api.http)
      .post(`/v1/sandboxes/${sandboxId}/runs`)
      .set(tenant.auth)
      .send({ steps: WGET_STEPS })
      .expect(202);
    expect(submitted.headers.location).toBe(`/v1/runs/${submitted.body.id}`);
    expect(submitted.body).toMatchObject({ status: 'queued', sandboxId, sandboxVersion: 1 });

    const finished = await untilTerminal(tenant, submitted.body.id);
    expect(finished.status).toBe(200);
    expect(finished.body).toMatchObject({
      id: submitted.body.id,
      status: 'succeeded',
      error: null,
      attempts: 1,
    });
    const [reached, unresolved] = finished.body.result.steps;
    expect(reached.result).toMatchObject({ kind: 'probe', verdict: 'delivered' });
    expect(reached.result.backend.service).toBe('website');
    expect(unresolved.result).toMatchObject({ kind: 'probe', dropReason: expect.any(String) });
    expect(finished.body.startedAt).not.toBeNull();
    expect(finished.body.finishedAt).not.toBeNull();
  });

  it('?wait=true on submit answers 200 with the result once the run finished', async () => {
    const tenant = await api.newTenant();
    const sandboxId = await newSandbox(tenant);
    const response = await request(api.http)
      .post(`/v1/sandboxes/${sandboxId}/runs?wait=true`)
      .set(tenant.auth)
      .send({ steps: WGET_STEPS.slice(0, 1) })
      .expect(200);
    expect(response.body.status).toBe('succeeded');
    expect(response.body.result.steps).toHaveLength(1);
  });

  it('?wait=true with a replayed Idempotency-Key answers with the first run, finished', async () => {
    const tenant = await api.newTenant();
    const sandboxId = await newSandbox(tenant);
    const send = () =>
      request(api.http)
        .post(`/v1/sandboxes/${sandboxId}/runs?wait=true`)
        .set(tenant.auth)
        .set('Idempotency-Key', 'wait-1')
        .send({ steps: WGET_STEPS.slice(0, 1) });
    const first = await send().expect(200);
    const replay = await send().expect(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toMatchObject({ id: first.body.id, status: 'succeeded' });
    expect(replay.body.result).toEqual(first.body.result);
  });

  it('?wait=true refuses an unknown sandbox and bad steps before waiting', async () => {
    const tenant = await api.newTenant();
    const sandboxId = await newSandbox(tenant);
    const missing = await request(api.http)
      .post('/v1/sandboxes/00000000-0000-4000-8000-000000000000/runs?wait=true')
      .set(tenant.auth)
      .send({ steps: WGET_STEPS })
      .expect(404);
    expect(missing.body.error.code).toBe('not-found');
    const invalid = await request(api.http)
      .post(`/v1/sandboxes/${sandboxId}/runs?wait=true`)
      .set(tenant.auth)
      .send({ steps: [{ name: 'x' }] })
      .expect(422);
    expect(invalid.body.error.code).toBe('invalid-scenario');
    const listed = await request(api.http)
      .get(`/v1/runs?sandboxId=${sandboxId}`)
      .set(tenant.auth)
      .expect(200);
    expect(listed.body.items).toHaveLength(0);
  });

  it('a retried submit with the same Idempotency-Key returns the same run and status', async () => {
    const tenant = await api.newTenant();
    const sandboxId = await newSandbox(tenant);
    const send = () =>
      request(api.http)
        .post(`/v1/sandboxes/${sandboxId}/runs`)
        .set(tenant.auth)
        .set('Idempotency-Key', 'retry-1')
        .send({ steps: WGET_STEPS });
    const first = await send().expect(202);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const retries = await Promise.all([send(), send(), send()]);
    for (const retry of retries) {
      expect(retry.status).toBe(202);
      expect(retry.headers.location).toBe(first.headers.location);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body.id).toBe(first.body.id);
    }
    const listed = await request(api.http)
      .get(`/v1/runs?sandboxId=${sandboxId}`)
      .set(tenant.auth)
      .expect(200);
    expect(listed.body.items).toHaveLength(1);
  });

  it('the same Idempotency-Key for different steps is refused', async () => {
    const tenant = await api.newTenant();
    const sandboxId = await newSandbox(tenant);
    await request(api.http)
      .post(`/v1/sandboxes/${sandboxId}/runs`)
      .set(tenant.auth)
      .set('Idempotency-Key', 'k')
      .send({ steps: WGET_STEPS })
      .expect(202);
    const reused = await request(api.http)
      .post(`/v1/sandboxes/${sandboxId}/runs`)
      .set(tenant.auth)
      .set('Idempotency-Key', 'k')
      .send({ steps: WGET_STEPS.slice(1) })
      .expect(422);
    expect(reused.body.error.code).toBe('idempotency-key-reused');
  });

  it('the run keeps the revision it was submitted against after the sandbox changes', async () => {
    const tenant = await api.newTenant();
    const sandboxId = await newSandbox(tenant);
    const run = await request(api.http)
      .post(`/v1/sandboxes/${sandboxId}/runs?wait=true`)
      .set(tenant.auth)
      .send({ steps: WGET_STEPS.slice(0, 1) })
      .expect(200);
    await request(api.http)
      .patch(`/v1/sandboxes/${sandboxId}`)
      .set(tenant.auth)
      .set('If-Match', '"1"')
      .send({ description: 'changed' })
      .expect(200);
    const later = await request(api.http)
      .post(`/v1/sandboxes/${sandboxId}/runs`)
      .set(tenant.auth)
      .send({ steps: WGET_STEPS.slice(0, 1) })
      .expect(202);
    expect(run.body.sandboxVersion).toBe(1);
    expect(later.body.sandboxVersion).toBe(2);
    expect(later.body.sandboxRevisionId).not.toBe(run.body.sandboxRevisionId);
  });

  it.each([
    [
      'a probe without its source',
      { steps: [{ probe: { to: 'website' } }] },
      'steps[0].probe.from',
    ],
    [
      'an unknown step action',
      { steps: [{ get: { kind: 'pods' } }, { ping: 'x' }] },
      'steps[1].ping',
    ],
    ['a body without steps', { scenario: [] }, 'scenario'],
  ])('%s is a 422 naming the step and field', async (_, body, field) => {
    const tenant = await api.newTenant();
    const sandboxId = await newSandbox(tenant);
    const response = await request(api.http)
      .post(`/v1/sandboxes/${sandboxId}/runs`)
      .set(tenant.auth)
      .send(body)
      .expect(422);
    expect(response.body.error.code).toBe('invalid-scenario');
    expect(response.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field })]),
    );
  });

  it('renders the finished run as the CLI prints it, and as Graphviz DOT, Mermaid and SVG', async () => {
    const tenant = await api.newTenant();
    const sandboxId = await newSandbox(tenant);
    const run = await request(api.http)
      .post(`/v1/sandboxes/${sandboxId}/runs?wait=true`)
      .set(tenant.auth)
      .send({ steps: WGET_STEPS })
      .expect(200);

    const text = await request(api.http)
      .get(`/v1/runs/${run.body.id}`)
      .set(tenant.auth)
      .set('Accept', 'text/plain')
      .expect(200);
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(text.text).toContain('=== step 1: wget -qO - http://website.default/ (probe)');
    expect(text.text).toContain('probe default/client → http://website.default/');
    expect(text.text).toMatch(/verdict: delivered/);
    const byQuery = await request(api.http)
      .get(`/v1/runs/${run.body.id}?format=text`)
      .set(tenant.auth)
      .expect(200);
    expect(byQuery.text).toBe(text.text);

    const dot = await request(api.http)
      .get(`/v1/runs/${run.body.id}?format=dot`)
      .set(tenant.auth)
      .expect(200);
    expect(dot.headers['content-type']).toMatch(/^text\/vnd\.graphviz/);
    expect(dot.text).toMatch(/^digraph "run [0-9a-f-]+" \{/);
    expect(dot.text.match(/subgraph "cluster_s\d+"/g)).toHaveLength(2);
    expect(dot.text).toContain('"s1_h1" -> "s1_h2";');

    const svg = await request(api.http)
      .get(`/v1/runs/${run.body.id}`)
      .set(tenant.auth)
      .set('Accept', 'image/svg+xml')
      .expect(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(svg.body.toString()).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>\n<title>run /,
    );
    const mermaid = await request(api.http)
      .get(`/v1/runs/${run.body.id}?format=mermaid`)
      .set(tenant.auth)
      .expect(200);
    expect(mermaid.headers['content-type']).toMatch(/^text\/vnd\.mermaid/);
    expect(mermaid.text.match(/^ {2}subgraph s\d+\[/gm)).toHaveLength(2);

    // Accept with q-values: the rendering the client ranks highest.
    const ranked = await request(api.http)
      .get(`/v1/runs/${run.body.id}`)
      .set(tenant.auth)
      .set('Accept', 'application/json;q=0.1, text/vnd.graphviz;q=0.9, text/plain;q=0.5')
      .expect(200);
    expect(ranked.headers['content-type']).toMatch(/^text\/vnd\.graphviz/);
    expect(ranked.text).toBe(dot.text);

    const bad = await request(api.http)
      .get(`/v1/runs/${run.body.id}?format=png`)
      .set(tenant.auth)
      .expect(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'format' })]);
  });

  it('lists runs newest first without traces, page by page', async () => {
    const tenant = await api.newTenant();
    const sandboxId = await newSandbox(tenant);
    const other = await newSandbox(tenant, 'other');
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push(
        (
          await request(api.http)
            .post(`/v1/sandboxes/${sandboxId}/runs`)
            .set(tenant.auth)
            .send({ steps: WGET_STEPS })
            .expect(202)
        ).body.id,
      );
    }
    await request(api.http)
      .post(`/v1/sandboxes/${other}/runs`)
      .set(tenant.auth)
      .send({ steps: WGET_STEPS })
      .expect(202);
    const first = await request(api.http)
      .get(`/v1/runs?sandboxId=${sandboxId}&limit=2`)
      .set(tenant.auth)
      .expect(200);
    const second = await request(api.http)
      .get(`/v1/runs?sandboxId=${sandboxId}&limit=2&cursor=${first.body.nextCursor}`)
      .set(tenant.auth)
      .expect(200);
    expect(
      [...first.body.items, ...second.body.items].map((run: { id: string }) => run.id),
    ).toEqual([...ids].reverse());
    expect(second.body.nextCursor).toBeUndefined();
    for (const item of first.body.items) expect(item).not.toHaveProperty('result');
    const all = await request(api.http).get('/v1/runs').set(tenant.auth).expect(200);
    expect(all.body.items).toHaveLength(4);
    await request(api.http).get('/v1/runs?limit=0').set(tenant.auth).expect(400);
    await request(api.http).get('/v1/runs?cursor=nonsense').set(tenant.auth).expect(400);
  });

  it("a tenant cannot submit to, read or list another tenant's runs", async () => {
    const owner = await api.newTenant();
    const stranger = await api.newTenant();
    const sandboxId = await newSandbox(owner);
    const run = await request(api.http)
      .post(`/v1/sandboxes/${sandboxId}/runs`)
      .set(owner.auth)
      .send({ steps: WGET_STEPS })
      .expect(202);
    expect(
      (await request(api.http).get(`/v1/runs/${run.body.id}`).set(stranger.auth).expect(404)).body
        .error.code,
    ).toBe('not-found');
    await request(api.http).get(`/v1/runs/${run.body.id}?wait=true`).set(stranger.auth).expect(404);
    await request(api.http)
      .post(`/v1/sandboxes/${sandboxId}/runs`)
      .set(stranger.auth)
      .send({ steps: WGET_STEPS })
      .expect(404);
    expect(
      (
        await request(api.http)
          .get(`/v1/runs?sandboxId=${sandboxId}`)
          .set(stranger.auth)
          .expect(200)
      ).body.items,
    ).toEqual([]);
    await request(api.http).get(`/v1/runs/${run.body.id}`).expect(401);
  });
});
