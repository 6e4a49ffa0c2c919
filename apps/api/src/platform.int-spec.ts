// The cross-cutting parts on the real services: admin keys, authentication, body limits, health,
// metrics and the OpenAPI document.
import request from 'supertest';
import {
  describeWithServices,
  startTestApi,
  TEST_ADMIN_KEY,
  type TestApi,
} from './testing/test-api';
import { buildOfflineOpenApiDocument, openApiFileText } from './openapi/offline-document';

describeWithServices('API platform (PostgreSQL + Redis)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  it.each([
    ['no key', undefined],
    ['a wrong key', 'Bearer not-the-admin-key'],
  ])('refuses the admin endpoints with %s', async (_name, authorization) => {
    const call = request(api.http).post('/v1/admin/tenants').send({ name: 'x' });
    const response = await (authorization ? call.set('Authorization', authorization) : call).expect(
      401,
    );
    expect(response.body.error.code).toBe('unauthenticated');
  });

  it("refuses the admin endpoints with a tenant's key", async () => {
    const { auth } = await api.newTenant();
    await request(api.http).post('/v1/admin/tenants').set(auth).send({ name: 'x' }).expect(401);
  });

  it('issues a key that works once and stops working when revoked', async () => {
    const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
    const tenant = await request(api.http)
      .post('/v1/admin/tenants')
      .set(admin)
      .send({ name: 'revoking' })
      .expect(201);
    const key = await request(api.http)
      .post(`/v1/admin/tenants/${tenant.body.id}/api-keys`)
      .set(admin)
      .send({})
      .expect(201);
    expect(key.body.key).toMatch(/^np_/);
    const auth = { Authorization: `Bearer ${key.body.key}` };
    await request(api.http).get('/v1/sandboxes').set(auth).expect(200);
    await request(api.http).delete(`/v1/admin/api-keys/${key.body.id}`).set(admin).expect(204);
    await request(api.http).get('/v1/sandboxes').set(auth).expect(401);
    await request(api.http).delete(`/v1/admin/api-keys/${key.body.id}`).set(admin).expect(404);
  });

  it('answers 404 for a key of a tenant that does not exist', async () => {
    const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
    await request(api.http)
      .post('/v1/admin/tenants/00000000-0000-4000-8000-000000000000/api-keys')
      .set(admin)
      .send({})
      .expect(404);
  });

  it('answers 401 JSON without a key', async () => {
    const response = await request(api.http).get('/v1/sandboxes').expect(401);
    expect(response.body).toEqual({
      error: { code: 'unauthenticated', message: expect.any(String) },
    });
  });

  it('answers 413 JSON for a 3 MiB body', async () => {
    const { auth } = await api.newTenant();
    const response = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'huge', manifests: 'x'.repeat(3 * 1024 * 1024) }))
      .expect(413);
    expect(response.body.error.code).toBe('payload-too-large');
  });

  it('answers 400 JSON for malformed JSON', async () => {
    const { auth } = await api.newTenant();
    const response = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(response.body.error.code).toBe('bad-request');
  });

  it('answers 404 JSON for an unknown route', async () => {
    const response = await request(api.http).get('/v1/nothing-here').expect(404);
    expect(response.body.error.code).toBe('not-found');
  });

  it('is alive and ready, checking PostgreSQL and Redis', async () => {
    await request(api.http).get('/healthz').expect(200, { status: 'ok' });
    const ready = await request(api.http).get('/readyz').expect(200);
    expect(ready.body).toEqual({
      status: 'ok',
      mode: 'production',
      checks: [
        { name: 'database', ok: true, uses: 'postgresql' },
        { name: 'queue', ok: true, uses: 'redis' },
      ],
    });
  });

  it('exposes the request duration histogram by route, the queue depth and the run duration', async () => {
    await request(api.http).get('/healthz').expect(200);
    const metrics = await request(api.http).get('/metrics').expect(200);
    expect(metrics.text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(metrics.text).toMatch(
      /http_request_duration_seconds_count\{route="\/healthz",method="GET",status="200"\} \d+/,
    );
    expect(metrics.text).toMatch(/netplay_queue_depth \d+/);
    expect(metrics.text).toContain('# TYPE netplay_run_duration_seconds histogram');
  });

  it('publishes an OpenAPI document listing the routes, and the reference page', async () => {
    const document = await request(api.http).get('/v1/openapi.json').expect(200);
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/sandboxes',
        '/v1/sandboxes/{id}',
        '/v1/sandboxes/{id}/revisions',
        '/v1/sandboxes/{id}/views/{kind}',
        '/v1/admin/tenants',
        '/v1/admin/tenants/{id}/api-keys',
        '/v1/admin/api-keys/{id}',
        '/healthz',
        '/readyz',
      ]),
    );
    // What the API serves is what apps/api/openapi.json holds (openapi.spec.ts compares the file).
    expect(document.body).toEqual(JSON.parse(openApiFileText(await buildOfflineOpenApiDocument())));
    const page = await request(api.http).get('/v1/docs').expect(200);
    expect(page.text).toContain('swagger-ui');
    await request(api.http).get('/v1/docs/swagger-ui-bundle.js').expect(200);
  });

  it('limits requests per API key with counters in Redis', async () => {
    const limited = await startTestApi({ rateLimitPerMinute: 3 });
    try {
      const { auth } = await limited.newTenant();
      for (let i = 0; i < 3; i += 1)
        await request(limited.http).get('/v1/sandboxes').set(auth).expect(200);
      const refused = await request(limited.http).get('/v1/sandboxes').set(auth).expect(429);
      expect(refused.body.error.code).toBe('rate-limited');
      const other = await limited.newTenant();
      await request(limited.http).get('/v1/sandboxes').set(other.auth).expect(200);
    } finally {
      await limited.close();
    }
  }, 60_000);
});
