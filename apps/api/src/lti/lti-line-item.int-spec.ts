// The line item of a resource link launched with only the AGS container, found or created once
// however many of its first launches arrive together: the lease in PostgreSQL lets one launch ask
// the platform stand-in while the others wait for its answer, and a lease whose holder vanished is
// taken over.
import {
  ExerciseRepository,
  LtiLaunchRepository,
  LtiPlatformRepository,
  type LtiLaunchRecord,
} from '@netplay/db';
import {
  PGLITE_SKIP_REASON,
  startLtiPlatformStandIn,
  type LtiPlatformStandIn,
} from '@netplay/testing';
import { AGS_SCORE_SCOPE, LTI_SCOPES } from '@netplay/webhooks';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  describeWithServices,
  startEmbeddedApi,
  startTestApi,
  type EmbeddedTestApi,
  type TestApi,
  FIRST_EXERCISE_YAML,
  setLoopbackTestEnvironment,
} from '../testing/test-api';
import { launchLineItem, type LaunchLineItem, type LineItemDeps } from './lti-line-item';

jest.setTimeout(60_000);

const EXERCISE_YAML = FIRST_EXERCISE_YAML;
const CLIENT_ID = 'netplay-client-lease';
/** The first launches of one link arriving together (a class opening the exercise at once). */
const CONCURRENT_LAUNCHES = 12;

