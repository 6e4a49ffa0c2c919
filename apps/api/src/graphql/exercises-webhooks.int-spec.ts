// GraphQL for exercises, submissions and webhook endpoints against the real PostgreSQL and Redis,
// through the same services as REST; and `run.completed` delivered to a loopback receiver
// (allowlisted) when a run finishes, verified with standardwebhooks.
import { startTestReceiver, waitFor, type TestReceiver } from '@netplay/testing';
import { readExercise } from '@netplay/grading';
import { handleScenarioRun, runCompletedPublisher } from '@netplay/jobs';
import type { JobConsumer } from '@netplay/queue';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import {
  describeWithServices,
  openTestGradingWorker,
  type TestGradingWorker,
  startTestApi,
  type TestApi,
  FIRST_EXERCISE_YAML,
  setLoopbackTestEnvironment,
} from '../testing/test-api';

jest.setTimeout(90_000);

const EXERCISE_YAML = FIRST_EXERCISE_YAML;
const EXERCISE = readExercise(EXERCISE_YAML).exercise!;
const WEBSITE = readFileSync(
  path.resolve(__dirname, '../../../../examples/manifests/website.yaml'),
  'utf8',
);
const WGET = { name: 'wget', probe: { from: 'default/client', to: 'http://website.default/' } };
const WAIT_MS = 30_000;

type Tenant = Awaited<ReturnType<TestApi['newTenant']>>;
interface GraphqlAnswer<Data> {
  data?: Data;
  errors?: { message: string; extensions: { code: string } }[];
}
interface SubmissionData {
  id: string;
  status: string;
  score: number | null;
  maxScore: number | null;
  result: {
    passed: boolean;
    checks: { id: string; trace: { __typename: string } | null }[];
    hiddenChecks?: { count: number };
  } | null;
}

const SUBMISSION_FIELDS =
  'id status score maxScore result { passed score checks { id passed trace { __typename } } hiddenChecks { count } error }';

