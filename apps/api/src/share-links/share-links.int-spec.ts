// Share links against the real PostgreSQL and Redis: a token that reads one sandbox revision and is
// refused everywhere else; scoped like its creator (a learner shares its own sandboxes only).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describeWithServices, startTestApi, type TestApi } from '../testing/test-api';
import { ShareLinksService } from './share-links.service';

jest.setTimeout(60_000);

const WEBSITE = readFileSync(
  path.resolve(__dirname, '../../../../examples/manifests/website.yaml'),
  'utf8',
);

describeWithServices('share links (PostgreSQL + Redis)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function sandboxWithTwoRevisions(auth: { Authorization: string }): Promise<string> {
    const created = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .send({ name: 'website', manifests: WEBSITE })
      .expect(201);
    await request(api.http)
      .patch(`/v1/sandboxes/${created.body.id}`)
      .set(auth)
      .send({ version: 1, manifests: `${WEBSITE}\n# revision 2\n` })
      .expect(200);
    return created.body.id as string;
  }

  it('reads exactly the shared revision, and nothing else, without a key', async () => {
    const tenant = await api.newTenant();
    const sandboxId = await sandboxWithTwoRevisions(tenant.auth);
    const link = await request(api.http)
      .post(`/v1/sandboxes/${sandboxId}/revisions/1/share-links`)
      .set(tenant.auth)
      .send({})
      .expect(201);
    expect(link.body.token).toMatch(/^nsh_[A-Za-z0-9_-]{43}$/);
    expect(link.body.url).toBe(`/share/${sandboxId}/1#token=${link.body.token}`);
    const auth = bearer(link.body.token);

    const shared = await request(api.http).get('/v1/shared-revision').set(auth).expect(200);
    expect(shared.body).toMatchObject({
      sandboxId,
      name: 'website',
      version: 1,
      manifests: WEBSITE,
    });

    await request(api.http).get(`/v1/sandboxes/${sandboxId}`).set(auth).expect(403);
    await request(api.http).get(`/v1/sandboxes/${sandboxId}/revisions`).set(auth).expect(403);
    await request(api.http).get('/v1/sandboxes').set(auth).expect(403);
    await request(api.http)
      .post(`/v1/sandboxes/${sandboxId}/runs`)
      .set(auth)
      .send({ steps: [{ cordon: 'node-1' }] })
      .expect(403);
    await request(api.http)
      .post('/v1/learner-sessions')
      .set(auth)
      .send({ learnerRef: 'x' })
      .expect(403);
    const gql = await request(api.http)
      .post('/graphql')
      .set(auth)
      .send({ query: '{ sandboxes { edges { cursor } } }' });
    expect(gql.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(
      ['FORBIDDEN'],
    );
    // A tenant key is not a share link.
    await request(api.http).get('/v1/shared-revision').set(tenant.auth).expect(404);
  });

  it('refuses a missing revision, another tenant and another learner (404), and bounds ttl (400)', async () => {
    const tenant = await api.newTenant();
    const sandboxId = await sandboxWithTwoRevisions(tenant.auth);
    await request(api.http)
      .post(`/v1/sandboxes/${sandboxId}/revisions/3/share-links`)
      .set(tenant.auth)
      .send({})
      .expect(404);
    const other = await api.newTenant();
    await request(api.http)
      .post(`/v1/sandboxes/${sandboxId}/revisions/1/share-links`)
      .set(other.auth)
      .send({})
      .expect(404);
    for (const ttl of [59, 90 * 86_400 + 1]) {
      const refused = await request(api.http)
        .post(`/v1/sandboxes/${sandboxId}/revisions/1/share-links`)
        .set(tenant.auth)
        .send({ ttl })
        .expect(400);
      expect(refused.body.error.details[0].field).toBe('ttl');
    }

    const session = async (learnerRef: string) =>
      bearer(
        (
          await request(api.http)
            .post('/v1/learner-sessions')
            .set(tenant.auth)
            .send({ learnerRef })
            .expect(201)
        ).body.token,
      );
    const alice = await session('alice');
    const bob = await session('bob');
    const own = await request(api.http)
      .post('/v1/sandboxes')
      .set(alice)
      .send({ name: 'alice-website', manifests: WEBSITE })
      .expect(201);
    await request(api.http)
      .post(`/v1/sandboxes/${own.body.id}/revisions/1/share-links`)
      .set(bob)
      .send({})
      .expect(404);
    const shared = await request(api.http)
      .post(`/v1/sandboxes/${own.body.id}/revisions/1/share-links`)
      .set(alice)
      .send({})
      .expect(201);
    await request(api.http).delete(`/v1/share-links/${shared.body.id}`).set(bob).expect(404);
    await request(api.http).get('/v1/shared-revision').set(bearer(shared.body.token)).expect(200);
    await request(api.http).delete(`/v1/share-links/${shared.body.id}`).set(alice).expect(204);
    await request(api.http).get('/v1/shared-revision').set(bearer(shared.body.token)).expect(401);
  });

  it('stops working once expired, revoked, or its sandbox deleted', async () => {
    const tenant = await api.newTenant();
    const sandboxId = await sandboxWithTwoRevisions(tenant.auth);
    const service = api.api.app.get(ShareLinksService);
    const expired = await service.create(
      { tenantId: tenant.tenantId },
      sandboxId,
      2,
      60,
      new Date(Date.now() - 61_000),
    );
    await request(api.http).get('/v1/shared-revision').set(bearer(expired.token)).expect(401);

    const live = await request(api.http)
      .post(`/v1/sandboxes/${sandboxId}/revisions/2/share-links`)
      .set(tenant.auth)
      .send({ ttl: 600 })
      .expect(201);
    await request(api.http).get('/v1/shared-revision').set(bearer(live.body.token)).expect(200);
    await request(api.http).delete(`/v1/sandboxes/${sandboxId}`).set(tenant.auth).expect(204);
    await request(api.http).get('/v1/shared-revision').set(bearer(live.body.token)).expect(404);
  });
});
