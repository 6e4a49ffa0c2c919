// Sandboxes written with the raw YAML one would `kubectl apply -f` as the request body, the other
// fields in the query string: the same answers, rules and errors as the JSON body.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describeWithServices, startTestApi, type TestApi } from '../testing/test-api';

const WEBSITE_YAML = readFileSync(
  path.resolve(__dirname, '../../../../examples/manifests/website.yaml'),
  'utf8',
);
const NAMESPACE_YAML = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
const BAD_SERVICE_YAML =
  'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 70000}]\n';
const YAML = 'application/yaml';

describeWithServices('sandboxes REST API with raw YAML bodies (PostgreSQL + Redis)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  function postYaml(
    auth: Record<string, string>,
    query: Record<string, string>,
    yaml: string,
    contentType = YAML,
  ) {
    return request(api.http)
      .post('/v1/sandboxes')
      .query(query)
      .set(auth)
      .set('Content-Type', contentType)
      .send(yaml);
  }

  function patchYaml(
    auth: Record<string, string>,
    id: string,
    query: Record<string, string>,
    yaml: string,
  ) {
    return request(api.http)
      .patch(`/v1/sandboxes/${id}`)
      .query(query)
      .set(auth)
      .set('Content-Type', YAML)
      .send(yaml);
  }

  it("creates the seeds' website sandbox from its YAML, answering as the JSON body does", async () => {
    const { auth } = await api.newTenant();
    const created = await postYaml(
      auth,
      { name: 'website', description: 'from kubectl YAML' },
      WEBSITE_YAML,
    ).expect(201);
    expect(created.body).toMatchObject({
      name: 'website',
      description: 'from kubectl YAML',
      manifests: WEBSITE_YAML,
      version: 1,
      clusterSettings: {},
    });
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe(`/v1/sandboxes/${created.body.id}`);

    const viaJson = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .send({ name: 'website-json', description: 'from kubectl YAML', manifests: WEBSITE_YAML })
      .expect(201);
    expect(Object.keys(created.body).sort()).toEqual(Object.keys(viaJson.body).sort());
    expect(created.body.warnings).toEqual(viaJson.body.warnings);

    const read = await request(api.http)
      .get(`/v1/sandboxes/${created.body.id}`)
      .set(auth)
      .expect(200);
    expect(read.body).toMatchObject({ name: 'website', manifests: WEBSITE_YAML, version: 1 });
  });

  it.each([
    'application/yaml',
    'application/x-yaml',
    'text/yaml',
    'text/x-yaml',
    'application/yaml; charset=utf-8',
  ])('accepts Content-Type %s', async (contentType) => {
    const { auth } = await api.newTenant();
    const created = await postYaml(auth, { name: 'typed' }, NAMESPACE_YAML, contentType).expect(
      201,
    );
    expect(created.body.manifests).toBe(NAMESPACE_YAML);
  });

  it('replaces the manifests with a new revision, by If-Match or ?version=', async () => {
    const { auth } = await api.newTenant();
    const { body } = await postYaml(
      auth,
      { name: 'patched', description: 'kept' },
      WEBSITE_YAML,
    ).expect(201);

    const byHeader = await patchYaml(auth, body.id, {}, NAMESPACE_YAML)
      .set('If-Match', '"1"')
      .expect(200);
    expect(byHeader.body).toMatchObject({
      id: body.id,
      name: 'patched',
      description: 'kept',
      manifests: NAMESPACE_YAML,
      version: 2,
    });
    expect(byHeader.headers.etag).toBe('"2"');

    const byQuery = await patchYaml(
      auth,
      body.id,
      { version: '2', description: 'renamed too', name: 'patched-2' },
      WEBSITE_YAML,
    ).expect(200);
    expect(byQuery.body).toMatchObject({
      name: 'patched-2',
      description: 'renamed too',
      manifests: WEBSITE_YAML,
      version: 3,
    });

    const revisions = await request(api.http)
      .get(`/v1/sandboxes/${body.id}/revisions?include=manifests`)
      .set(auth)
      .expect(200);
    expect(
      revisions.body.items.map((revision: { version: number; manifests: string }) => [
        revision.version,
        revision.manifests,
      ]),
    ).toEqual([
      [3, WEBSITE_YAML],
      [2, NAMESPACE_YAML],
      [1, WEBSITE_YAML],
    ]);
  });

  it('refuses a stale version with 409, a missing one with 428 and disagreeing ones with 400', async () => {
    const { auth } = await api.newTenant();
    const { body } = await postYaml(auth, { name: 'occ' }, WEBSITE_YAML).expect(201);
    await patchYaml(auth, body.id, { version: '1' }, NAMESPACE_YAML).expect(200);

    const staleHeader = await patchYaml(auth, body.id, {}, WEBSITE_YAML)
      .set('If-Match', '"1"')
      .expect(409);
    expect(staleHeader.body.error).toMatchObject({
      code: 'version-conflict',
      details: { currentVersion: 2 },
    });
    const staleQuery = await patchYaml(auth, body.id, { version: '1' }, WEBSITE_YAML).expect(409);
    expect(staleQuery.body.error).toMatchObject({
      code: 'version-conflict',
      details: { currentVersion: 2 },
    });
    const missing = await patchYaml(auth, body.id, {}, WEBSITE_YAML).expect(428);
    expect(missing.body.error.code).toBe('precondition-required');
    const disagreeing = await patchYaml(auth, body.id, { version: '2' }, WEBSITE_YAML)
      .set('If-Match', '"1"')
      .expect(400);
    expect(disagreeing.body.error.details).toEqual([expect.objectContaining({ field: 'version' })]);

    const unchanged = await request(api.http).get(`/v1/sandboxes/${body.id}`).set(auth).expect(200);
    expect(unchanged.body).toMatchObject({ version: 2, manifests: NAMESPACE_YAML });
  });

  it.each([
    [
      'an invalid field',
      BAD_SERVICE_YAML,
      {
        doc: 1,
        object: 'Service/default/web',
        path: 'spec.ports[0].port',
        message: expect.stringContaining('65535'),
      },
    ],
    ['broken YAML', 'kind: [unclosed\n', { doc: 1, code: 'YAML_SYNTAX' }],
  ])("answers 422 with the engine's issues for manifests with %s", async (_name, yaml, issue) => {
    const { auth } = await api.newTenant();
    const created = await postYaml(auth, { name: 'bad' }, yaml).expect(422);
    expect(created.body.error.code).toBe('invalid-manifests');
    expect(created.body.error.details.issues).toEqual([
      expect.objectContaining({ severity: 'error', ...issue }),
    ]);

    const { body } = await postYaml(auth, { name: 'good' }, NAMESPACE_YAML).expect(201);
    const patched = await patchYaml(auth, body.id, { version: '1' }, yaml).expect(422);
    expect(patched.body.error.details.issues).toEqual(created.body.error.details.issues);
    const listed = await request(api.http).get('/v1/sandboxes').set(auth).expect(200);
    expect(
      listed.body.items.map((item: { name: string; version: number }) => [item.name, item.version]),
    ).toEqual([['good', 1]]);
  });

  it.each([
    ['no name', {}, 'name'],
    ['a name the JSON body would refuse', { name: '-dash-first' }, 'name'],
    ['two names', 'name=a&name=b', 'name'],
    [
      'a description over 2000 characters',
      { name: 'x', description: 'd'.repeat(2001) },
      'description',
    ],
    ['manifests in the query as well', { name: 'x', manifests: 'kind: Pod' }, 'manifests'],
    [
      'cluster settings, which need the JSON body',
      { name: 'x', clusterSettings: '{}' },
      'clusterSettings',
    ],
    ['an unknown field', { name: 'x', color: 'red' }, 'color'],
  ])('answers 400 naming the field for a create with %s', async (_name, query, field) => {
    const { auth } = await api.newTenant();
    const response = await request(api.http)
      .post('/v1/sandboxes')
      .query(query)
      .set(auth)
      .set('Content-Type', YAML)
      .send(WEBSITE_YAML)
      .expect(400);
    expect(response.body.error.code).toBe('validation-failed');
    expect(response.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field })]),
    );
    const listed = await request(api.http).get('/v1/sandboxes').set(auth).expect(200);
    expect(listed.body.items).toEqual([]);
  });

  it('words a refused field as the JSON body does', async () => {
    const { auth } = await api.newTenant();
    const viaYaml = await postYaml(auth, { name: '-dash-first' }, WEBSITE_YAML).expect(400);
    const viaJson = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .send({ name: '-dash-first', manifests: WEBSITE_YAML })
      .expect(400);
    expect(viaYaml.body).toEqual(viaJson.body);
  });

  it.each([['abc'], ['0'], ['1.5']])(
    'answers 400 naming version for ?version=%s',
    async (version) => {
      const { auth } = await api.newTenant();
      const { body } = await postYaml(auth, { name: 'versioned' }, WEBSITE_YAML).expect(201);
      const response = await patchYaml(auth, body.id, { version }, NAMESPACE_YAML).expect(400);
      expect(response.body.error.details.length).toBeGreaterThan(0);
      for (const problem of response.body.error.details) expect(problem.field).toBe('version');
    },
  );

  it('answers 413 JSON for a YAML body over 2 MiB', async () => {
    const { auth } = await api.newTenant();
    const huge = `${WEBSITE_YAML}# ${'x'.repeat(3 * 1024 * 1024)}\n`;
    const response = await postYaml(auth, { name: 'huge' }, huge).expect(413);
    expect(response.type).toBe('application/json');
    expect(response.body).toEqual({
      error: {
        code: 'payload-too-large',
        message: expect.stringContaining('larger than the limit'),
      },
    });
  });

  it.each([
    ['POST', 'text/plain'],
    ['POST', 'application/xml'],
    ['PATCH', 'text/plain'],
    ['PATCH', 'application/x-www-form-urlencoded'],
  ])(
    'answers %s with Content-Type %s with 415 naming the accepted types',
    async (method, contentType) => {
      const { auth } = await api.newTenant();
      const { body } = await postYaml(auth, { name: 'target' }, NAMESPACE_YAML).expect(201);
      const call =
        method === 'POST'
          ? request(api.http).post('/v1/sandboxes').query({ name: 'other' })
          : request(api.http).patch(`/v1/sandboxes/${body.id}`).query({ version: '1' });
      const response = await call
        .set(auth)
        .set('Content-Type', contentType)
        .send(WEBSITE_YAML)
        .expect(415);
      expect(response.body).toEqual({
        error: {
          code: 'unsupported-media-type',
          message: `Content-Type ${contentType} is not accepted here; send application/json, or the manifests as application/yaml, application/x-yaml, text/yaml, text/x-yaml`,
          details: {
            accepted: [
              'application/json',
              'application/yaml',
              'application/x-yaml',
              'text/yaml',
              'text/x-yaml',
            ],
          },
        },
      });
      const listed = await request(api.http).get('/v1/sandboxes').set(auth).expect(200);
      expect(
        listed.body.items.map((item: { name: string; version: number }) => [
          item.name,
          item.version,
        ]),
      ).toEqual([['target', 1]]);
    },
  );

  it('documents both request body types and the YAML form query fields in OpenAPI', async () => {
    const document = await request(api.http).get('/v1/openapi.json').expect(200);
    const create = document.body.paths['/v1/sandboxes'].post;
    const update = document.body.paths['/v1/sandboxes/{id}'].patch;
    expect(create.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/CreateSandboxBody',
    });
    expect(update.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/UpdateSandboxBody',
    });
    for (const operation of [create, update]) {
      expect(Object.keys(operation.requestBody.content)).toEqual([
        'application/json',
        'application/yaml',
        'application/x-yaml',
        'text/yaml',
        'text/x-yaml',
      ]);
      expect(operation.requestBody.content['application/yaml'].schema).toMatchObject({
        type: 'string',
      });
      expect(operation.responses['415']).toBeDefined();
    }
    const queryFields = (operation: {
      parameters: { in: string; name: string; required?: boolean }[];
    }) =>
      operation.parameters
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => [parameter.name, parameter.required ?? false]);
    // Optional in the document: a JSON body ignores the query; the description says what YAML needs.
    expect(queryFields(create)).toEqual([
      ['name', false],
      ['description', false],
    ]);
    expect(create.description).toContain('`name` (required)');
    expect(queryFields(update)).toEqual([
      ['name', false],
      ['description', false],
      ['version', false],
    ]);
    expect(document.body.components.schemas.CreateSandboxBody.required).toEqual(
      expect.arrayContaining(['name', 'manifests']),
    );
  });
});
