// Learner sessions against the real PostgreSQL and Redis: a tenant makes a session per learner; each
// session sees and changes only its own sandboxes, runs and submissions, in REST and GraphQL
// (subscriptions included); an expired or revoked token is refused; tenant-only routes are 403.
import { createClient, type Client } from 'graphql-ws';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import WebSocket from 'ws';
import { withTimeout } from '@netplay/testing';
import { startInProcessWorker, type TestWorker } from '../testing/run-worker';
import { describeWithServices, startTestApi, type TestApi } from '../testing/test-api';
import { LearnerSessionsService } from './learner-sessions.service';

jest.setTimeout(60_000);

const REPO = path.resolve(__dirname, '../../../..');
const WEBSITE = readFileSync(path.join(REPO, 'examples/manifests/website.yaml'), 'utf8');
const EXERCISE = readFileSync(path.join(REPO, 'exercises/fix-the-dns-name.yaml'), 'utf8');
const WGET = {
  name: 'wget',
  probe: { from: 'default/client', to: 'http://website.default/' },
};

type Tenant = Awaited<ReturnType<TestApi['newTenant']>>;
interface Learner {
  token: string;
  sessionId: string;
  auth: { Authorization: string };
}

describeWithServices('learner sessions (PostgreSQL + Redis)', () => {
  let api: TestApi;
  let worker: TestWorker;
  let wsUrl: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    api = await startTestApi({ runWaitMaxMs: 15_000 });
    worker = startInProcessWorker(api.api.infra);
    await api.api.app.listen(0, '127.0.0.1');
    wsUrl = `ws://127.0.0.1:${(api.api.app.getHttpServer().address() as AddressInfo).port}/graphql`;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await worker?.close();
    await api?.close();
  });

  async function newLearner(
    tenant: Tenant,
    learnerRef: string,
    extra: Record<string, unknown> = {},
  ): Promise<Learner> {
    const created = await request(api.http)
      .post('/v1/learner-sessions')
      .set(tenant.auth)
      .send({ learnerRef, ...extra })
      .expect(201);
    const token = created.body.token as string;
    return {
      token,
      sessionId: created.body.session.id,
      auth: { Authorization: `Bearer ${token}` },
    };
  }

  async function newSandbox(auth: { Authorization: string }, name: string): Promise<string> {
    const created = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .send({ name, manifests: WEBSITE })
      .expect(201);
    return created.body.id as string;
  }

  async function graphql(
    auth: { Authorization: string },
    query: string,
    variables: Record<string, unknown> = {},
  ) {
    const response = await request(api.http).post('/graphql').set(auth).send({ query, variables });
    return {
      data: response.body.data as Record<string, unknown> | undefined,
      codes: (response.body.errors ?? []).map(
        (error: { extensions: { code: string } }) => error.extensions.code,
      ) as string[],
    };
  }

  function subscribe(auth: { Authorization: string }, runId: string): Promise<string[]> {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: auth.Authorization },
      retryAttempts: 0,
    });
    clients.push(client);
    const statuses: string[] = [];
    return new Promise<string[]>((resolve, reject) => {
      client.subscribe<{ runStatusChanged: { status: string } }>(
        {
          query: 'subscription($runId: ID!) { runStatusChanged(runId: $runId) { status } }',
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
  }

  it('answers a token, the page URL at the exercise and an embed URL; bounds are 400 naming the field', async () => {
    const tenant = await api.newTenant();
    const exercise = await request(api.http)
      .post('/v1/exercises')
      .set(tenant.auth)
      .send({ yaml: EXERCISE })
      .expect(201);
    const before = Date.now();
    const created = await request(api.http)
      .post('/v1/learner-sessions')
      .set(tenant.auth)
      .send({ learnerRef: 'lms-1', exerciseId: exercise.body.id, ttl: 600 })
      .expect(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^nls_[A-Za-z0-9_-]{43}$/);
    expect(created.body.url).toBe(`/exercises/${exercise.body.id}#token=${token}`);
    expect(created.body.embedUrl).toBe(
      `/embed/${tenant.tenantId}/exercises/${exercise.body.id}#token=${token}`,
    );
    const expiresAt = Date.parse(created.body.expiresAt);
    expect(expiresAt - before).toBeGreaterThanOrEqual(599_000);
    expect(expiresAt - before).toBeLessThanOrEqual(601_000 + 5_000);
    expect(created.body.session).toMatchObject({
      learnerRef: 'lms-1',
      role: 'learner',
      exerciseId: exercise.body.id,
      sandboxId: null,
      revokedAt: null,
    });

    const refusals: [Record<string, unknown>, string][] = [
      [{ learnerRef: 'a', ttl: 59 }, 'ttl'],
      [{ learnerRef: 'a', ttl: 12 * 3600 + 1 }, 'ttl'],
      [{ learnerRef: '' }, 'learnerRef'],
      [{ learnerRef: 'x'.repeat(201) }, 'learnerRef'],
      [{ learnerRef: 'a', role: 'admin' }, 'role'],
      [{ learnerRef: 'a', exerciseId: '00000000-0000-4000-8000-000000000000' }, 'exerciseId'],
      [{ learnerRef: 'a', sandboxId: 'nope' }, 'sandboxId'],
    ];
    for (const [body, field] of refusals) {
      const refused = await request(api.http)
        .post('/v1/learner-sessions')
        .set(tenant.auth)
        .send(body)
        .expect(400);
      expect(refused.body.error.details.map((detail: { field: string }) => detail.field)).toContain(
        field,
      );
    }
  });

  it("a learner cannot read, list, update, delete, view or run another learner's sandbox in REST (404); the tenant sees both", async () => {
    const tenant = await api.newTenant();
    const alice = await newLearner(tenant, 'alice');
    const bob = await newLearner(tenant, 'bob');
    const aliceSandbox = await newSandbox(alice.auth, 'alice-website');
    const bobSandbox = await newSandbox(bob.auth, 'bob-website');
    const aliceRun = await request(api.http)
      .post(`/v1/sandboxes/${aliceSandbox}/runs?wait=true`)
      .set(alice.auth)
      .send({ steps: [WGET] })
      .expect(200);
    expect(aliceRun.body.status).toBe('succeeded');

    await request(api.http).get(`/v1/sandboxes/${aliceSandbox}`).set(bob.auth).expect(404);
    await request(api.http)
      .patch(`/v1/sandboxes/${aliceSandbox}`)
      .set(bob.auth)
      .send({ version: 1, description: 'mine now' })
      .expect(404);
    await request(api.http)
      .get(`/v1/sandboxes/${aliceSandbox}/revisions`)
      .set(bob.auth)
      .expect(404);
    await request(api.http)
      .get(`/v1/sandboxes/${aliceSandbox}/views/pods`)
      .set(bob.auth)
      .expect(404);
    await request(api.http)
      .post(`/v1/sandboxes/${aliceSandbox}/runs`)
      .set(bob.auth)
      .send({ steps: [WGET] })
      .expect(404);
    await request(api.http).get(`/v1/runs/${aliceRun.body.id}`).set(bob.auth).expect(404);
    const bobRuns = await request(api.http).get('/v1/runs').set(bob.auth).expect(200);
    expect(bobRuns.body.items).toEqual([]);
    await request(api.http).delete(`/v1/sandboxes/${aliceSandbox}`).set(bob.auth).expect(404);

    const bobList = await request(api.http).get('/v1/sandboxes').set(bob.auth).expect(200);
    expect(bobList.body.items.map((item: { id: string }) => item.id)).toEqual([bobSandbox]);
    const tenantList = await request(api.http).get('/v1/sandboxes').set(tenant.auth).expect(200);
    expect(tenantList.body.items.map((item: { id: string }) => item.id).sort()).toEqual(
      [aliceSandbox, bobSandbox].sort(),
    );
    // A tenant key's sandbox belongs to no learner: learners do not see it either.
    const shared = await newSandbox(tenant.auth, 'tenant-website');
    await request(api.http).get(`/v1/sandboxes/${shared}`).set(alice.auth).expect(404);

    // Alice still has everything, unchanged.
    const read = await request(api.http).get(`/v1/sandboxes/${aliceSandbox}`).set(alice.auth);
    expect(read.status).toBe(200);
    expect(read.body.version).toBe(1);
    const aliceRuns = await request(api.http).get('/v1/runs').set(alice.auth).expect(200);
    expect(aliceRuns.body.items.map((run: { id: string }) => run.id)).toEqual([aliceRun.body.id]);
    await request(api.http).get(`/v1/runs/${aliceRun.body.id}`).set(tenant.auth).expect(200);
  });

  it("a learner gets NOT_FOUND for another learner's sandbox and run in GraphQL, subscriptions included", async () => {
    const tenant = await api.newTenant();
    const alice = await newLearner(tenant, 'alice');
    const bob = await newLearner(tenant, 'bob');
    const sandboxId = await newSandbox(alice.auth, 'alice-website');
    const submitted = await graphql(
      alice.auth,
      'mutation($id: ID!, $steps: [StepInput!]!) { submitRun(sandboxId: $id, steps: $steps) { id } }',
      { id: sandboxId, steps: [WGET] },
    );
    expect(submitted.codes).toEqual([]);
    const runId = (submitted.data?.submitRun as { id: string }).id;
    await withTimeout(subscribe(alice.auth, runId), 20_000, "alice's run to finish");

    const probes: [string, Record<string, unknown>][] = [
      ['query($id: ID!) { sandbox(id: $id) { id } }', { id: sandboxId }],
      ['query($id: ID!) { run(id: $id) { id } }', { id: runId }],
      [
        'mutation($id: ID!) { submitRun(sandboxId: $id, steps: [{cordon: "node-1"}]) { id } }',
        { id: sandboxId },
      ],
      [
        'mutation($id: ID!) { updateSandbox(id: $id, input: {version: 1, description: "x"}) { sandbox { id } } }',
        { id: sandboxId },
      ],
      ['mutation($id: ID!) { deleteSandbox(id: $id) }', { id: sandboxId }],
    ];
    for (const [query, variables] of probes)
      expect((await graphql(bob.auth, query, variables)).codes).toEqual(['NOT_FOUND']);
    const listed = await graphql(
      bob.auth,
      '{ sandboxes { edges { node { id } } } runs { edges { cursor } } }',
    );
    expect(listed.data).toEqual({ sandboxes: { edges: [] }, runs: { edges: [] } });
    await expect(withTimeout(subscribe(bob.auth, runId), 20_000, 'the refusal')).rejects.toThrow(
      /NOT_FOUND/,
    );
    const own = await graphql(alice.auth, '{ sandboxes { edges { node { id } } } }');
    expect(own.data).toEqual({ sandboxes: { edges: [{ node: { id: sandboxId } }] } });
  });

  it('submissions: a learner submits as itself only and reads only its own, hidden checks hidden; an instructor reads all', async () => {
    const tenant = await api.newTenant();
    const exercise = await request(api.http)
      .post('/v1/exercises')
      .set(tenant.auth)
      .send({ yaml: EXERCISE })
      .expect(201);
    const exerciseId = exercise.body.id as string;
    const alice = await newLearner(tenant, 'alice', { exerciseId });
    const bob = await newLearner(tenant, 'bob', { exerciseId });
    const teacher = await newLearner(tenant, 'teacher', { role: 'instructor' });

    // The exercise reads without its reference solution and checks.
    const read = await request(api.http).get(`/v1/exercises/${exerciseId}`).set(alice.auth);
    expect(read.status).toBe(200);
    expect(read.body.yaml).toContain('startingManifests');
    expect(read.body.yaml).not.toContain('referenceSolution');
    expect(exercise.body.yaml).toContain('referenceSolution');

    await request(api.http)
      .post(`/v1/exercises/${exerciseId}/submissions`)
      .set(alice.auth)
      .send({ learnerRef: 'bob', manifests: WEBSITE, mode: 'full' })
      .expect(403);
    const submitted = await request(api.http)
      .post(`/v1/exercises/${exerciseId}/submissions`)
      .set(alice.auth)
      .send({ learnerRef: 'alice', manifests: WEBSITE, mode: 'full' })
      .expect(202);
    const submissionId = submitted.body.id as string;

    await request(api.http).get(`/v1/submissions/${submissionId}`).set(bob.auth).expect(404);
    const bobReads = await graphql(bob.auth, 'query($id: ID!) { submission(id: $id) { id } }', {
      id: submissionId,
    });
    expect(bobReads.codes).toEqual(['NOT_FOUND']);
    const scores = await request(api.http)
      .get(`/v1/exercises/${exerciseId}/learners/alice/scores`)
      .set(bob.auth)
      .expect(200);
    expect(scores.body).toMatchObject({ best: null, latest: null });

    const own = await request(api.http)
      .get(`/v1/submissions/${submissionId}?view=full`)
      .set(alice.auth)
      .expect(200);
    expect(own.body.learnerRef).toBe('alice');
    const ownScores = await request(api.http)
      .get(`/v1/exercises/${exerciseId}/learners/alice/scores`)
      .set(alice.auth)
      .expect(200);
    expect(ownScores.body.latest.id).toBe(submissionId);
    const byTeacher = await request(api.http)
      .get(`/v1/submissions/${submissionId}`)
      .set(teacher.auth)
      .expect(200);
    expect(byTeacher.body.id).toBe(submissionId);
    // An instructor's own sandboxes are still its own.
    const aliceSandbox = await newSandbox(alice.auth, 'alice-website');
    await request(api.http).get(`/v1/sandboxes/${aliceSandbox}`).set(teacher.auth).expect(404);
  });

  it("an instructor session and the tenant see every learner's results of an exercise; a learner session is refused in REST and GraphQL", async () => {
    const tenant = await api.newTenant();
    const exercise = await request(api.http)
      .post('/v1/exercises')
      .set(tenant.auth)
      .send({ yaml: EXERCISE })
      .expect(201);
    const exerciseId = exercise.body.id as string;
    const alice = await newLearner(tenant, 'alice', { exerciseId });
    const teacher = await newLearner(tenant, 'teacher', { role: 'instructor', exerciseId });
    for (const attempt of [1, 2])
      await request(api.http)
        .post(`/v1/exercises/${exerciseId}/submissions`)
        .set(alice.auth)
        .send({ learnerRef: 'alice', manifests: `# attempt ${attempt}\n${WEBSITE}`, mode: 'full' })
        .expect(202);

    const byTeacher = await request(api.http)
      .get(`/v1/exercises/${exerciseId}/results`)
      .set(teacher.auth)
      .expect(200);
    // No LTI launch: no roster, only the learners who submitted.
    expect(byTeacher.body).toMatchObject({
      exerciseId,
      roster: { status: 'none', message: null, truncated: false },
      summary: { learners: 1, attempted: 1, instructors: 0 },
      items: [{ learnerRef: 'alice', attempts: 2, inRoster: false, name: null }],
    });
    const byTenant = await request(api.http)
      .get(`/v1/exercises/${exerciseId}/results`)
      .set(tenant.auth)
      .expect(200);
    expect(byTenant.body.items).toEqual(byTeacher.body.items);

    const refused = await request(api.http)
      .get(`/v1/exercises/${exerciseId}/results`)
      .set(alice.auth)
      .expect(403);
    expect(refused.body.error.code).toBe('forbidden');
    const query = 'query($id: ID!) { exerciseResults(exerciseId: $id) { items { learnerRef } } }';
    expect((await graphql(alice.auth, query, { id: exerciseId })).codes).toEqual(['FORBIDDEN']);
    expect((await graphql(teacher.auth, query, { id: exerciseId })).data).toEqual({
      exerciseResults: { items: [{ learnerRef: 'alice' }] },
    });
    // Another tenant's exercise is not found.
    const other = await newLearner(await api.newTenant(), 'teacher-2', { role: 'instructor' });
    await request(api.http).get(`/v1/exercises/${exerciseId}/results`).set(other.auth).expect(404);
  });

  it('an expired or revoked token is 401; the tenant revokes with DELETE', async () => {
    const tenant = await api.newTenant();
    const sessions = api.api.app.get(LearnerSessionsService);
    const expired = await sessions.create({
      tenantId: tenant.tenantId,
      learnerRef: 'late',
      ttl: 60,
      now: new Date(Date.now() - 61_000),
    });
    await request(api.http)
      .get('/v1/sandboxes')
      .set({ Authorization: `Bearer ${expired.token}` })
      .expect(401);

    const learner = await newLearner(tenant, 'leaving');
    await request(api.http).get('/v1/sandboxes').set(learner.auth).expect(200);
    // The page asks who it runs as; a tenant key is no learner session.
    const current = await request(api.http)
      .get('/v1/learner-sessions/current')
      .set(learner.auth)
      .expect(200);
    expect(current.body).toMatchObject({ id: learner.sessionId, learnerRef: 'leaving' });
    await request(api.http).get('/v1/learner-sessions/current').set(tenant.auth).expect(404);
    await request(api.http)
      .get(`/v1/learner-sessions/${learner.sessionId}`)
      .set(learner.auth)
      .expect(403);
    await request(api.http)
      .delete(`/v1/learner-sessions/${learner.sessionId}`)
      .set(tenant.auth)
      .expect(204);
    await request(api.http).get('/v1/sandboxes').set(learner.auth).expect(401);
    const gql = await request(api.http)
      .post('/graphql')
      .set(learner.auth)
      .send({ query: '{ sandboxes { edges { cursor } } }' });
    expect(gql.status).toBe(401);
    const session = await request(api.http)
      .get(`/v1/learner-sessions/${learner.sessionId}`)
      .set(tenant.auth)
      .expect(200);
    expect(session.body.revokedAt).not.toBeNull();
    await request(api.http)
      .delete(`/v1/learner-sessions/${learner.sessionId}`)
      .set(tenant.auth)
      .expect(404);
    // Another tenant cannot revoke (or see) the session.
    const other = await api.newTenant();
    const live = await newLearner(tenant, 'staying');
    await request(api.http)
      .delete(`/v1/learner-sessions/${live.sessionId}`)
      .set(other.auth)
      .expect(404);
    await request(api.http).get('/v1/sandboxes').set(live.auth).expect(200);
  });

  it('a learner cannot create sessions or keys, publish exercises, or touch webhooks and LTI (403)', async () => {
    const tenant = await api.newTenant();
    const learner = await newLearner(tenant, 'curious');
    await request(api.http)
      .post('/v1/learner-sessions')
      .set(learner.auth)
      .send({ learnerRef: 'someone-else' })
      .expect(403);
    await request(api.http)
      .delete(`/v1/learner-sessions/${learner.sessionId}`)
      .set(learner.auth)
      .expect(403);
    await request(api.http)
      .post(`/v1/admin/tenants/${tenant.tenantId}/api-keys`)
      .set(learner.auth)
      .send({ name: 'mine' })
      .expect(401);
    await request(api.http)
      .post('/v1/exercises')
      .set(learner.auth)
      .send({ yaml: EXERCISE })
      .expect(403);
    await request(api.http).get('/v1/webhook-endpoints').set(learner.auth).expect(403);
    await request(api.http).get('/v1/lti/platforms').set(learner.auth).expect(403);
    const mutation = await graphql(
      learner.auth,
      'mutation($yaml: String!) { createExercise(yaml: $yaml) { id } }',
      { yaml: EXERCISE },
    );
    expect(mutation.codes).toEqual(['FORBIDDEN']);
  });
});
