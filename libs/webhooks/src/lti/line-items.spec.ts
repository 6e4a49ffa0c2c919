import { startLtiPlatformStandIn, type LtiPlatformStandIn } from '@netplay/testing';
import type { JWK } from 'jose';
import type { SsrfPolicy } from '../ssrf-guard';
import { findOrCreateLineItem, type LineItemRequest } from './line-items';
import { generateLtiToolKey, type LtiToolKey } from './lti-tool-key';
import type { LtiPlatformRegistration } from './lti-types';

const CLIENT_ID = 'netplay-tool';
const LOOPBACK_ALLOWED: SsrfPolicy = { allowedHosts: ['127.0.0.1/32'] };

describe('AGS line items', () => {
  let toolKey: LtiToolKey;
  let platform: LtiPlatformStandIn;
  beforeAll(async () => {
    toolKey = await generateLtiToolKey('tool-key-1');
    platform = await startLtiPlatformStandIn({
      clientId: CLIENT_ID,
      keys: () => ({ keys: [toolKey.publicJwk as JWK] }),
    });
  });
  afterAll(() => platform.close());

  const registration = (): LtiPlatformRegistration => ({
    tokenUrl: platform.tokenUrl,
    clientId: CLIENT_ID,
    privateKey: toolKey.privateKey,
    keyId: toolKey.keyId,
  });
  const request = (overrides: Partial<LineItemRequest> = {}): LineItemRequest => ({
    lineItemsUrl: platform.lineItemsUrl,
    resourceLinkId: 'link-a',
    scoreMaximum: 10,
    label: 'Fix the policy',
    resourceId: 'exercise-1',
    tag: 'netplay',
    mayCreate: true,
    ...overrides,
  });

  it("creates the resource link's line item once, then finds it", async () => {
    const first = await findOrCreateLineItem(registration(), request(), {
      policy: LOOPBACK_ALLOWED,
    });
    expect(first).toMatchObject({ ok: true, created: true });
    expect(platform.lineItems).toContainEqual({
      id: first.ok ? first.lineItemUrl : '',
      scoreMaximum: 10,
      label: 'Fix the policy',
      resourceId: 'exercise-1',
      resourceLinkId: 'link-a',
      tag: 'netplay',
    });
    const second = await findOrCreateLineItem(registration(), request(), {
      policy: LOOPBACK_ALLOWED,
    });
    expect(second).toEqual({
      ok: true,
      created: false,
      lineItemUrl: first.ok && first.lineItemUrl,
    });
    expect(platform.log.lineItemRequests).toEqual([
      'GET /lineitems?resource_link_id=link-a',
      'POST /lineitems',
      'GET /lineitems?resource_link_id=link-a',
    ]);
  });

  it("finds the platform's own line item of the link and never creates one", async () => {
    const existing = platform.addLineItem({
      scoreMaximum: 5,
      label: 'Made in the gradebook',
      resourceLinkId: 'link-b',
    });
    const before = platform.lineItems.length;
    const found = await findOrCreateLineItem(
      registration(),
      request({ resourceLinkId: 'link-b', mayCreate: false }),
      { policy: LOOPBACK_ALLOWED },
    );
    expect(found).toEqual({ ok: true, created: false, lineItemUrl: existing.id });
    expect(platform.lineItems).toHaveLength(before);
  });

  it('does not create a line item without the lineitem scope', async () => {
    const outcome = await findOrCreateLineItem(
      registration(),
      request({ resourceLinkId: 'link-c', mayCreate: false }),
      { policy: LOOPBACK_ALLOWED },
    );
    expect(outcome).toMatchObject({ ok: false, stage: 'lineitem', errorClass: 'no_line_item' });
    expect(platform.lineItems.some((item) => item.resourceLinkId === 'link-c')).toBe(false);
  });

  it('refuses an exercise without points, which no line item can hold', async () => {
    const outcome = await findOrCreateLineItem(
      registration(),
      request({ resourceLinkId: 'link-d', scoreMaximum: 0 }),
      { policy: LOOPBACK_ALLOWED },
    );
    expect(outcome).toMatchObject({ ok: false, errorClass: 'no_line_item' });
  });

  it('refuses a blocked container address before sending anything', async () => {
    const tokenRequests = platform.log.tokenRequests;
    const outcome = await findOrCreateLineItem(registration(), request(), {
      policy: { allowedHosts: [] },
    });
    expect(outcome).toMatchObject({ ok: false, stage: 'token', errorClass: 'ssrf_blocked' });
    expect(platform.log.tokenRequests).toBe(tokenRequests);
  });
});
