import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describeWithServices, startTestApi, type TestApi } from '../testing/test-api';

const WEBSITE_YAML = readFileSync(
  path.resolve(__dirname, '../../../../examples/manifests/website.yaml'),
  'utf8',
);
const BAD_SERVICE_YAML =
  'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 70000}]\n';

describeWithServices('sandboxes REST API (PostgreSQL + Redis)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  it("creates, reads, updates (new revision) and deletes the seeds' website sandbox", async () => {
    const { auth } = await api.newTenant();
    const created = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .send({ name: 'website', description: 'seed', manifests: WEBSITE_YAML })
      .expect(201);
    expect(created.body).toMatchObject({
      name: 'website',
      description: 'seed',
      manifests: WEBSITE_YAML,
      version: 1,
      clusterSettings: {},
    });
    expect(created.headers.etag).toBe('"1"');
    const id = created.body.id as string;

    const read = await request(api.http).get(`/v1/sandboxes/${id}`).set(auth).expect(200);
    expect(read.body).toMatchObject({ id, name: 'website', version: 1 });

    const updated = await request(api.http)
      .patch(`/v1/sandboxes/${id}`)
      .set(auth)
      .set('If-Match', read.headers.etag)
      .send({ description: 'changed' })
      .expect(200);
    expect(updated.body).toMatchObject({
      id,
      description: 'changed',
      version: 2,
      manifests: WEBSITE_YAML,
    });

    const revisions = await request(api.http)
      .get(`/v1/sandboxes/${id}/revisions`)
      .set(auth)
      .expect(200);
    // Newest first, without manifests unless asked; a page at a time.
    expect(revisions.body.items.map((revision: { version: number }) => revision.version)).toEqual([
      2, 1,
    ]);
    expect(revisions.body.items[0].manifests).toBeUndefined();
    const first = await request(api.http)
      .get(`/v1/sandboxes/${id}/revisions?limit=1&include=manifests`)
      .set(auth)
      .expect(200);
    expect(first.body.items).toEqual([
      expect.objectContaining({ version: 2, manifests: WEBSITE_YAML }),
    ]);
    const second = await request(api.http)
      .get(`/v1/sandboxes/${id}/revisions?limit=1&cursor=${first.body.nextCursor}`)
      .set(auth)
      .expect(200);
    expect(second.body).toEqual({ items: [expect.objectContaining({ version: 1 })] });
    const listed = await request(api.http).get('/v1/sandboxes').set(auth).expect(200);
    expect(listed.body.items[0].manifests).toBeUndefined();
    const withManifests = await request(api.http)
      .get('/v1/sandboxes?include=manifests')
      .set(auth)
      .expect(200);
    expect(withManifests.body.items[0].manifests).toBe(WEBSITE_YAML);

    await request(api.http).delete(`/v1/sandboxes/${id}`).set(auth).expect(204);
    const gone = await request(api.http).get(`/v1/sandboxes/${id}`).set(auth).expect(404);
    expect(gone.body.error.code).toBe('not-found');
  });

  it('accepts manifests as a JSON array of objects and stores them as YAML', async () => {
    const { auth } = await api.newTenant();
    const manifests = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }];
    const created = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .send({ name: 'json', manifests })
      .expect(201);
    expect(created.body.manifests).toBe(
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
    );
  });

  it('refuses a stale version with 409 and a missing one with 428', async () => {
    const { auth } = await api.newTenant();
    const { body } = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .send({ name: 'occ', manifests: WEBSITE_YAML })
      .expect(201);
    await request(api.http)
      .patch(`/v1/sandboxes/${body.id}`)
      .set(auth)
      .send({ version: 1, description: 'first' })
      .expect(200);
    const stale = await request(api.http)
      .patch(`/v1/sandboxes/${body.id}`)
      .set(auth)
      .set('If-Match', '"1"')
      .send({ description: 'second' })
      .expect(409);
    expect(stale.body.error).toMatchObject({
      code: 'version-conflict',
      details: { currentVersion: 2 },
    });
    const missing = await request(api.http)
      .patch(`/v1/sandboxes/${body.id}`)
      .set(auth)
      .send({ description: 'third' })
      .expect(428);
    expect(missing.body.error.code).toBe('precondition-required');
  });

  it('refuses a second sandbox with the same name with 409', async () => {
    const { auth } = await api.newTenant();
    await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .send({ name: 'twice', manifests: WEBSITE_YAML })
      .expect(201);
    const second = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .send({ name: 'twice', manifests: WEBSITE_YAML })
      .expect(409);
    expect(second.body.error.code).toBe('conflict');
  });

  it('pages newest first with nextCursor and filters by name', async () => {
    const { auth } = await api.newTenant();
    for (const name of ['alpha', 'beta', 'gamma', 'delta', 'alphabet']) {
      await request(api.http)
        .post('/v1/sandboxes')
        .set(auth)
        .send({ name, manifests: WEBSITE_YAML })
        .expect(201);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await request(api.http)
        .get('/v1/sandboxes')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(auth)
        .expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((item: { name: string }) => item.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['alphabet', 'delta', 'gamma', 'beta', 'alpha']);
    const filtered = await request(api.http)
      .get('/v1/sandboxes')
      .query({ name: 'ALPHA' })
      .set(auth)
      .expect(200);
    expect(filtered.body.items.map((item: { name: string }) => item.name)).toEqual([
      'alphabet',
      'alpha',
    ]);
  });

  it.each([
    ['limit 0', { limit: 0 }, 'limit'],
    ['limit 101', { limit: 101 }, 'limit'],
    ['a cursor this API never gave', { cursor: 'bm9wZQ' }, 'cursor'],
  ])('answers 400 naming the field for %s', async (_name, query, field) => {
    const { auth } = await api.newTenant();
    const response = await request(api.http)
      .get('/v1/sandboxes')
      .query(query)
      .set(auth)
      .expect(400);
    expect(response.body.error.code).toBe('validation-failed');
    expect(response.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field })]),
    );
  });

  it("answers 422 with the engine's issue for a bad manifest", async () => {
    const { auth } = await api.newTenant();
    const response = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .send({ name: 'bad', manifests: BAD_SERVICE_YAML })
      .expect(422);
    expect(response.body.error.code).toBe('invalid-manifests');
    expect(response.body.error.message).toContain('spec.ports[0].port');
    expect(response.body.error.details.issues).toEqual([
      expect.objectContaining({
        doc: 1,
        object: 'Service/default/web',
        path: 'spec.ports[0].port',
        message: expect.stringContaining('65535'),
      }),
    ]);
  });

  it.each([
    ['no name', { manifests: WEBSITE_YAML }, 'name'],
    ['no manifests', { name: 'x' }, 'manifests'],
    ['manifests of the wrong type', { name: 'x', manifests: 42 }, 'manifests'],
    ['an unknown field', { name: 'x', manifests: WEBSITE_YAML, color: 'red' }, 'color'],
  ])('answers 400 naming the field for %s', async (_name, body, field) => {
    const { auth } = await api.newTenant();
    const response = await request(api.http).post('/v1/sandboxes').set(auth).send(body).expect(400);
    expect(response.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field })]),
    );
  });

  it("keeps tenants apart: B gets 404 for A's sandbox and does not list it", async () => {
    const a = await api.newTenant();
    const b = await api.newTenant();
    const { body } = await request(api.http)
      .post('/v1/sandboxes')
      .set(a.auth)
      .send({ name: 'private', manifests: WEBSITE_YAML })
      .expect(201);
    await request(api.http).get(`/v1/sandboxes/${body.id}`).set(b.auth).expect(404);
    await request(api.http)
      .patch(`/v1/sandboxes/${body.id}`)
      .set(b.auth)
      .send({ version: 1, description: 'mine now' })
      .expect(404);
    await request(api.http).delete(`/v1/sandboxes/${body.id}`).set(b.auth).expect(404);
    await request(api.http).get(`/v1/sandboxes/${body.id}/revisions`).set(b.auth).expect(404);
    await request(api.http).get(`/v1/sandboxes/${body.id}/views/pods`).set(b.auth).expect(404);
    const listed = await request(api.http).get('/v1/sandboxes').set(b.auth).expect(200);
    expect(listed.body.items).toEqual([]);
    await request(api.http).get(`/v1/sandboxes/${body.id}`).set(a.auth).expect(200);
  });

  it('answers views as text by default and JSON when asked', async () => {
    const { auth } = await api.newTenant();
    const { body } = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .send({ name: 'views', manifests: WEBSITE_YAML })
      .expect(201);
    const text = await request(api.http)
      .get(`/v1/sandboxes/${body.id}/views/pods`)
      .set(auth)
      .expect(200);
    expect(text.type).toBe('text/plain');
    expect(text.text).toMatch(/^NAME\s+READY\s+STATUS/);
    expect(text.text).toContain('client');
    const json = await request(api.http)
      .get(`/v1/sandboxes/${body.id}/views/services`)
      .set(auth)
      .set('Accept', 'application/json')
      .expect(200);
    expect(
      json.body.items.map((service: { metadata: { name: string } }) => service.metadata.name),
    ).toContain('website');
    // Accept is negotiated with its q-values: JSON ranked higher wins, text ranked higher wins.
    const rankedJson = await request(api.http)
      .get(`/v1/sandboxes/${body.id}/views/services`)
      .set(auth)
      .set('Accept', 'text/plain;q=0.2, application/json')
      .expect(200);
    expect(rankedJson.type).toBe('application/json');
    expect(rankedJson.headers.vary).toMatch(/Accept/);
    const rankedText = await request(api.http)
      .get(`/v1/sandboxes/${body.id}/views/services`)
      .set(auth)
      .set('Accept', 'application/json;q=0.5, text/*')
      .expect(200);
    expect(rankedText.type).toBe('text/plain');
    const resolv = await request(api.http)
      .get(`/v1/sandboxes/${body.id}/views/resolv.conf`)
      .query({ pod: 'default/client', format: 'text' })
      .set(auth)
      .expect(200);
    expect(resolv.text).toContain(
      'search default.svc.cluster.local svc.cluster.local cluster.local',
    );
    const noPod = await request(api.http)
      .get(`/v1/sandboxes/${body.id}/views/resolv.conf`)
      .set(auth)
      .expect(400);
    expect(noPod.body.error.details).toEqual([expect.objectContaining({ field: 'pod' })]);
    await request(api.http).get(`/v1/sandboxes/${body.id}/views/widgets`).set(auth).expect(404);
  });
});
