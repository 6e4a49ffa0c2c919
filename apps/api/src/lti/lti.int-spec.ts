// LTI 1.3 score passback over the API against the real PostgreSQL and Redis: a tenant registers its
// platform, a submission carries the launch's line item, and once graded (on the BullMQ `grading`
// queue) the score reaches a platform stand-in on loopback, which checks the tool's client assertion
// with the JWKS the API serves publicly. Also: 5xx retried, 4xx recorded once, refused URLs, GraphQL.
import { startLtiPlatformStandIn, type LtiPlatformStandIn, waitFor } from '@netplay/testing';
import { readExercise } from '@netplay/grading';
import type { JSONWebKeySet } from 'jose';
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
const CLIENT_ID = 'netplay-tool';
const WAIT_MS = 30_000;

type Tenant = Awaited<ReturnType<TestApi['newTenant']>>;

describeWithServices('LTI score passback over the API', () => {
  let api: TestApi;
  let worker: TestGradingWorker;
  const platforms: LtiPlatformStandIn[] = [];

  beforeAll(async () => {
    setLoopbackTestEnvironment();
    api = await startTestApi();
    worker = await openTestGradingWorker(api, 2);
  });

  afterAll(async () => {
    await Promise.all(platforms.splice(0).map((platform) => platform.close()));
    await worker?.close();
    await api?.close();
  });

  /** A stand-in that trusts only the keys the API publishes for the tenant, like a real platform. */
  async function platformFor(tenant: Tenant): Promise<LtiPlatformStandIn> {
    const jwks = async (): Promise<JSONWebKeySet> =>
      (await request(api.http).get(`/v1/lti/${tenant.tenantId}/jwks.json`).expect(200))
        .body as JSONWebKeySet;
    const platform = await startLtiPlatformStandIn({ clientId: CLIENT_ID, keys: jwks });
    platforms.push(platform);
    return platform;
  }

  async function register(tenant: Tenant, platform: LtiPlatformStandIn): Promise<string> {
    const created = await request(api.http)
      .post('/v1/lti/platforms')
      .set(tenant.auth)
      .send({ issuer: platform.baseUrl, clientId: CLIENT_ID, tokenUrl: platform.tokenUrl })
      .expect(201);
    return created.body.id as string;
  }

  async function submitCorrect(tenant: Tenant, lti: object): Promise<string> {
    const exercise = await request(api.http)
      .post('/v1/exercises')
      .set(tenant.auth)
      .send({ yaml: EXERCISE_YAML })
      .expect(201);
    const solution = EXERCISE.referenceSolution!;
    const submitted = await request(api.http)
      .post(`/v1/exercises/${exercise.body.id}/submissions`)
      .set(tenant.auth)
      .send({ learnerRef: 'learner-1', manifests: solution.manifests, mode: solution.mode, lti })
      .expect(202);
    return submitted.body.id as string;
  }

  async function ltiSettled(
    tenant: Tenant,
    submissionId: string,
    status: 'sent' | 'failed',
  ): Promise<request.Response> {
    let response: request.Response | undefined;
    await waitFor(
      `the LTI passback of ${submissionId} to be ${status}`,
      async () => {
        response = await request(api.http)
          .get(`/v1/submissions/${submissionId}`)
          .set(tenant.auth)
          .expect(200);
        return response.body.lti?.status === status;
      },
      { timeoutMs: WAIT_MS },
    );
    return response as request.Response;
  }

  it('registers a platform with its own tool key, published in the tenant JWKS', async () => {
    const tenant = await api.newTenant();
    const platform = await platformFor(tenant);
    const created = await request(api.http)
      .post('/v1/lti/platforms')
      .set(tenant.auth)
      .send({
        issuer: 'https://lms.example',
        clientId: CLIENT_ID,
        tokenUrl: platform.tokenUrl,
        deploymentId: 'd-1',
      })
      .expect(201);
    expect(created.headers.location).toBe(`/v1/lti/platforms/${created.body.id}`);
    expect(created.body).toMatchObject({
      issuer: 'https://lms.example',
      clientId: CLIENT_ID,
      deploymentId: 'd-1',
      jwksUrl: `/v1/lti/${tenant.tenantId}/jwks.json`,
    });
    expect(created.body.publicJwk).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      kid: created.body.keyId,
    });
    expect(created.body.publicJwk).not.toHaveProperty('d');

    const listed = await request(api.http).get('/v1/lti/platforms').set(tenant.auth).expect(200);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([created.body.id]);
    const publicJwks = await request(api.http)
      .get(`/v1/lti/${tenant.tenantId}/jwks.json`)
      .expect(200);
    const ownJwks = await request(api.http).get('/v1/lti/jwks').set(tenant.auth).expect(200);
    expect(publicJwks.body).toEqual({ keys: [created.body.publicJwk] });
    expect(ownJwks.body).toEqual(publicJwks.body);

    await request(api.http)
      .post('/v1/lti/platforms')
      .set(tenant.auth)
      .send({ issuer: 'https://lms.example', clientId: CLIENT_ID, tokenUrl: platform.tokenUrl })
      .expect(409);
    const other = await api.newTenant();
    expect(
      (await request(api.http).get('/v1/lti/platforms').set(other.auth).expect(200)).body.items,
    ).toEqual([]);
  });

  it.each([
    [
      'a token URL on a refused address',
      {
        issuer: 'https://lms.example',
        clientId: CLIENT_ID,
        tokenUrl: 'http://169.254.169.254/token',
      },
      422,
      'tokenUrl',
    ],
    [
      'a token URL that is not a URL',
      { issuer: 'https://lms.example', clientId: CLIENT_ID, tokenUrl: 'not a url' },
      400,
      'tokenUrl',
    ],
    [
      'a missing client id',
      { issuer: 'https://lms.example', tokenUrl: 'https://lms.example/token' },
      400,
      'clientId',
    ],
  ])('refuses a registration with %s, naming the field', async (_, body, status, field) => {
    const tenant = await api.newTenant();
    const refused = await request(api.http)
      .post('/v1/lti/platforms')
      .set(tenant.auth)
      .send(body)
      .expect(status);
    expect(JSON.stringify(refused.body.error.details)).toContain(field);
  });

  it('passes the score of a graded submission back to the platform, once', async () => {
    const tenant = await api.newTenant();
    const platform = await platformFor(tenant);
    const platformId = await register(tenant, platform);
    const lineItemUrl = `${platform.baseUrl}/lineitems/7?type=x`;
    const submissionId = await submitCorrect(tenant, {
      platformId,
      lineItemUrl,
      userId: 'lti-user-42',
    });

    const done = await ltiSettled(tenant, submissionId, 'sent');
    expect(done.body).toMatchObject({
      status: 'graded',
      lti: { platformId, lineItemUrl, userId: 'lti-user-42', status: 'sent', error: null },
    });
    expect(platform.log.refusals).toEqual([]);
    expect(platform.log.scores).toEqual([
      {
        path: '/lineitems/7/scores?type=x',
        score: {
          userId: 'lti-user-42',
          scoreGiven: done.body.score,
          scoreMaximum: done.body.maxScore,
          activityProgress: 'Completed',
          gradingProgress: 'FullyGraded',
          timestamp: expect.any(String),
        },
      },
    ]);
    expect(done.body.score).toBe(done.body.maxScore);
  });

  it('records a 500 from the score endpoint and retries the passback until it is sent, grading once', async () => {
    const tenant = await api.newTenant();
    const platform = await platformFor(tenant);
    const platformId = await register(tenant, platform);
    platform.failNextScores(1, 500);
    // The graded event is stored for subscribed tenants only; its count shows how often grading published.
    await request(api.http)
      .post('/v1/webhook-endpoints')
      .set(tenant.auth)
      .send({ url: 'https://hooks.example.com/grades', eventTypes: ['submission.graded'] })
      .expect(201);
    const submissionId = await submitCorrect(tenant, {
      platformId,
      lineItemUrl: `${platform.baseUrl}/lineitems/8`,
      userId: 'u-1',
    });

    const done = await ltiSettled(tenant, submissionId, 'sent');
    expect(platform.log.refusals).toEqual(['scripted failure']);
    expect(platform.log.tokenRequests).toBe(2);
    expect(platform.log.scores).toHaveLength(1);
    // The grade was stored by the first delivery; the retry only repeated the passback.
    const events = await api.api.infra.database.prisma.webhookEvent.count({
      where: { tenantId: tenant.tenantId, type: 'submission.graded' },
    });
    expect(events).toBe(1);
    expect(done.body.lti.error).toBeNull();
  });

  it.each([
    ['a 500 on every attempt', 500, 'score: http_5xx'],
    ['a 400 (not retried)', 400, 'score: http_4xx'],
  ])('records the passback as failed after %s, keeping the grade', async (_, status, error) => {
    const tenant = await api.newTenant();
    const platform = await platformFor(tenant);
    const platformId = await register(tenant, platform);
    platform.failNextScores(100, status);
    const submissionId = await submitCorrect(tenant, {
      platformId,
      lineItemUrl: `${platform.baseUrl}/lineitems/9`,
      userId: 'u-2',
    });

    await waitFor(
      'every passback attempt',
      () => platform.log.refusals.length >= (status === 500 ? 3 : 1),
      { timeoutMs: WAIT_MS },
    );
    const done = await ltiSettled(tenant, submissionId, 'failed');
    expect(done.body.status).toBe('graded');
    expect(done.body.lti.error).toContain(error);
    if (status === 400) expect(platform.log.refusals).toHaveLength(1);
  });

  it.each([
    ['a platform of another tenant', 'other-platform', 'lti.platformId', 400],
    [
      'a line item on a refused address',
      'http://169.254.169.254/lineitems/1',
      'lti.lineItemUrl',
      422,
    ],
  ])('refuses a submission whose LTI target names %s', async (_, what, field, status) => {
    const owner = await api.newTenant();
    const platform = await platformFor(owner);
    const platformId = await register(owner, platform);
    const tenant = what === 'other-platform' ? await api.newTenant() : owner;
    const lti = {
      platformId,
      userId: 'u-3',
      lineItemUrl: what === 'other-platform' ? `${platform.baseUrl}/lineitems/1` : what,
    };
    const exercise = await request(api.http)
      .post('/v1/exercises')
      .set(tenant.auth)
      .send({ yaml: EXERCISE_YAML })
      .expect(201);
    const refused = await request(api.http)
      .post(`/v1/exercises/${exercise.body.id}/submissions`)
      .set(tenant.auth)
      .send({ learnerRef: 'l', manifests: '', mode: 'full', lti })
      .expect(status);
    expect(JSON.stringify(refused.body.error.details)).toContain(field);
  });

  it('takes the LTI target in the GraphQL submitSolution mutation', async () => {
    const tenant = await api.newTenant();
    const platform = await platformFor(tenant);
    const platformId = await register(tenant, platform);
    const exercise = await request(api.http)
      .post('/v1/exercises')
      .set(tenant.auth)
      .send({ yaml: EXERCISE_YAML })
      .expect(201);
    const solution = EXERCISE.referenceSolution!;
    const answer = await request(api.http)
      .post('/graphql')
      .set(tenant.auth)
      .send({
        query: `mutation($exerciseId: ID!, $manifests: String!, $mode: SubmissionMode!, $lti: SubmissionLtiInput) {
          submitSolution(exerciseId: $exerciseId, learnerRef: "l", manifests: $manifests, mode: $mode, lti: $lti) { id lti { platformId status } }
        }`,
        variables: {
          exerciseId: exercise.body.id,
          manifests: solution.manifests,
          mode: solution.mode,
          lti: { platformId, lineItemUrl: `${platform.baseUrl}/lineitems/3`, userId: 'gql-user' },
        },
      })
      .expect(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.submitSolution.lti).toEqual({ platformId, status: 'pending' });
    await ltiSettled(tenant, answer.body.data.submitSolution.id as string, 'sent');
    expect(platform.log.scores.map((received) => received.score.userId)).toEqual(['gql-user']);
  });
});
