// LTI 1.3 launches against the API served over real HTTP (NETPLAY_PUBLIC_URL = its address), with
// a platform stand-in on loopback (@netplay/testing) that follows the specifications: dynamic
// registration, a learner's login → auth → form post → learner session on the exercise, the grade
// of that session's submission arriving at the launch's line item as the launch's user, an
// instructor's deep-linking round trip, the NRPS roster, and every refusal of the Security
// Framework's validation answered with a page naming its reason (and logged).
import { Logger } from '@nestjs/common';
import { readExercise } from '@netplay/grading';
import type { JSONWebKeySet } from 'jose';
import net from 'node:net';
import request from 'supertest';
import { startLtiPlatformStandIn, waitFor, type LtiPlatformStandIn } from '@netplay/testing';
import { generateLtiToolKey, LTI_CLAIMS, LTI_SCOPES } from '@netplay/webhooks';
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
const EXERCISE_POINTS = EXERCISE.checks.reduce((sum, check) => sum + check.points, 0);
const CLIENT_ID = 'netplay-client-7';
const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';

type Tenant = Awaited<ReturnType<TestApi['newTenant']>>;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The hidden fields of an auto-posted form page. */
function formFields(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g))
    fields[match[1]!] = match[2]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"');
  return { action: action.replace(/&amp;/g, '&'), fields };
}

