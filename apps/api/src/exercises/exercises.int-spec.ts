// Webhook-graded exercises over REST against the real PostgreSQL and Redis: publish the shipped
// exercises, grade correct and incorrect submissions on the BullMQ `grading` queue, and receive
// `submission.graded` on a real HTTP receiver on loopback (allowlisted), verified with
// standardwebhooks. Also: retries, disabling a dead endpoint, the SSRF refusal and tenant isolation.
import {
  startTestReceiver,
  waitFor,
  type ScriptedResponse,
  type TestReceiver,
} from '@netplay/testing';
import { loadBuiltinExercises, readExercise } from '@netplay/grading';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import {
  describeWithServices,
  openTestGradingWorker,
  type TestGradingWorker,
  startTestApi,
  type TestApi,
  SHIPPED_EXERCISE_FILES,
  setLoopbackTestEnvironment,
} from '../testing/test-api';

jest.setTimeout(90_000);

const EXERCISE_FILES = SHIPPED_EXERCISE_FILES;
const WAIT_MS = 30_000;

type Tenant = Awaited<ReturnType<TestApi['newTenant']>>;

describeWithServices('webhook-graded exercises over REST', () => {
  let api: TestApi;
  let worker: TestGradingWorker;
  const receivers: TestReceiver[] = [];

  beforeAll(async () => {
    setLoopbackTestEnvironment();
    process.env.NETPLAY_WEBHOOK_RETRY_DELAYS_MS = '50,50,50,50';
    process.env.NETPLAY_WEBHOOK_DISABLE_AFTER_FAILURES = '3';
    api = await startTestApi();
    worker = await openTestGradingWorker(api, 4);
  });

  afterAll(async () => {
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
    await worker?.close();
    await api?.close();
  });

  async function receiver(script: ScriptedResponse[]): Promise<TestReceiver> {
    const started = await startTestReceiver(script);
    receivers.push(started);
    return started;
  }

  async function publish(tenant: Tenant, yaml: string): Promise<string> {
    const created = await request(api.http)
      .post('/v1/exercises')
      .set(tenant.auth)
      .send({ yaml })
      .expect(201);
    return created.body.id as string;
  }

  async function subscribe(tenant: Tenant, url: string): Promise<{ id: string; secret: string }> {
    const created = await request(api.http)
      .post('/v1/webhook-endpoints')
      .set(tenant.auth)
      .send({ url, eventTypes: ['submission.graded'] })
      .expect(201);
    return { id: created.body.id as string, secret: created.body.secret as string };
  }

  async function graded(
    tenant: Tenant,
    submissionId: string,
    view = 'learner',
  ): Promise<request.Response> {
    let response: request.Response | undefined;
    await waitFor(
      `submission ${submissionId} to be graded`,
      async () => {
        response = await request(api.http)
          .get(`/v1/submissions/${submissionId}?view=${view}`)
          .set(tenant.auth)
          .expect(200);
        return response.body.status !== 'queued';
      },
      { timeoutMs: WAIT_MS },
    );
    return response as request.Response;
  }

  it('grades a correct and an incorrect submission of each shipped exercise and delivers signed submission.graded events', async () => {
    const tenant = await api.newTenant();
    const hooks = await receiver([{ status: 204 }]);
    const endpoint = await subscribe(tenant, hooks.url);
    expect(endpoint.secret).toMatch(/^whsec_/);
    const { exercises } = loadBuiltinExercises(EXERCISE_FILES);
    expect(exercises).toHaveLength(EXERCISE_FILES.length);

    const expected = new Map<string, { exerciseSlug: string; passed: boolean }>();
    for (const file of EXERCISE_FILES) {
      const exercise = readExercise(file.content).exercise!;
      const exerciseId = await publish(tenant, file.content);
      const submissions = [
        {
          learnerRef: 'learner-1',
          manifests: exercise.startingManifests,
          mode: 'full',
          passed: false,
        },
        {
          learnerRef: 'learner-1',
          manifests: exercise.referenceSolution!.manifests,
          mode: exercise.referenceSolution!.mode,
          passed: true,
        },
      ];
      for (const { passed, ...body } of submissions) {
        const submitted = await request(api.http)
          .post(`/v1/exercises/${exerciseId}/submissions`)
          .set(tenant.auth)
          .send(body)
          .expect(202);
        expect(submitted.headers.location).toBe(`/v1/submissions/${submitted.body.id}`);
        expect(submitted.body.status).toBe('queued');
        expected.set(submitted.body.id, { exerciseSlug: exercise.name, passed });
        const done = await graded(tenant, submitted.body.id);
        expect(done.body).toMatchObject({ status: 'graded', result: { passed } });
        expect(done.body.score === done.body.maxScore).toBe(passed);
      }
      const scores = await request(api.http)
        .get(`/v1/exercises/${exerciseId}/learners/learner-1/scores`)
        .set(tenant.auth)
        .expect(200);
      expect(scores.body.best.result.passed).toBe(true);
      expect(scores.body.latest.result.passed).toBe(true);
      expect(scores.body.best.score).toBe(scores.body.best.maxScore);
    }

    await waitFor(
      'every submission.graded delivery',
      () => hooks.requests.length >= expected.size,
      { timeoutMs: WAIT_MS },
    );
    const verifier = new Webhook(endpoint.secret);
    const received = hooks.requests.map(
      (hook) =>
        verifier.verify(hook.body, hook.headers as Record<string, string>) as {
          type: string;
          data: { submissionId: string; exerciseSlug: string; score: number; maxScore: number };
        },
    );
    expect(received).toHaveLength(expected.size);
    for (const event of received) {
      const wanted = expected.get(event.data.submissionId);
      expect(event.type).toBe('submission.graded');
      expect(event.data.exerciseSlug).toBe(wanted?.exerciseSlug);
      expect(event.data.score === event.data.maxScore).toBe(wanted?.passed);
    }
  });

  it('hides hidden checks from the learner view and shows them with ?view=full', async () => {
    const tenant = await api.newTenant();
    const file = EXERCISE_FILES[0];
    const exercise = readExercise(file.content).exercise!;
    const exerciseId = await publish(tenant, file.content);
    const submitted = await request(api.http)
      .post(`/v1/exercises/${exerciseId}/submissions`)
      .set(tenant.auth)
      .send({ learnerRef: 'l', manifests: exercise.startingManifests, mode: 'full' })
      .expect(202);
    const learner = await graded(tenant, submitted.body.id);
    const full = await graded(tenant, submitted.body.id, 'full');
    const hidden = exercise.checks.filter((check) => check.hidden).map((check) => check.id);
    expect(hidden.length).toBeGreaterThan(0);
    expect(learner.body.result.checks.map((check: { id: string }) => check.id)).not.toEqual(
      expect.arrayContaining(hidden),
    );
    expect(learner.body.result.hiddenChecks.count).toBe(hidden.length);
    expect(full.body.result.checks.map((check: { id: string }) => check.id)).toEqual(
      exercise.checks.map((check) => check.id),
    );
  });

  it('reads an exercise stored without its digest (published before digests were): computed once, then kept', async () => {
    const tenant = await api.newTenant();
    const file = EXERCISE_FILES[0];
    const exercise = readExercise(file.content).exercise!;
    const exerciseId = await publish(tenant, file.content);
    const repository = api.api.infra.exercises;
    const published = (await repository.get(tenant.tenantId, exerciseId))!;
    const points = exercise.checks.reduce((sum, check) => sum + check.points, 0);
    expect(published.points).toBe(points);
    // As a row from before the digest columns: re-stored without one.
    const { slug, title, instructions, yaml, validated } = published;
    await repository.upsert(tenant.tenantId, { slug, title, instructions, yaml, validated });
    expect((await repository.get(tenant.tenantId, exerciseId))?.points).toBeNull();

    const listed = await request(api.http).get('/v1/exercises').set(tenant.auth).expect(200);
    const visible = exercise.checks
      .filter((check) => !check.hidden)
      .map(({ id, title, points }) => ({ id, title, points }));
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: exerciseId, checks: visible }),
    ]);
    expect(listed.body.items[0]).not.toHaveProperty('yaml');
    const stored = await repository.get(tenant.tenantId, exerciseId);
    expect(stored).toEqual(expect.objectContaining({ points, visibleChecks: visible }));
    expect(stored?.learnerYaml).toContain('startingManifests');
    expect(stored?.learnerYaml).not.toContain('referenceSolution');

    const read = await request(api.http)
      .get(`/v1/exercises/${exerciseId}`)
      .set(tenant.auth)
      .expect(200);
    expect(read.body).toEqual(expect.objectContaining({ yaml: file.content, checks: visible }));
  });

  it('retries a receiver that answers 500 twice: three attempts of one event id', async () => {
    const tenant = await api.newTenant();
    const hooks = await receiver([{ status: 500 }, { status: 500 }, { status: 200 }]);
    const endpoint = await subscribe(tenant, hooks.url);
    const exercise = readExercise(EXERCISE_FILES[0].content).exercise!;
    const exerciseId = await publish(tenant, EXERCISE_FILES[0].content);
    await request(api.http)
      .post(`/v1/exercises/${exerciseId}/submissions`)
      .set(tenant.auth)
      .send({ learnerRef: 'l', manifests: exercise.startingManifests, mode: 'full' })
      .expect(202);

    await waitFor('three attempts', () => hooks.requests.length >= 3, { timeoutMs: WAIT_MS });
    expect(new Set(hooks.requests.map((hook) => hook.headers['webhook-id'])).size).toBe(1);
    let log: request.Response | undefined;
    await waitFor(
      'three logged attempts',
      async () => {
        log = await request(api.http)
          .get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`)
          .set(tenant.auth)
          .expect(200);
        return log.body.items.length === 3;
      },
      { timeoutMs: WAIT_MS },
    );
    expect(
      log?.body.items.map((item: { attempt: number; statusCode: number }) => [
        item.attempt,
        item.statusCode,
      ]),
    ).toEqual([
      [3, 200],
      [2, 500],
      [1, 500],
    ]);
  });

  it('disables an endpoint whose receiver is down and records a tenant event', async () => {
    const tenant = await api.newTenant();
    const down = await startTestReceiver([{ status: 200 }]);
    await down.close();
    const endpoint = await subscribe(tenant, down.url);
    const exercise = readExercise(EXERCISE_FILES[0].content).exercise!;
    const exerciseId = await publish(tenant, EXERCISE_FILES[0].content);
    await request(api.http)
      .post(`/v1/exercises/${exerciseId}/submissions`)
      .set(tenant.auth)
      .send({ learnerRef: 'l', manifests: exercise.startingManifests, mode: 'full' })
      .expect(202);

    await waitFor(
      'the endpoint to be disabled',
      async () =>
        (
          await request(api.http)
            .get(`/v1/webhook-endpoints/${endpoint.id}`)
            .set(tenant.auth)
            .expect(200)
        ).body.disabledAt !== null,
      { timeoutMs: WAIT_MS },
    );
    const events = await request(api.http).get('/v1/tenant-events').set(tenant.auth).expect(200);
    expect(events.body.items).toEqual([
      expect.objectContaining({
        type: 'endpoint.disabled',
        data: expect.objectContaining({ endpointId: endpoint.id }),
      }),
    ]);
  });

  it.each([
    'http://169.254.169.254/latest/meta-data/',
    'http://10.0.0.5/hooks',
    'ftp://example.com/hooks',
  ])('refuses the endpoint URL %s with 422', async (url) => {
    const tenant = await api.newTenant();
    const refused = await request(api.http)
      .post('/v1/webhook-endpoints')
      .set(tenant.auth)
      .send({ url, eventTypes: ['submission.graded'] })
      .expect(422);
    expect(refused.body.error).toMatchObject({
      code: 'unsafe-webhook-url',
      details: [expect.objectContaining({ field: 'url' })],
    });
  });

  it('refuses an exercise that cannot teach with 422 naming the check', async () => {
    const tenant = await api.newTenant();
    const exercise = readExercise(EXERCISE_FILES[0].content).exercise!;
    // The starting manifests as the reference solution: no check can pass on it.
    const broken = EXERCISE_FILES[0].content.replace(
      /referenceSolution:[\s\S]*$/,
      'referenceSolution:\n    mode: full\n    manifests: |\n' +
        indent(exercise.startingManifests, 6),
    );
    const refused = await request(api.http)
      .post('/v1/exercises')
      .set(tenant.auth)
      .send({ yaml: broken })
      .expect(422);
    expect(refused.body.error.code).toBe('invalid-exercise');
    expect(refused.body.error.message).toMatch(/check "[^"]+": fails on the reference solution/);
    expect(refused.body.error.details[0]).toMatchObject({
      code: 'CHECK_FAILS_ON_REFERENCE',
      field: expect.stringMatching(/^yaml: spec\.checks\[\d+\]$/),
    });
  });

  it('answers 400 naming the field for a submission without a mode', async () => {
    const tenant = await api.newTenant();
    const exerciseId = await publish(tenant, EXERCISE_FILES[0].content);
    const refused = await request(api.http)
      .post(`/v1/exercises/${exerciseId}/submissions`)
      .set(tenant.auth)
      .send({ learnerRef: 'l', manifests: '' })
      .expect(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ field: 'mode' })]);
  });

  it('pings an endpoint with a signed endpoint.ping, whatever it subscribes to, and logs the attempt', async () => {
    const tenant = await api.newTenant();
    const hooks = await receiver([{ status: 200 }]);
    const endpoint = await subscribe(tenant, hooks.url);
    const pinged = await request(api.http)
      .post(`/v1/webhook-endpoints/${endpoint.id}/ping`)
      .set(tenant.auth)
      .expect(202);
    expect(pinged.body).toEqual({
      eventId: expect.any(String),
      endpointId: endpoint.id,
      type: 'endpoint.ping',
    });
    await waitFor('the ping', () => hooks.requests.length === 1, { timeoutMs: WAIT_MS });
    const [hook] = hooks.requests;
    expect(hook.headers['webhook-id']).toBe(pinged.body.eventId);
    const message = new Webhook(endpoint.secret).verify(
      hook.body,
      hook.headers as Record<string, string>,
    );
    expect(message).toEqual({
      type: 'endpoint.ping',
      timestamp: expect.any(String),
      data: { endpointId: endpoint.id, url: hooks.url },
    });
    await waitFor(
      'the ping in the delivery log',
      async () => {
        const log = await request(api.http)
          .get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`)
          .set(tenant.auth)
          .expect(200);
        return log.body.items.some(
          (attempt: { eventId: string; statusCode: number }) =>
            attempt.eventId === pinged.body.eventId && attempt.statusCode === 200,
        );
      },
      { timeoutMs: WAIT_MS },
    );
    const other = await api.newTenant();
    const refused = await request(api.http)
      .post(`/v1/webhook-endpoints/${endpoint.id}/ping`)
      .set(other.auth)
      .expect(404);
    expect(refused.body.error.code).toBe('not-found');
  });

  it("keeps tenants apart: another tenant's exercise, submission and endpoint are not found", async () => {
    const owner = await api.newTenant();
    const stranger = await api.newTenant();
    const hooks = await receiver([{ status: 204 }]);
    const endpoint = await subscribe(owner, hooks.url);
    const exercise = readExercise(EXERCISE_FILES[0].content).exercise!;
    const exerciseId = await publish(owner, EXERCISE_FILES[0].content);
    const submitted = await request(api.http)
      .post(`/v1/exercises/${exerciseId}/submissions`)
      .set(owner.auth)
      .send({ learnerRef: 'l', manifests: exercise.startingManifests, mode: 'full' })
      .expect(202);

    for (const path of [
      `/v1/exercises/${exerciseId}`,
      `/v1/submissions/${submitted.body.id}`,
      `/v1/webhook-endpoints/${endpoint.id}`,
      `/v1/webhook-endpoints/${endpoint.id}/deliveries`,
      `/v1/exercises/${exerciseId}/learners/l/scores`,
    ]) {
      const response = await request(api.http).get(path).set(stranger.auth).expect(404);
      expect(response.body.error.code).toBe('not-found');
    }
    await request(api.http)
      .post(`/v1/exercises/${exerciseId}/submissions`)
      .set(stranger.auth)
      .send({ learnerRef: 'l', manifests: '', mode: 'full' })
      .expect(404);
    await request(api.http)
      .delete(`/v1/webhook-endpoints/${endpoint.id}`)
      .set(stranger.auth)
      .expect(404);
    await request(api.http).delete(`/v1/exercises/${exerciseId}`).set(stranger.auth).expect(404);
    // Nor replay the owner's messages, rotate its secret or ping its endpoint (F18).
    const pinged = await request(api.http)
      .post(`/v1/webhook-endpoints/${endpoint.id}/ping`)
      .set(owner.auth)
      .expect(202);
    for (const [path, body] of [
      [`/v1/webhook-events/${pinged.body.eventId}/redeliver`, {}],
      [`/v1/webhook-events/${pinged.body.eventId}/redeliver`, { endpointId: endpoint.id }],
      [`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`, {}],
      [`/v1/webhook-endpoints/${endpoint.id}/ping`, {}],
    ] as const) {
      const response = await request(api.http).post(path).set(stranger.auth).send(body);
      expect([path, response.status, response.body.error?.code]).toEqual([path, 404, 'not-found']);
    }
    expect(
      (await request(api.http).get('/v1/exercises').set(stranger.auth).expect(200)).body.items,
    ).toEqual([]);
    expect(
      (await request(api.http).get('/v1/webhook-endpoints').set(stranger.auth).expect(200)).body
        .items,
    ).toEqual([]);
    await graded(owner, submitted.body.id);
  });
});

function indent(text: string, spaces: number): string {
  return text
    .split('\n')
    .map((line) => (line ? ' '.repeat(spaces) + line : line))
    .join('\n');
}