describeWithServices("a resource link's line item under concurrent launches", () => {
  let api: TestApi;
  /** What the API's launch and submission paths give launchLineItem. */
  let runtime: LineItemDeps & { exercises: ExerciseRepository };
  const platforms: LtiPlatformStandIn[] = [];

  beforeAll(async () => {
    setLoopbackTestEnvironment();
    api = await startTestApi();
    runtime = {
      ltiLaunches: api.api.app.get(LtiLaunchRepository, { strict: false }),
      ltiPlatforms: api.api.app.get(LtiPlatformRepository, { strict: false }),
      policy: api.config.webhooks.policy,
      exercises: api.api.app.get(ExerciseRepository, { strict: false }),
    };
  });

  afterAll(async () => {
    await Promise.all(platforms.splice(0).map((platform) => platform.close()));
    await api?.close();
  });

  /** A tenant with a registered stand-in, an exercise, and a way to record launches of one link. */
  async function setUp() {
    const tenant = await api.newTenant();
    const platform = await startLtiPlatformStandIn({
      clientId: CLIENT_ID,
      keys: async () =>
        (await request(api.http).get(`/v1/lti/${tenant.tenantId}/jwks.json`).expect(200)).body,
    });
    platforms.push(platform);
    const registered = await request(api.http)
      .post('/v1/lti/platforms')
      .set(tenant.auth)
      .send({
        issuer: platform.issuer,
        clientId: CLIENT_ID,
        tokenUrl: platform.tokenUrl,
        deploymentIds: [platform.deploymentId],
      })
      .expect(201);
    const created = await request(api.http)
      .post('/v1/exercises')
      .set(tenant.auth)
      .send({ yaml: EXERCISE_YAML })
      .expect(201);
    const exercise = await runtime.exercises.get(tenant.tenantId, created.body.id as string);
    const resourceLinkId = `link-${randomUUID()}`;
    const launchOf = (subject: string): Promise<LtiLaunchRecord> =>
      runtime.ltiLaunches.record({
        tenantId: tenant.tenantId,
        platformId: registered.body.id as string,
        deploymentId: platform.deploymentId,
        messageType: 'LtiResourceLinkRequest',
        subject,
        roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
        instructor: false,
        resourceLinkId,
        exerciseId: exercise!.id,
        lineItemsUrl: platform.lineItemsUrl,
        agsScopes: [AGS_SCORE_SCOPE, LTI_SCOPES.lineItem],
      });
    // Published through the API: its digest (and so its points) is stored with it.
    const points = exercise!.points!;
    return {
      tenant,
      platform,
      exercise: { ...exercise!, points },
      launchOf,
      resourceLinkId,
    };
  }

  const posts = (platform: LtiPlatformStandIn) =>
    platform.log.lineItemRequests.filter((line) => line.startsWith('POST'));

  it('creates one line item when the first launches of a link arrive together', async () => {
    const { platform, exercise, launchOf } = await setUp();
    const launches = await Promise.all(
      Array.from({ length: CONCURRENT_LAUNCHES }, (_, index) => launchOf(`learner-${index}`)),
    );

    const answers = await Promise.all(
      launches.map((launch) => launchLineItem(runtime, launch, exercise)),
    );

    expect(posts(platform)).toHaveLength(1);
    expect(platform.lineItems).toHaveLength(1);
    const lineItemUrl = platform.lineItems[0]!.id;
    // A launch that gave up waiting gets the line item at its first submission, without asking.
    const settled: LaunchLineItem[] = [];
    for (const [index, answer] of answers.entries()) {
      if (answer.ok) settled.push(answer);
      else {
        const again = await runtime.ltiLaunches.get(launches[index]!.tenantId, launches[index]!.id);
        settled.push(await launchLineItem(runtime, again!, exercise));
      }
    }
    expect(settled).toEqual(launches.map(() => ({ ok: true, lineItemUrl })));
    expect(posts(platform)).toHaveLength(1);
    const recorded = await Promise.all(
      launches.map((launch) => runtime.ltiLaunches.get(launch.tenantId, launch.id)),
    );
    expect(recorded.map((launch) => launch?.lineItemUrl)).toEqual(launches.map(() => lineItemUrl));
  });

  it('does not call the platform while another launch holds the lease, and takes a stale lease over', async () => {
    const { platform, exercise, launchOf, tenant, resourceLinkId } = await setUp();
    const crashed = await launchOf('learner-whose-launch-crashed');
    // The crashed launch claimed the link and never answered.
    const claim = await runtime.ltiLaunches.claimLineItem(
      {
        tenantId: tenant.tenantId,
        platformId: crashed.platformId,
        lineItemsUrl: platform.lineItemsUrl,
        resourceLinkId,
      },
      60_000,
    );
    expect(claim.kind).toBe('claimed');

    const waiting = await launchLineItem(runtime, await launchOf('learner-a'), exercise, {
      staleAfterMs: 60_000,
      waitMs: 300,
    });
    expect(waiting).toEqual({
      ok: false,
      reason: 'another launch of the resource link is asking the platform',
    });
    expect(platform.log.lineItemRequests).toEqual([]);

    // Once the claim is older than the bound, the next launch takes it over and asks the platform.
    await api.api.infra.database.prisma.$executeRaw`
      UPDATE lti_line_item_lease SET claimed_at = now() - interval '2 minutes'
      WHERE tenant_id = ${tenant.tenantId}::uuid`;
    const takenOver = await launchLineItem(runtime, await launchOf('learner-b'), exercise, {
      staleAfterMs: 60_000,
      waitMs: 300,
    });
    expect(platform.lineItems).toHaveLength(1);
    expect(takenOver).toEqual({ ok: true, lineItemUrl: platform.lineItems[0]!.id });
    expect(posts(platform)).toHaveLength(1);
  });

  it('a waiting launch asks the platform itself when the holder gives the lease up', async () => {
    const { platform, exercise, launchOf, tenant, resourceLinkId } = await setUp();
    const link = {
      tenantId: tenant.tenantId,
      platformId: (await launchOf('learner-holding')).platformId,
      lineItemsUrl: platform.lineItemsUrl,
      resourceLinkId,
    };
    const claim = await runtime.ltiLaunches.claimLineItem(link, 60_000);
    if (claim.kind !== 'claimed') throw new Error(`expected the lease, got ${claim.kind}`);
    const waiting = launchLineItem(runtime, await launchOf('learner-waiting'), exercise, {
      staleAfterMs: 60_000,
      waitMs: 20_000,
    });
    await runtime.ltiLaunches.releaseLineItem(link, claim.holder);

    expect(await waiting).toEqual({ ok: true, lineItemUrl: platform.lineItems[0]?.id });
    expect(posts(platform)).toHaveLength(1);
  });

  it('gives the lease up when the platform cannot answer, so the next launch asks again', async () => {
    const { platform, exercise, launchOf } = await setUp();
    platforms.splice(platforms.indexOf(platform), 1);
    await platform.close();
    const failed = await launchLineItem(runtime, await launchOf('learner-a'), exercise);
    expect(failed.ok).toBe(false);
    const rows = await api.api.infra.database.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM lti_line_item_lease
      WHERE platform_id = ${(await launchOf('learner-b')).platformId}::uuid`;
    expect(rows[0]?.n).toBe(0);
  });
});

const describeEmbedded = PGLITE_SKIP_REASON ? describe.skip : describe;

describeEmbedded(
  `the line item lease in embedded mode${PGLITE_SKIP_REASON ? ` (${PGLITE_SKIP_REASON})` : ''}`,
  () => {
    let embedded: EmbeddedTestApi;
    beforeAll(async () => {
      embedded = await startEmbeddedApi();
    }, 60_000);
    afterAll(async () => {
      await embedded?.close();
    });

    it('claims, waits on and records a link on the one PGlite connection', async () => {
      const { prisma } = embedded.api.infra.database;
      const [tenant] = await prisma.$queryRaw<{ id: string }[]>`
        INSERT INTO tenant (id, name) VALUES (gen_random_uuid(), ${`tenant-${randomUUID()}`})
        RETURNING id::text`;
      const platformId = randomUUID();
      await prisma.$executeRaw`
        INSERT INTO lti_platform (id, tenant_id, issuer, client_id, token_url, key_id, public_jwk, private_key_ciphertext)
        VALUES (${platformId}::uuid, ${tenant!.id}::uuid, 'https://lms.example.edu', 'client-1',
                'https://lms.example.edu/token', 'k1', '{}', 'v1.x')`;
      const launches = embedded.api.app.get(LtiLaunchRepository, { strict: false });
      const link = {
        tenantId: tenant!.id,
        platformId,
        lineItemsUrl: 'https://lms.example.edu/lineitems',
        resourceLinkId: 'link-1',
      };

      const [first, second] = await Promise.all([
        launches.claimLineItem(link, 60_000),
        launches.claimLineItem(link, 60_000),
      ]);
      expect([first.kind, second.kind].sort()).toEqual(['claimed', 'held']);
      const lineItemUrl = 'https://lms.example.edu/lineitems/7';
      expect(await launches.recordLineItem(link, lineItemUrl)).toBe(lineItemUrl);
      expect(await launches.claimLineItem(link, 60_000)).toEqual({ kind: 'known', lineItemUrl });
    });
  },
);
