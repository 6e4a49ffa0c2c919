// Webhook-graded exercises over REST against the real PostgreSQL and Redis: publish the shipped
// exercises, grade correct and incorrect submissions on the BullMQ `grading` queue, and receive
// `submission.graded` on a real HTTP receiver on loopback (allowlisted), verified with
// standardwebhooks. Also: retries, disabling a dead endpoint, the SSRF refusal and tenant isolation.
import { loadBuiltinExercises, readExercise } from '@netplay/grading';
import type { GradingRuntime } from '@netplay/jobs';
import { QUEUE_NAMES } from '@netplay/contracts';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { uniqueQueuePrefix } from '../../../../libs/queue/src/testing/redis';
import {
  startTestReceiver,
  waitFor,
  type ScriptedResponse,
  type TestReceiver,
} from '../../../../libs/webhooks/src/testing/test-receiver';
import {
  describeWithServices,
  openTestGradingWorker,
  REDIS_URL,
  startTestApi,
  type TestApi,
} from '../testing/test-api';

jest.setTimeout(90_000);

const EXERCISES_DIR = path.resolve(__dirname, '../../../../exercises');
const EXERCISE_FILES = readdirSync(EXERCISES_DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => ({ name, content: readFileSync(path.join(EXERCISES_DIR, name), 'utf8') }));
const WAIT_MS = 30_000;

type Tenant = Awaited<ReturnType<TestApi['newTenant']>>;

describeWithServices('webhook-graded exercises over REST', () => {
  let api: TestApi;
  let worker: GradingRuntime;
  const queuePrefix = uniqueQueuePrefix();
  const receivers: TestReceiver[] = [];

  beforeAll(async () => {
    process.env.WEBHOOK_ALLOWED_HOSTS = '127.0.0.1/32';
    process.env.NETPLAY_WEBHOOK_RETRY_DELAYS_MS = '50,50,50,50';
    process.env.NETPLAY_WEBHOOK_DISABLE_AFTER_FAILURES = '3';
    process.env.NETPLAY_SECRET_KEY = randomBytes(32).toString('base64');
    api = await startTestApi({ queuePrefix });
    worker = await openTestGradingWorker(api, queuePrefix, 4);
  });

  afterAll(async () => {
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
    await worker?.close();
    await api?.close();
    for (const name of [QUEUE_NAMES.grading, QUEUE_NAMES.webhookDelivery]) {
      const queue = new Queue(name, {
        connection: { url: REDIS_URL as string },
        prefix: queuePrefix,
      });
      await queue.obliterate({ force: true }).finally(() => queue.close());
    }
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
      async () => {
        response = await request(api.http)
          .get(`/v1/submissions/${submissionId}?view=${view}`)
          .set(tenant.auth)
          .expect(200);
        return response.body.status !== 'queued';
      },
      `submission ${submissionId} to be graded`,
      WAIT_MS,
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
      () => hooks.requests.length >= expected.size,
      'every submission.graded delivery',
      WAIT_MS,
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

    await waitFor(() => hooks.requests.length >= 3, 'three attempts', WAIT_MS);
    expect(new Set(hooks.requests.map((hook) => hook.headers['webhook-id'])).size).toBe(1);
    let log: request.Response | undefined;
    await waitFor(
      async () => {
        log = await request(api.http)
          .get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`)
          .set(tenant.auth)
          .expect(200);
        return log.body.items.length === 3;
      },
      'three logged attempts',
      WAIT_MS,
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
      async () =>
        (
          await request(api.http)
            .get(`/v1/webhook-endpoints/${endpoint.id}`)
            .set(tenant.auth)
            .expect(200)
        ).body.disabledAt !== null,
      'the endpoint to be disabled',
      WAIT_MS,
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