describeWithServices('LTI 1.3 launches over HTTP', () => {
  let api: TestApi;
  let worker: TestGradingWorker;
  let base: string;
  const platforms: LtiPlatformStandIn[] = [];
  const warnings: string[] = [];

  beforeAll(async () => {
    setLoopbackTestEnvironment();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = await startTestApi({ port, publicUrl: base, ltiJwksRefetchCooldownMs: 0 });
    await api.api.app.listen(port, '127.0.0.1');
    worker = await openTestGradingWorker(api, 1);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
      warnings.push(String(message));
    });
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await Promise.all(platforms.splice(0).map((platform) => platform.close()));
    await worker?.close();
    await api?.close();
  });

  async function standInFor(
    tenant: Tenant,
    options: { membershipsPageSize?: number } = {},
  ): Promise<LtiPlatformStandIn> {
    const jwks = async (): Promise<JSONWebKeySet> =>
      (await (await fetch(`${base}/v1/lti/${tenant.tenantId}/jwks.json`)).json()) as JSONWebKeySet;
    const platform = await startLtiPlatformStandIn({ clientId: CLIENT_ID, keys: jwks, ...options });
    platforms.push(platform);
    return platform;
  }

  async function publishExercise(tenant: Tenant): Promise<string> {
    const created = await request(api.http)
      .post('/v1/exercises')
      .set(tenant.auth)
      .send({ yaml: EXERCISE_YAML })
      .expect(201);
    return created.body.id as string;
  }

  /** A tenant with a manually registered stand-in and a published exercise. */
  async function setUp(
    registration: { storeLearnerIdentity?: boolean } = {},
    standIn: { membershipsPageSize?: number } = {},
  ): Promise<{
    tenant: Tenant;
    platform: LtiPlatformStandIn;
    exerciseId: string;
    platformId: string;
  }> {
    const tenant = await api.newTenant();
    const platform = await standInFor(tenant, standIn);
    const registered = await request(api.http)
      .post('/v1/lti/platforms')
      .set(tenant.auth)
      .send({
        issuer: platform.issuer,
        clientId: CLIENT_ID,
        tokenUrl: platform.tokenUrl,
        authUrl: platform.authUrl,
        platformJwksUrl: platform.jwksUrl,
        deploymentIds: [platform.deploymentId],
        ...registration,
      })
      .expect(201);
    return {
      tenant,
      platform,
      exerciseId: await publishExercise(tenant),
      platformId: registered.body.id as string,
    };
  }

  /** Login initiation; the redirect to the platform's auth endpoint, its state and nonce. */
  async function login(platform: LtiPlatformStandIn, exerciseId: string) {
    const query = new URLSearchParams({
      iss: platform.issuer,
      login_hint: 'hint-1',
      target_link_uri: `${base}/lti/launch?exercise=${exerciseId}`,
      lti_message_hint: 'message-hint-1',
      client_id: CLIENT_ID,
      lti_deployment_id: platform.deploymentId,
    });
    const response = await fetch(`${base}/lti/login?${query}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    return {
      location,
      state: location.searchParams.get('state') ?? '',
      nonce: location.searchParams.get('nonce') ?? '',
    };
  }

  function postLaunch(fields: Record<string, string>): Promise<Response> {
    return fetch(`${base}/lti/launch`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }

  /** The whole flow as a browser makes it: login, the platform's auth answer, its form post. */
  async function launchThroughPlatform(platform: LtiPlatformStandIn, exerciseId: string) {
    const { location } = await login(platform, exerciseId);
    const auth = await fetch(location);
    expect(auth.status).toBe(200);
    const form = formFields(await auth.text());
    expect(form.action).toBe(`${base}/lti/launch`);
    return postLaunch(form.fields);
  }

  it('registers with a platform through LTI Dynamic Registration', async () => {
    const tenant = await api.newTenant();
    const platform = await standInFor(tenant);
    const link = await request(api.http)
      .post('/v1/lti/registration-links')
      .set(tenant.auth)
      .expect(201);
    expect(link.body.url).toMatch(new RegExp(`^${base}/lti/register\\?link=`));
    const url = new URL(link.body.url as string);
    url.searchParams.set('openid_configuration', platform.openIdConfigurationUrl);
    url.searchParams.set('registration_token', platform.registrationToken);
    const page = await fetch(url);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("postMessage({subject: 'org.imsglobal.lti.close'}");

    expect(platform.log.registrations).toHaveLength(1);
    const posted = platform.log.registrations[0]!;
    expect(posted).toMatchObject({
      initiate_login_uri: `${base}/lti/login`,
      redirect_uris: [`${base}/lti/launch`],
      jwks_uri: `${base}/v1/lti/${tenant.tenantId}/jwks.json`,
      token_endpoint_auth_method: 'private_key_jwt',
    });
    expect(String(posted.scope).split(' ')).toEqual(
      expect.arrayContaining([LTI_SCOPES.score, LTI_SCOPES.memberships]),
    );
    const listed = await request(api.http).get('/v1/lti/platforms').set(tenant.auth).expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        issuer: platform.issuer,
        clientId: CLIENT_ID,
        tokenUrl: platform.tokenUrl,
        authUrl: platform.authUrl,
        platformJwksUrl: platform.jwksUrl,
        deploymentIds: [platform.deploymentId],
        registeredBy: 'dynamic',
        toolJwksUrl: `${base}/v1/lti/${tenant.tenantId}/jwks.json`,
      }),
    ]);

    // The registration URL is single-tenant and sealed: a changed one is refused with a page.
    const forged = new URL(url);
    const sealed = url.searchParams.get('link') ?? '';
    const middle = Math.floor(sealed.length / 2);
    const flipped = sealed[middle] === 'A' ? 'B' : 'A';
    forged.searchParams.set(
      'link',
      `${sealed.slice(0, middle)}${flipped}${sealed.slice(middle + 1)}`,
    );
    const refused = await fetch(forged);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('data-reason="bad_state"');
  });

  it("launches a learner into a session on the exercise and passes the grade to the launch's line item", async () => {
    const { tenant, platform, exerciseId, platformId } = await setUp();
    platform.nextLaunch({
      user: { sub: 'learner-sub-1', roles: [LEARNER], name: 'Ada', email: 'ada@example.com' },
      claims: {
        [LTI_CLAIMS.ags]: {
          scope: [LTI_SCOPES.lineItem, LTI_SCOPES.score],
          lineitem: `${platform.baseUrl}/lineitems/42?type=netplay`,
        },
      },
    });
    const launched = await launchThroughPlatform(platform, exerciseId);
    expect(launched.status).toBe(302);
    const landing = launched.headers.get('location') ?? '';
    expect(landing).toMatch(
      new RegExp(`^/embed/${tenant.tenantId}/exercises/${exerciseId}#token=`),
    );
    expect(platform.log.authRequests.at(-1)).toMatchObject({
      client_id: CLIENT_ID,
      login_hint: 'hint-1',
      lti_message_hint: 'message-hint-1',
      redirect_uri: `${base}/lti/launch`,
    });
    const token = decodeURIComponent(landing.split('#token=')[1] ?? '');
    const learner = { Authorization: `Bearer ${token}` };
    await request(api.http).get(`/v1/exercises/${exerciseId}`).set(learner).expect(200);
    // Only `sub` is kept unless the registration says otherwise.
    const launches = await api.api.infra.database.prisma.ltiLaunch.findMany({
      where: { tenantId: tenant.tenantId },
    });
    expect(launches).toEqual([
      expect.objectContaining({
        subject: 'learner-sub-1',
        name: null,
        email: null,
        instructor: false,
      }),
    ]);

    const solution = EXERCISE.referenceSolution!;
    const learnerRef = `lti:${platformId}:learner-sub-1`;
    const submitted = await request(api.http)
      .post(`/v1/exercises/${exerciseId}/submissions`)
      .set(learner)
      .send({ learnerRef, manifests: solution.manifests, mode: solution.mode })
      .expect(202);
    await waitFor('the score to reach the platform', () => platform.log.scores.length > 0, {
      timeoutMs: 30_000,
    });
    expect(platform.log.scores).toEqual([
      {
        path: '/lineitems/42/scores?type=netplay',
        score: expect.objectContaining({
          userId: 'learner-sub-1',
          scoreGiven: EXERCISE_POINTS,
          scoreMaximum: EXERCISE_POINTS,
          activityProgress: 'Completed',
          gradingProgress: 'FullyGraded',
        }),
      },
    ]);
    await waitFor(
      'the submission to show its passback',
      async () =>
        (
          await request(api.http)
            .get(`/v1/submissions/${submitted.body.id}`)
            .set(tenant.auth)
            .expect(200)
        ).body.lti?.status === 'sent',
      { timeoutMs: 30_000 },
    );
  });

  it("creates the resource link's line item when a launch carries only the container, and posts the grade to it", async () => {
    const { tenant, platform, exerciseId, platformId } = await setUp();
    const containerOnly = (sub: string) =>
      platform.nextLaunch({
        user: { sub, roles: [LEARNER] },
        claims: {
          [LTI_CLAIMS.ags]: {
            scope: [LTI_SCOPES.lineItem, LTI_SCOPES.score],
            lineitems: platform.lineItemsUrl,
          },
        },
      });
    containerOnly('learner-sub-1');
    const launched = await launchThroughPlatform(platform, exerciseId);
    expect(launched.status).toBe(302);
    expect(platform.lineItems).toEqual([
      {
        id: expect.stringMatching(new RegExp(`^${platform.baseUrl}/lineitems/\\d+$`)),
        scoreMaximum: EXERCISE_POINTS,
        label: EXERCISE.title,
        resourceId: exerciseId,
        resourceLinkId: 'resource-link-1',
        tag: 'netplay',
      },
    ]);
    const lineItem = platform.lineItems[0]!;
    expect(platform.log.lineItemRequests).toEqual([
      'GET /lineitems?resource_link_id=resource-link-1',
      'POST /lineitems',
    ]);

    // Another learner's launch of the same link uses the same line item without asking again.
    containerOnly('learner-sub-2');
    const second = await launchThroughPlatform(platform, exerciseId);
    expect(platform.lineItems).toHaveLength(1);
    expect(platform.log.lineItemRequests).toHaveLength(2);
    const launches = await api.api.infra.database.prisma.ltiLaunch.findMany({
      where: { tenantId: tenant.tenantId },
    });
    expect(launches.map((launch) => launch.lineItemUrl)).toEqual([lineItem.id, lineItem.id]);

    const token = decodeURIComponent((second.headers.get('location') ?? '').split('#token=')[1]!);
    const solution = EXERCISE.referenceSolution!;
    await request(api.http)
      .post(`/v1/exercises/${exerciseId}/submissions`)
      .set({ Authorization: `Bearer ${token}` })
      .send({
        learnerRef: `lti:${platformId}:learner-sub-2`,
        manifests: solution.manifests,
        mode: solution.mode,
      })
      .expect(202);
    await waitFor(
      'the score to reach the created line item',
      () => platform.log.scores.length > 0,
      {
        timeoutMs: 30_000,
      },
    );
    expect(platform.log.scores).toEqual([
      {
        path: `${new URL(lineItem.id).pathname}/scores`,
        score: expect.objectContaining({ userId: 'learner-sub-2', scoreGiven: EXERCISE_POINTS }),
      },
    ]);
  });

  it('makes no line item without the lineitem scope, and finds the one the platform has for the link', async () => {
    const { tenant, platform, exerciseId } = await setUp();
    const readOnlyLaunch = () =>
      platform.nextLaunch({
        user: { sub: 'learner-sub-3', roles: [LEARNER] },
        claims: {
          [LTI_CLAIMS.ags]: {
            scope: [LTI_SCOPES.lineItemReadOnly, LTI_SCOPES.score],
            lineitems: platform.lineItemsUrl,
          },
        },
      });
    readOnlyLaunch();
    await launchThroughPlatform(platform, exerciseId);
    expect(platform.lineItems).toEqual([]);
    expect(
      warnings.some((line) => line.includes('no line item yet') && line.includes('no_line_item')),
    ).toBe(true);

    const existing = platform.addLineItem({
      scoreMaximum: EXERCISE_POINTS,
      label: 'Gradebook column',
      resourceLinkId: 'resource-link-1',
    });
    readOnlyLaunch();
    await launchThroughPlatform(platform, exerciseId);
    const latest = await api.api.infra.database.prisma.ltiLaunch.findFirst({
      where: { tenantId: tenant.tenantId },
      orderBy: { createdAt: 'desc' },
    });
    expect(latest?.lineItemUrl).toBe(existing.id);
    expect(platform.lineItems).toHaveLength(1);
  });

  it('keeps the name and email a launch sends only when the registration says so', async () => {
    const { tenant, platform, exerciseId } = await setUp({ storeLearnerIdentity: true });
    platform.nextLaunch({
      user: { sub: 'learner-sub-9', roles: [LEARNER], name: 'Ada', email: 'ada@example.com' },
    });
    expect((await launchThroughPlatform(platform, exerciseId)).status).toBe(302);
    const launch = await api.api.infra.database.prisma.ltiLaunch.findFirst({
      where: { tenantId: tenant.tenantId },
    });
    expect(launch).toMatchObject({
      subject: 'learner-sub-9',
      name: 'Ada',
      email: 'ada@example.com',
    });
  });

  it('accepts a login initiation without client_id when the issuer has one registration', async () => {
    const { platform, exerciseId } = await setUp();
    const response = await fetch(
      `${base}/lti/login?${new URLSearchParams({
        iss: platform.issuer,
        login_hint: 'hint-2',
        target_link_uri: `${base}/lti/launch?exercise=${exerciseId}`,
      })}`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location') ?? '').searchParams.get('client_id')).toBe(
      CLIENT_ID,
    );
  });

  it('gives instructor roles the instructor session', async () => {
    const { platform, exerciseId } = await setUp();
    platform.nextLaunch({ user: { sub: 'teacher-sub-1', roles: [INSTRUCTOR] } });
    const launched = await launchThroughPlatform(platform, exerciseId);
    expect(launched.status).toBe(302);
    const token = decodeURIComponent(
      (launched.headers.get('location') ?? '').split('#token=')[1] ?? '',
    );
    const session = await api.api.infra.database.prisma.learnerSession.findFirst({
      where: { learnerRef: { endsWith: ':teacher-sub-1' } },
    });
    expect(token).not.toBe('');
    expect(session?.role).toBe('instructor');
  });

  it('shows instructors the course roster (NRPS) with who attempted the exercise, and not learners', async () => {
    const { platform, exerciseId, platformId } = await setUp();
    const tokenOf = (response: Response) =>
      decodeURIComponent((response.headers.get('location') ?? '').split('#token=')[1] ?? '');
    platform.nextLaunch({ user: { sub: 'learner-sub-1', roles: [LEARNER] } });
    const learner = {
      Authorization: `Bearer ${tokenOf(await launchThroughPlatform(platform, exerciseId))}`,
    };
    await request(api.http)
      .post(`/v1/exercises/${exerciseId}/submissions`)
      .set(learner)
      .send({ learnerRef: `lti:${platformId}:learner-sub-1`, manifests: '', mode: 'full' })
      .expect(202);
    platform.nextLaunch({ user: { sub: 'teacher-sub-1', roles: [INSTRUCTOR] } });
    const instructor = {
      Authorization: `Bearer ${tokenOf(await launchThroughPlatform(platform, exerciseId))}`,
    };
    const roster = await request(api.http)
      .get(`/v1/lti/roster?exerciseId=${exerciseId}`)
      .set(instructor)
      .expect(200);
    expect(
      roster.body.items.map(
        (member: { userId: string; attempted: boolean; submissions: number }) => [
          member.userId,
          member.attempted,
          member.submissions,
        ],
      ),
    ).toEqual([
      ['learner-sub-1', true, 1],
      ['learner-sub-2', false, 0],
      ['teacher-sub-1', false, 0],
    ]);
    await request(api.http).get(`/v1/lti/roster?exerciseId=${exerciseId}`).set(learner).expect(403);
  });

  it("shows an instructor the exercise's results with the paged course roster merged in, and refuses learners in REST and GraphQL", async () => {
    // Two members per NRPS page: the three members take two pages.
    const { tenant, platform, exerciseId, platformId } = await setUp(
      {},
      { membershipsPageSize: 2 },
    );
    const tokenOf = (response: Response) =>
      decodeURIComponent((response.headers.get('location') ?? '').split('#token=')[1] ?? '');
    platform.nextLaunch({ user: { sub: 'learner-sub-1', roles: [LEARNER] } });
    const learner = {
      Authorization: `Bearer ${tokenOf(await launchThroughPlatform(platform, exerciseId))}`,
    };
    const solution = EXERCISE.referenceSolution!;
    const submitted = await request(api.http)
      .post(`/v1/exercises/${exerciseId}/submissions`)
      .set(learner)
      .send({
        learnerRef: `lti:${platformId}:learner-sub-1`,
        manifests: solution.manifests,
        mode: solution.mode,
      })
      .expect(202);
    // A submission from outside the course (a tenant key's learner) is listed too.
    await request(api.http)
      .post(`/v1/exercises/${exerciseId}/submissions`)
      .set(tenant.auth)
      .send({ learnerRef: 'outside-1', manifests: '', mode: 'full' })
      .expect(202);
    await waitFor(
      'the solution to be graded',
      async () =>
        (await request(api.http).get(`/v1/submissions/${submitted.body.id}`).set(learner)).body
          .status === 'graded',
      { timeoutMs: 30_000 },
    );
    platform.nextLaunch({ user: { sub: 'teacher-sub-1', roles: [INSTRUCTOR] } });
    const instructor = {
      Authorization: `Bearer ${tokenOf(await launchThroughPlatform(platform, exerciseId))}`,
    };
    // The instructor tries the exercise too: an instructor is neither listed nor counted a learner.
    await request(api.http)
      .post(`/v1/exercises/${exerciseId}/submissions`)
      .set(instructor)
      .send({ learnerRef: `lti:${platformId}:teacher-sub-1`, manifests: '', mode: 'full' })
      .expect(202);
    const pagesBefore = platform.log.membershipPages.length;
    const results = await request(api.http)
      .get(`/v1/exercises/${exerciseId}/results`)
      .set(instructor)
      .expect(200);
    expect(platform.log.membershipPages.slice(pagesBefore)).toEqual([
      '/memberships',
      '/memberships?page=2',
    ]);
    expect(results.body).toMatchObject({
      exerciseId,
      points: EXERCISE_POINTS,
      summary: { learners: 3, attempted: 2, passed: 1, instructors: 1 },
      roster: { status: 'merged', message: null, truncated: false },
    });
    expect(results.body.nextCursor).toBeUndefined();
    const rows = results.body.items.map(
      (item: Record<string, unknown>) =>
        [item.learnerRef, item.name, item.inRoster, item.attempts, item.passed] as const,
    );
    // By learner reference: the roster's learners and the submitter from outside the course.
    expect(rows).toEqual([
      [`lti:${platformId}:learner-sub-1`, 'Ada', true, 1, true],
      [`lti:${platformId}:learner-sub-2`, 'Grace', true, 0, false],
      ['outside-1', null, false, 1, false],
    ]);
    expect(results.body.items[0]).toMatchObject({
      userId: 'learner-sub-1',
      bestScore: EXERCISE_POINTS,
      maxScore: EXERCISE_POINTS,
      lastSubmittedAt: expect.any(String),
    });
    expect(results.body.items[1]).toMatchObject({ bestScore: null, lastSubmittedAt: null });

    // A page at a time, the roster's learners and the submitters merged in the same order.
    const first = await request(api.http)
      .get(`/v1/exercises/${exerciseId}/results?limit=2`)
      .set(instructor)
      .expect(200);
    expect(first.body.items).toEqual(results.body.items.slice(0, 2));
    expect(first.body.summary).toEqual(results.body.summary);
    const second = await request(api.http)
      .get(`/v1/exercises/${exerciseId}/results`)
      .query({ limit: 2, cursor: first.body.nextCursor })
      .set(instructor)
      .expect(200);
    expect(second.body.items).toEqual(results.body.items.slice(2));
    expect(second.body.nextCursor).toBeUndefined();
    const badCursor = await request(api.http)
      .get(`/v1/exercises/${exerciseId}/results?cursor=bm90LWEtY3Vyc29y`)
      .set(instructor)
      .expect(400);
    expect(badCursor.body.error.details).toEqual([{ field: 'cursor', message: 'unknown cursor' }]);

    const refused = await request(api.http)
      .get(`/v1/exercises/${exerciseId}/results`)
      .set(learner)
      .expect(403);
    expect(refused.body.error.code).toBe('forbidden');
    const query = (after: string | null) => ({
      query: `query($id: ID!, $after: String) { exerciseResults(exerciseId: $id, first: 2, after: $after) {
        points roster { status } summary { learners instructors } nextCursor
        items { learnerRef inRoster attempts passed } } }`,
      variables: { id: exerciseId, after },
    });
    const viaGraphql = await request(api.http).post('/graphql').set(instructor).send(query(null));
    const nextViaGraphql = await request(api.http)
      .post('/graphql')
      .set(instructor)
      .send(query(viaGraphql.body.data.exerciseResults.nextCursor));
    expect(viaGraphql.body.data.exerciseResults.summary).toEqual({ learners: 3, instructors: 1 });
    expect(nextViaGraphql.body.data.exerciseResults.nextCursor).toBeNull();
    expect([
      ...viaGraphql.body.data.exerciseResults.items,
      ...nextViaGraphql.body.data.exerciseResults.items,
    ]).toEqual(
      results.body.items.map((item: Record<string, unknown>) => ({
        learnerRef: item.learnerRef,
        inRoster: item.inRoster,
        attempts: item.attempts,
        passed: item.passed,
      })),
    );
    const learnerGraphql = await request(api.http).post('/graphql').set(learner).send(query(null));
    expect(learnerGraphql.body.data).toBeNull();
    expect(learnerGraphql.body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('answers a deep-linking request with a picker and a signed ltiResourceLink carrying a line item', async () => {
    const { platform, exerciseId } = await setUp();
    platform.nextLaunch({
      user: { sub: 'teacher-sub-1', roles: [INSTRUCTOR] },
      messageType: 'LtiDeepLinkingRequest',
      claims: {
        [LTI_CLAIMS.resourceLink]: undefined,
        [LTI_CLAIMS.deepLinkingSettings]: {
          deep_link_return_url: `${platform.baseUrl}/deep-link-return`,
          accept_types: ['ltiResourceLink'],
          accept_presentation_document_targets: ['iframe', 'window'],
          data: 'opaque-platform-data',
        },
      },
    });
    const picker = await launchThroughPlatform(platform, exerciseId);
    expect(picker.status).toBe(200);
    const html = await picker.text();
    expect(html).toContain(`data-exercise="${exerciseId}"`);
    const request_ = /name="request" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const picked = await fetch(`${base}/lti/deep-link`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request: request_, exercise_id: exerciseId }).toString(),
    });
    expect(picked.status).toBe(200);
    const back = formFields(await picked.text());
    expect(back.action).toBe(`${platform.baseUrl}/deep-link-return`);
    const returned = await fetch(back.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(back.fields).toString(),
    });
    expect(returned.status).toBe(200);
    expect(platform.log.deepLinkResponses).toEqual([
      expect.objectContaining({
        [LTI_CLAIMS.deploymentId]: platform.deploymentId,
        [LTI_CLAIMS.deepLinkingData]: 'opaque-platform-data',
        [LTI_CLAIMS.deepLinkingContentItems]: [
          expect.objectContaining({
            type: 'ltiResourceLink',
            url: `${base}/lti/launch?exercise=${exerciseId}`,
            custom: { exercise_id: exerciseId },
            lineItem: expect.objectContaining({
              scoreMaximum: EXERCISE_POINTS,
              resourceId: exerciseId,
            }),
          }),
        ],
      }),
    ]);
  });

  it('refetches the platform JWKS once for an unknown key id (rotation), and refuses a key id still unknown', async () => {
    const { platform, exerciseId } = await setUp();
    const first = await launchThroughPlatform(platform, exerciseId);
    expect(first.status).toBe(302);
    const fetchesBefore = platform.log.jwksFetches;
    await platform.rotateKey(false);
    const rotated = await launchThroughPlatform(platform, exerciseId);
    expect(rotated.status).toBe(302);
    expect(platform.log.jwksFetches).toBe(fetchesBefore + 1);

    const { state, nonce } = await login(platform, exerciseId);
    const unknown = await postLaunch({
      state,
      id_token: await platform.idToken({ nonce, kid: 'no-such-key' }),
    });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain('data-reason="unknown_key"');
    expect(platform.log.jwksFetches).toBe(fetchesBefore + 2);
  });

  describe('refusals', () => {
    let platform: LtiPlatformStandIn;
    let exerciseId: string;
    beforeAll(async () => {
      ({ platform, exerciseId } = await setUp());
    });

    async function refused(
      id_token: (nonce: string) => Promise<string>,
      fields: (state: string) => Record<string, string> = (state) => ({ state }),
    ) {
      const { state, nonce } = await login(platform, exerciseId);
      const response = await postLaunch({ ...fields(state), id_token: await id_token(nonce) });
      return { status: response.status, html: await response.text() };
    }

    it.each([
      [
        'a bad signature',
        async (nonce: string) =>
          platform.idToken({ nonce, signWith: (await generateLtiToolKey()).privateKey }),
        'bad_signature',
        401,
      ],
      [
        'a wrong audience',
        (nonce: string) => platform.idToken({ nonce, audience: 'another-tool' }),
        'wrong_audience',
        401,
      ],
      [
        'an expired token',
        (nonce: string) =>
          platform.idToken({
            nonce,
            issuedAt: Math.floor(Date.now() / 1000) - 900,
            expiresIn: 300,
          }),
        'expired',
        401,
      ],
      [
        'an unknown deployment',
        (nonce: string) =>
          platform.idToken({ nonce, claims: { [LTI_CLAIMS.deploymentId]: 'deployment-x' } }),
        'unknown_deployment',
        401,
      ],
      [
        'a wrong message type',
        (nonce: string) => platform.idToken({ nonce, messageType: 'LtiSubmissionReviewRequest' }),
        'wrong_message_type',
        401,
      ],
      [
        'a wrong LTI version',
        (nonce: string) => platform.idToken({ nonce, claims: { [LTI_CLAIMS.version]: '1.1' } }),
        'wrong_version',
        401,
      ],
    ])(
      'refuses %s with a page naming the reason, and logs it',
      async (_, token, reason, status) => {
        const answer = await refused(token);
        expect(answer.status).toBe(status);
        expect(answer.html).toContain(`data-reason="${reason}"`);
        expect(warnings.some((line) => line.includes(`launch refused: ${reason}`))).toBe(true);
      },
    );

    it('refuses a launch without state', async () => {
      const answer = await refused(
        (nonce) => platform.idToken({ nonce }),
        () => ({}),
      );
      expect(answer.status).toBe(400);
      expect(answer.html).toContain('data-reason="missing_state"');
    });

    it("refuses a state that belongs to another login than the token's nonce", async () => {
      const other = await login(platform, exerciseId);
      const answer = await refused(
        (nonce) => platform.idToken({ nonce }),
        () => ({ state: other.state }),
      );
      expect(answer.status).toBe(400);
      expect(answer.html).toContain('data-reason="state_mismatch"');
    });

    it('refuses a state this service did not issue', async () => {
      const answer = await refused(
        (nonce) => platform.idToken({ nonce }),
        (state) => ({ state: `${state.slice(0, -4)}AAAA` }),
      );
      expect(answer.status).toBe(400);
      expect(answer.html).toContain('data-reason="bad_state"');
    });

    it('refuses a replayed id_token (its nonce is single-use)', async () => {
      const { state, nonce } = await login(platform, exerciseId);
      const id_token = await platform.idToken({ nonce });
      expect((await postLaunch({ state, id_token })).status).toBe(302);
      const replay = await postLaunch({ state, id_token });
      expect(replay.status).toBe(401);
      expect(await replay.text()).toContain('data-reason="nonce_replayed"');
    });

    it('refuses a login from an unregistered platform or to a foreign target', async () => {
      const unknown = await fetch(
        `${base}/lti/login?${new URLSearchParams({
          iss: 'https://unknown.example',
          login_hint: 'x',
          target_link_uri: `${base}/lti/launch`,
          client_id: CLIENT_ID,
        })}`,
        { redirect: 'manual' },
      );
      expect(unknown.status).toBe(400);
      expect(await unknown.text()).toContain('data-reason="unknown_platform"');
      const foreign = await fetch(
        `${base}/lti/login?${new URLSearchParams({
          iss: platform.issuer,
          login_hint: 'x',
          target_link_uri: 'https://evil.example/steal',
          client_id: CLIENT_ID,
        })}`,
        { redirect: 'manual' },
      );
      expect(foreign.status).toBe(400);
    });
  });

  it('publishes every registration key at /.well-known/jwks.json, and both keys during a rotation', async () => {
    const { tenant, platformId } = await setUp();
    const before = (await request(api.http).get('/v1/lti/platforms').set(tenant.auth)).body
      .items[0];
    const rotated = await request(api.http)
      .post(`/v1/lti/platforms/${platformId}/rotate-key`)
      .set(tenant.auth)
      .send({ overlapSeconds: 3600 })
      .expect(201);
    expect(rotated.body.previousKeyId).toBe(before.keyId);
    const keyIds = async (url: string) =>
      ((await (await fetch(url)).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);
    const tenantKeys = await keyIds(`${base}/v1/lti/${tenant.tenantId}/jwks.json`);
    expect(tenantKeys).toEqual([rotated.body.keyId, before.keyId]);
    const wellKnown = await keyIds(`${base}/.well-known/jwks.json`);
    expect(wellKnown).toEqual(expect.arrayContaining([rotated.body.keyId, before.keyId]));
    const configuration = await (await fetch(`${base}/lti/tool-configuration.json`)).json();
    expect(configuration).toMatchObject({
      initiate_login_uri: `${base}/lti/login`,
      jwks_uri: `${base}/.well-known/jwks.json`,
    });
  });
});
