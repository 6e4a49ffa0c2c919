import { startLtiPlatformStandIn, type StandInUser } from '@netplay/testing';
import type { JWK } from 'jose';
import type { SsrfPolicy } from '../ssrf-guard';
import { generateLtiToolKey, type LtiToolKey } from './lti-tool-key';
import { MAX_MEMBERSHIP_PAGES, nextLink, readContextMembers } from './nrps-client';

const CLIENT_ID = 'netplay-tool';
const LOOPBACK_ALLOWED: SsrfPolicy = { allowedHosts: ['127.0.0.1/32'] };
const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';

const course = (count: number): StandInUser[] =>
  Array.from({ length: count }, (_, index) => ({
    sub: `member-${index + 1}`,
    roles: [LEARNER],
    name: `Member ${index + 1}`,
  }));

describe('NRPS memberships', () => {
  let toolKey: LtiToolKey;
  beforeAll(async () => {
    toolKey = await generateLtiToolKey('tool-key-1');
  });

  async function readFrom(members: StandInUser[], membershipsPageSize?: number) {
    const platform = await startLtiPlatformStandIn({
      clientId: CLIENT_ID,
      keys: () => ({ keys: [toolKey.publicJwk as JWK] }),
      members,
      ...(membershipsPageSize ? { membershipsPageSize } : {}),
    });
    try {
      const result = await readContextMembers(
        {
          tokenUrl: platform.tokenUrl,
          clientId: CLIENT_ID,
          privateKey: toolKey.privateKey,
          keyId: toolKey.keyId,
        },
        `${platform.baseUrl}/memberships`,
        { policy: LOOPBACK_ALLOWED },
      );
      return { result, pagesServed: [...platform.log.membershipPages] };
    } finally {
      await platform.close();
    }
  }

  it('follows Link rel="next" through a two-page roster', async () => {
    const { result, pagesServed } = await readFrom(course(3), 2);
    expect(pagesServed).toEqual(['/memberships', '/memberships?page=2']);
    expect(result).toMatchObject({ ok: true, pages: 2, truncated: false });
    expect(result.ok && result.members.map((member) => member.userId)).toEqual([
      'member-1',
      'member-2',
      'member-3',
    ]);
    expect(result.ok && result.members[2]).toEqual({
      userId: 'member-3',
      roles: [LEARNER],
      status: 'Active',
      name: 'Member 3',
    });
  });

  it('reads a roster without paging in one request', async () => {
    const { result, pagesServed } = await readFrom(course(3));
    expect(pagesServed).toEqual(['/memberships']);
    expect(result).toMatchObject({ ok: true, pages: 1, truncated: false });
  });

  it(`stops after ${MAX_MEMBERSHIP_PAGES} pages and says the roster is truncated`, async () => {
    const { result, pagesServed } = await readFrom(course(MAX_MEMBERSHIP_PAGES + 2), 1);
    expect(pagesServed).toHaveLength(MAX_MEMBERSHIP_PAGES);
    expect(result).toMatchObject({ ok: true, pages: MAX_MEMBERSHIP_PAGES, truncated: true });
    expect(result.ok && result.members).toHaveLength(MAX_MEMBERSHIP_PAGES);
  });

  it.each([
    ['<https://lms.example/m?page=2>; rel="next"', 'https://lms.example/m?page=2'],
    [
      '<https://lms.example/m?page=1>; rel="first", <https://lms.example/m?page=3>; rel=next',
      'https://lms.example/m?page=3',
    ],
    ['</m?page=2>; rel="next last"', 'https://lms.example/m?page=2'],
    ['<https://lms.example/m?page=1>; rel="prev"', undefined],
    ['', undefined],
    ['garbage', undefined],
  ])('reads the next page of Link: %s', (header, expected) => {
    expect(nextLink(header, 'https://lms.example/m')).toBe(expected);
  });
});
