// Untrusted input answered with a clear 4xx, never a 500 or an echo of itself: deeply nested JSON,
// cluster settings the engine would refuse, oversized error bodies, and two concurrent publishes of
// one exercise name (the database decides: one 201, one 409).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describeWithServices, startTestApi, type TestApi } from './testing/test-api';

jest.setTimeout(60_000);

const EXERCISE = readFileSync(
  path.resolve(__dirname, '../../../exercises/fix-the-dns-name.yaml'),
  'utf8',
);
const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';

function nestedArrays(levels: number): string {
  return `${'['.repeat(levels)}${']'.repeat(levels)}`;
}

describeWithServices('input limits', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });

  afterAll(async () => {
    await api?.close();
  });

  it('answers a body nested 10 000 levels deep with 400, over REST and GraphQL', async () => {
    const { auth } = await api.newTenant();
    const rest = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send(`{"name": "deep", "manifests": ${nestedArrays(10_000)}}`)
      .expect(400);
    expect(rest.body.error).toMatchObject({ code: 'bad-request' });
    expect(rest.body.error.message).toContain('the limit is 64');
    const graphql = await request(api.http)
      .post('/graphql')
      .set(auth)
      .set('Content-Type', 'application/json')
      .send(`{"query": "{ __typename }", "variables": {"deep": ${nestedArrays(10_000)}}}`);
    expect(graphql.status).toBe(400);
    // In GraphQL's shape, as every other refusal on /graphql.
    expect(graphql.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(graphql.body.errors[0].message).toContain('the limit is 64');
  });

  it('refuses bytes that are not UTF-8 with 400 instead of storing them altered', async () => {
    const { auth } = await api.newTenant();
    const latin1 = Buffer.concat([
      Buffer.from(
        'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cafe\n  annotations:\n    note: caf',
      ),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    const yaml = await request(api.http)
      .post('/v1/sandboxes?name=latin1')
      .set(auth)
      .set('Content-Type', 'application/yaml')
      .send(latin1)
      .expect(400);
    expect(yaml.body.error).toMatchObject({ code: 'bad-request' });
    expect(yaml.body.error.message).toContain('not valid UTF-8');
    const json = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .set('Content-Type', 'application/json')
      // As the bytes are, not as superagent would serialize a Buffer (its types say string).
      .serialize((body: Buffer) => body as unknown as string)
      .send(Buffer.concat([Buffer.from('{"name": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]))
      .expect(400);
    expect(json.body.error.message).toContain('not valid UTF-8');
    // The same bytes, declared as Latin-1, are read as Latin-1.
    const declared = await request(api.http)
      .post('/v1/sandboxes?name=latin1')
      .set(auth)
      .set('Content-Type', 'application/yaml; charset=latin1')
      .send(latin1);
    expect(declared.status).toBe(201);
    expect(declared.body.manifests).toContain('note: café');
  });

  it('validates cluster settings when they are written: 422 naming the field', async () => {
    const { auth } = await api.newTenant();
    const refused = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .send({ name: 'bad-cidr', manifests: NAMESPACE, clusterSettings: { podCIDR: 'nope' } })
      .expect(422);
    expect(refused.body.error.code).toBe('invalid-manifests');
    expect(refused.body.error.details.issues[0].field).toBe('clusterSettings.podCIDR');
    const created = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .send({ name: 'good', manifests: NAMESPACE, clusterSettings: { podCIDR: '10.244.0.0/16' } })
      .expect(201);
    await request(api.http)
      .patch(`/v1/sandboxes/${created.body.id}`)
      .set(auth)
      .set('If-Match', '"1"')
      .send({ clusterSettings: { nodes: 'three' } })
      .expect(422);
  });

  it('answers 15 000 bad manifests with a short excerpt, not the input back', async () => {
    const { auth } = await api.newTenant();
    const bad = Array.from(
      { length: 15_000 },
      (_, i) =>
        `---\napiVersion: v1\nkind: Service\nmetadata: {name: s${i}}\nspec: {ports: [{port: 0}]}`,
    ).join('\n');
    const refused = await request(api.http)
      .post('/v1/sandboxes?name=bad')
      .set(auth)
      .set('Content-Type', 'application/yaml')
      .send(bad);
    expect(bad.length).toBeGreaterThan(1_000_000);
    expect(refused.status).toBe(422);
    expect(refused.text.length).toBeLessThan(30_000);
  });

  it('publishes one of two concurrent exercises with one name: one 201, one 409', async () => {
    const { auth } = await api.newTenant();
    const publish = () =>
      request(api.http).post('/v1/exercises').set(auth).send({ yaml: EXERCISE });
    const statuses = (await Promise.all([publish(), publish()])).map((answer) => answer.status);
    expect(statuses.sort()).toEqual([201, 409]);
    const list = await request(api.http).get('/v1/exercises').set(auth).expect(200);
    expect(list.body.items).toHaveLength(1);
    // Listed without the YAML unless asked; a page at a time.
    expect(list.body.items[0].yaml).toBeUndefined();
    const withYaml = await request(api.http)
      .get('/v1/exercises?include=yaml&limit=1')
      .set(auth)
      .expect(200);
    expect(withYaml.body).toEqual({ items: [expect.objectContaining({ yaml: EXERCISE })] });
    await request(api.http).get('/v1/exercises?cursor=bm9wZQ').set(auth).expect(400);
  });
});
