import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { generateWebhookSecret, signWebhook } from './signing';

const BODY =
  '{"type":"submission.graded","timestamp":"2026-01-01T00:00:00.000Z","data":{"score":3}}';

describe('Standard Webhooks signing', () => {
  it('produces headers a platform verifies with standardwebhooks Webhook.verify', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook('msg_abc', BODY, [secret], new Date());
    expect(new Webhook(secret).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
  });

  it('signs with the current and the previous secret during a rotation, so either verifies', () => {
    const current = generateWebhookSecret();
    const previous = generateWebhookSecret();
    const headers = signWebhook('msg_abc', BODY, [current, previous], new Date());
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(headers['webhook-signature']).toMatch(/^v1,\S+ v1,\S+$/);
    for (const secret of [current, previous])
      expect(() => new Webhook(secret).verify(BODY, { ...headers })).not.toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(BODY, { ...headers })).toThrow(
      WebhookVerificationError,
    );
  });

  it.each([
    [
      'a changed body',
      (h: Record<string, string>) => ({ body: BODY.replace('3', '4'), headers: h }),
    ],
    [
      'a changed id',
      (h: Record<string, string>) => ({ body: BODY, headers: { ...h, 'webhook-id': 'msg_other' } }),
    ],
    [
      'a timestamp outside the 5 minute tolerance',
      (h: Record<string, string>) => ({
        body: BODY,
        headers: { ...h, 'webhook-timestamp': String(Number(h['webhook-timestamp']) - 600) },
      }),
    ],
  ])('fails verification after %s', (_name, tamper) => {
    const secret = generateWebhookSecret();
    const { body, headers } = tamper({ ...signWebhook('msg_abc', BODY, [secret], new Date()) });
    expect(() => new Webhook(secret).verify(body, headers)).toThrow(WebhookVerificationError);
  });

  it('signs each attempt afresh: a later timestamp gives another signature', () => {
    const secret = generateWebhookSecret();
    const first = signWebhook('msg_abc', BODY, [secret], new Date(1_700_000_000_000));
    const second = signWebhook('msg_abc', BODY, [secret], new Date(1_700_000_005_000));
    expect(second['webhook-id']).toBe(first['webhook-id']);
    expect(second['webhook-timestamp']).not.toBe(first['webhook-timestamp']);
    expect(second['webhook-signature']).not.toBe(first['webhook-signature']);
  });

  it.each([24, 32, 64])('generates whsec_ secrets of %s random bytes', (bytes) => {
    const secret = generateWebhookSecret(bytes);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(bytes);
  });

  it.each([16, 65])('refuses %s-byte secrets', (bytes) => {
    expect(() => generateWebhookSecret(bytes)).toThrow(RangeError);
  });
});