describeWithServices('GraphQL for exercises, submissions and webhooks, and run.completed', () => {
  let api: TestApi;
  let worker: TestGradingWorker;
  let runConsumer: JobConsumer;
  const receivers: TestReceiver[] = [];

  beforeAll(async () => {
    setLoopbackTestEnvironment();
    api = await startTestApi();
    worker = await openTestGradingWorker(api, 2);
    const { infra } = api.api;
    const deps = {
      runs: infra.runs,
      revisions: infra.sandboxes,
      events: infra.runStatusEvents,
      webhooks: runCompletedPublisher(worker),
    };
    runConsumer = infra.queue.consume(
      async (job) => void (await handleScenarioRun(deps, job.payload.runId)),
    );
  });

  afterAll(async () => {
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
    await runConsumer?.close();
    await worker?.close();
    await api?.close();
  });

  async function graphql<Data>(
    tenant: Tenant,
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphqlAnswer<Data>> {
    const response = await request(api.http)
      .post('/graphql')
      .set(tenant.auth)
      .send({ query, variables });
    return { data: response.body.data, errors: response.body.errors };
  }

  async function createExercise(tenant: Tenant): Promise<string> {
    const answer = await graphql<{ createExercise: { id: string; slug: string } }>(
      tenant,
      'mutation($yaml: String!) { createExercise(yaml: $yaml) { id slug } }',
      { yaml: EXERCISE_YAML },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.createExercise.slug).toBe(EXERCISE.name);
    return answer.data!.createExercise.id;
  }

  async function gradedSubmission(
    tenant: Tenant,
    id: string,
    view: 'learner' | 'full',
  ): Promise<SubmissionData> {
    let submission: SubmissionData | undefined;
    await waitFor(
      `submission ${id} to be graded`,
      async () => {
        const answer = await graphql<{ submission: SubmissionData }>(
          tenant,
          `query($id: ID!, $view: SubmissionView) { submission(id: $id, view: $view) { ${SUBMISSION_FIELDS} } }`,
          { id, view },
        );
        submission = answer.data?.submission;
        return submission !== undefined && submission.status !== 'queued';
      },
      { timeoutMs: WAIT_MS },
    );
    return submission!;
  }

  it('submits a solution, reads the graded submission (the learner view hides hidden checks) and the learner’s scores', async () => {
    const tenant = await api.newTenant();
    const exerciseId = await createExercise(tenant);
    const solution = EXERCISE.referenceSolution!;
    const submitted = await graphql<{ submitSolution: SubmissionData }>(
      tenant,
      `mutation($exerciseId: ID!, $manifests: String!, $mode: SubmissionMode!) { submitSolution(exerciseId: $exerciseId, learnerRef: "learner-1", manifests: $manifests, mode: $mode) { ${SUBMISSION_FIELDS} } }`,
      { exerciseId, manifests: solution.manifests, mode: solution.mode },
    );
    expect(submitted.errors).toBeUndefined();
    expect(submitted.data?.submitSolution.status).toBe('queued');
    const id = submitted.data!.submitSolution.id;

    const learner = await gradedSubmission(tenant, id, 'learner');
    const full = await gradedSubmission(tenant, id, 'full');
    const hidden = EXERCISE.checks.filter((check) => check.hidden).map((check) => check.id);
    expect(hidden.length).toBeGreaterThan(0);
    expect(learner).toMatchObject({ status: 'graded', result: { passed: true } });
    expect(learner.score).toBe(learner.maxScore);
    expect(learner.result?.checks.map((check) => check.id)).not.toEqual(
      expect.arrayContaining(hidden),
    );
    expect(learner.result?.hiddenChecks?.count).toBe(hidden.length);
    expect(full.result?.checks.map((check) => check.id)).toEqual(
      EXERCISE.checks.map((check) => check.id),
    );
    // A check that probed carries its trace, typed like a run's.
    expect(full.result?.checks.map((check) => check.trace?.__typename)).toContain('ProbeTrace');

    const scores = await graphql<{
      learnerScores: { best: { id: string }; latest: { id: string } };
    }>(
      tenant,
      'query($exerciseId: ID!) { learnerScores(exerciseId: $exerciseId, learnerRef: "learner-1") { best { id } latest { id } } }',
      { exerciseId },
    );
    expect(scores.data?.learnerScores).toEqual({ best: { id }, latest: { id } });
    const listed = await graphql<{
      exercises: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean } };
    }>(tenant, '{ exercises(first: 5) { edges { node { id } } pageInfo { hasNextPage } } }');
    expect(listed.data?.exercises).toEqual({
      edges: [{ node: { id: exerciseId } }],
      pageInfo: { hasNextPage: false },
    });
  });

  it("answers NOT_FOUND for another tenant's exercise, submission and webhook endpoint", async () => {
    const owner = await api.newTenant();
    const other = await api.newTenant();
    const exerciseId = await createExercise(owner);
    const submitted = await graphql<{ submitSolution: { id: string } }>(
      owner,
      'mutation($id: ID!, $manifests: String!) { submitSolution(exerciseId: $id, learnerRef: "l", manifests: $manifests, mode: full) { id } }',
      { id: exerciseId, manifests: EXERCISE.startingManifests },
    );
    const endpoint = await graphql<{ createWebhookEndpoint: { id: string } }>(
      owner,
      'mutation { createWebhookEndpoint(input: {url: "https://hooks.example.com/x", eventTypes: ["run.completed"]}) { id } }',
    );
    // A message of the owner's to replay: its endpoint's ping.
    const pinged = await request(api.http)
      .post(`/v1/webhook-endpoints/${endpoint.data?.createWebhookEndpoint.id}/ping`)
      .set(owner.auth)
      .expect(202);
    const ownersEventId = pinged.body.eventId as string;
    const attempts: [string, Record<string, unknown>][] = [
      ['query($id: ID!) { exercise(id: $id) { id } }', { id: exerciseId }],
      ['mutation($id: ID!) { deleteExercise(id: $id) }', { id: exerciseId }],
      ['query($id: ID!) { submission(id: $id) { id } }', { id: submitted.data?.submitSolution.id }],
      [
        'mutation($id: ID!) { submitSolution(exerciseId: $id, learnerRef: "l", manifests: "", mode: full) { id } }',
        { id: exerciseId },
      ],
      [
        'query($id: ID!) { webhookDeliveries(endpointId: $id) { attempt } }',
        { id: endpoint.data?.createWebhookEndpoint.id },
      ],
      [
        'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }',
        { id: endpoint.data?.createWebhookEndpoint.id },
      ],
      // Replaying the owner's message (F18), by itself and aimed at the owner's endpoint.
      [
        'mutation($id: ID!) { redeliverWebhookEvent(eventId: $id) { eventId } }',
        { id: ownersEventId },
      ],
      [
        'mutation($id: ID!, $endpointId: ID) { redeliverWebhookEvent(eventId: $id, endpointId: $endpointId) { eventId } }',
        { id: ownersEventId, endpointId: endpoint.data?.createWebhookEndpoint.id },
      ],
    ];
    for (const [query, variables] of attempts) {
      const answer = await graphql(other, query, variables);
      expect(answer.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
    }
    const listed = await graphql<{ webhookEndpoints: unknown[]; exercises: { edges: unknown[] } }>(
      other,
      '{ webhookEndpoints { id } exercises { edges { cursor } } }',
    );
    expect(listed.data).toEqual({ webhookEndpoints: [], exercises: { edges: [] } });
  });

  it('returns the whsec_ secret only from createWebhookEndpoint and rotateWebhookSecret, never from listings', async () => {
    const tenant = await api.newTenant();
    const created = await graphql<{
      createWebhookEndpoint: { id: string; secret: string; eventTypes: string[] };
    }>(
      tenant,
      'mutation { createWebhookEndpoint(input: {url: "https://hooks.example.com/netplay", eventTypes: ["run.completed", "run.completed"]}) { id secret eventTypes } }',
    );
    expect(created.errors).toBeUndefined();
    expect(created.data?.createWebhookEndpoint.secret).toMatch(/^whsec_/);
    expect(created.data?.createWebhookEndpoint.eventTypes).toEqual(['run.completed']);
    const rotated = await graphql<{
      rotateWebhookSecret: { secret: string; previousSecretExpiresAt: string };
    }>(
      tenant,
      'mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret previousSecretExpiresAt } }',
      { id: created.data?.createWebhookEndpoint.id },
    );
    expect(rotated.data?.rotateWebhookSecret.secret).toMatch(/^whsec_/);
    expect(rotated.data?.rotateWebhookSecret.secret).not.toBe(
      created.data?.createWebhookEndpoint.secret,
    );
    expect(rotated.data?.rotateWebhookSecret.previousSecretExpiresAt).toEqual(expect.any(String));
    // The listing type has no secret field at all.
    const listing = await graphql(tenant, '{ webhookEndpoints { id secret } }');
    expect(listing.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const deleted = await graphql<{ deleteWebhookEndpoint: boolean }>(
      tenant,
      'mutation($id: ID!) { deleteWebhookEndpoint(id: $id) }',
      { id: created.data?.createWebhookEndpoint.id },
    );
    expect(deleted.data?.deleteWebhookEndpoint).toBe(true);
  });

  it.each([
    [
      'an unknown event type',
      '{url: "https://hooks.example.com/x", eventTypes: ["run.started"]}',
      'BAD_USER_INPUT',
    ],
    [
      'a private address',
      '{url: "http://10.0.0.5/hooks", eventTypes: ["run.completed"]}',
      'UNSAFE_WEBHOOK_URL',
    ],
  ])('refuses an endpoint with %s', async (_, input, code) => {
    const tenant = await api.newTenant();
    const answer = await graphql(
      tenant,
      `mutation { createWebhookEndpoint(input: ${input}) { id } }`,
    );
    expect(answer.errors?.[0]?.extensions.code).toBe(code);
  });

  it('delivers a signed run.completed event when a run finishes, logged and redeliverable', async () => {
    const tenant = await api.newTenant();
    const hooks = await startTestReceiver([{ status: 204 }]);
    receivers.push(hooks);
    const endpoint = await graphql<{ createWebhookEndpoint: { id: string; secret: string } }>(
      tenant,
      'mutation($url: String!) { createWebhookEndpoint(input: {url: $url, eventTypes: ["run.completed"]}) { id secret } }',
      { url: hooks.url },
    );
    const sandbox = await graphql<{ createSandbox: { sandbox: { id: string } } }>(
      tenant,
      'mutation($input: CreateSandboxInput!) { createSandbox(input: $input) { sandbox { id } } }',
      {
        input: { name: 'website', manifests: WEBSITE },
      },
    );
    const sandboxId = sandbox.data!.createSandbox.sandbox.id;
    const run = await graphql<{ submitRun: { id: string } }>(
      tenant,
      'mutation($id: ID!, $steps: [StepInput!]!) { submitRun(sandboxId: $id, steps: $steps) { id } }',
      { id: sandboxId, steps: [WGET, WGET] },
    );
    const runId = run.data!.submitRun.id;

    await waitFor('the run.completed delivery', () => hooks.requests.length >= 1, {
      timeoutMs: WAIT_MS,
    });
    const delivered = hooks.requests[0];
    const event = new Webhook(endpoint.data!.createWebhookEndpoint.secret).verify(
      delivered.body,
      delivered.headers as Record<string, string>,
    );
    expect(event).toEqual({
      type: 'run.completed',
      timestamp: expect.any(String),
      data: {
        runId,
        sandboxId,
        status: 'succeeded',
        summary: { steps: 2, verdicts: { delivered: 2 } },
      },
    });

    const endpointId = endpoint.data!.createWebhookEndpoint.id;
    let log: GraphqlAnswer<{
      webhookDeliveries: {
        eventId: string;
        attempt: number;
        statusCode: number;
        manual: boolean;
      }[];
    }> = {};
    await waitFor(
      'the logged attempt',
      async () => {
        log = await graphql(
          tenant,
          'query($id: ID!) { webhookDeliveries(endpointId: $id, first: 10) { eventId attempt statusCode manual } }',
          { id: endpointId },
        );
        return (log.data?.webhookDeliveries.length ?? 0) >= 1;
      },
      { timeoutMs: WAIT_MS },
    );
    const [first] = log.data!.webhookDeliveries;
    expect(first).toMatchObject({ attempt: 1, statusCode: 204, manual: false });
    const redelivered = await graphql<{
      redeliverWebhookEvent: { eventId: string; endpointIds: string[] };
    }>(
      tenant,
      'mutation($eventId: ID!) { redeliverWebhookEvent(eventId: $eventId) { eventId endpointIds } }',
      { eventId: first.eventId },
    );
    expect(redelivered.data?.redeliverWebhookEvent).toEqual({
      eventId: first.eventId,
      endpointIds: [endpointId],
    });
    await waitFor('the redelivery', () => hooks.requests.length >= 2, { timeoutMs: WAIT_MS });
    expect(hooks.requests[1].headers['webhook-id']).toBe(delivered.headers['webhook-id']);
    expect(hooks.requests[1].body).toBe(delivered.body);
  });
});
