import { startLtiPlatformStandIn, type LtiPlatformStandIn } from '@netplay/testing';
import type { JWK } from 'jose';
import type { SsrfPolicy } from '../ssrf-guard';
import { passBackScore, scoresUrl } from './ags-client';
import { generateLtiToolKey } from './lti-tool-key';
import type { LtiPlatformRegistration } from './lti-types';

const CLIENT_ID = 'netplay-tool';
const LOOPBACK_ALLOWED: SsrfPolicy = { allowedHosts: ['127.0.0.1/32'] };

describe('LTI AGS score passback', () => {
  let toolKey: Awaited<ReturnType<typeof generateLtiToolKey>>;
  beforeAll(async () => {
    toolKey = await generateLtiToolKey('tool-key-1');
  });
  let platform: LtiPlatformStandIn;
  beforeAll(async () => {
    platform = await startLtiPlatformStandIn({
      clientId: CLIENT_ID,
      keys: () => ({ keys: [toolKey.publicJwk as JWK] }),
    });
  });
  afterAll(() => platform.close());

  const registration = (
    overrides: Partial<LtiPlatformRegistration> = {},
  ): LtiPlatformRegistration => ({
    tokenUrl: `${platform.baseUrl}/token`,
    clientId: CLIENT_ID,
    privateKey: toolKey.privateKey,
    keyId: toolKey.keyId,
    ...overrides,
  });
  const grade = () => ({
    lineItemUrl: `${platform.baseUrl}/lineitems/7?type=x`,
    userId: 'lti-user-42',
    scoreGiven: 7,
    scoreMaximum: 10,
  });

  it('gets a token with a signed assertion and posts the score', async () => {
    const before = platform.log.scores.length;
    const at = new Date();
    const outcome = await passBackScore(registration(), grade(), {
      policy: LOOPBACK_ALLOWED,
      now: () => at,
    });
    expect(outcome).toEqual({ ok: true, statusCode: 200 });
    expect(platform.log.scores.slice(before)).toEqual([
      {
        path: '/lineitems/7/scores?type=x',
        score: {
          userId: 'lti-user-42',
          scoreGiven: 7,
          scoreMaximum: 10,
          activityProgress: 'Completed',
          gradingProgress: 'FullyGraded',
          timestamp: at.toISOString(),
        },
      },
    ]);
  });

  it('is refused by the platform when the assertion is signed by another key', async () => {
    const outcome = await passBackScore(
      registration({ privateKey: (await generateLtiToolKey()).privateKey }),
      grade(),
      { policy: LOOPBACK_ALLOWED },
    );
    expect(outcome).toMatchObject({
      ok: false,
      stage: 'token',
      statusCode: 401,
      errorClass: 'http_4xx',
    });
  });

  it('refuses platform URLs on blocked addresses before sending anything', async () => {
    const tokenRequests = platform.log.tokenRequests;
    const outcome = await passBackScore(registration(), grade(), { policy: { allowedHosts: [] } });
    expect(outcome).toMatchObject({ ok: false, stage: 'token', errorClass: 'ssrf_blocked' });
    expect(platform.log.tokenRequests).toBe(tokenRequests);
  });

  it.each([
    [
      'https://lms.example/api/lti/courses/1/line_items/7',
      'https://lms.example/api/lti/courses/1/line_items/7/scores',
    ],
    ['https://lms.example/lineitems/7/?type=x', 'https://lms.example/lineitems/7/scores?type=x'],
  ])('posts scores for line item %s to %s', (lineItem, expected) => {
    expect(scoresUrl(lineItem)).toBe(expected);
  });
});
