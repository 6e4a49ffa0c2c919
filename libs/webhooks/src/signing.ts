// Standard Webhooks signing (https://www.standardwebhooks.com, spec v1): HMAC-SHA256 over
// `{id}.{timestamp}.{body}` with a `whsec_` secret, through the `standardwebhooks` package, the
// same library platforms verify with. During a rotation overlap the header carries one `v1,`
// signature per secret, space-separated, so a verifier holding either secret accepts the message.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** 32 bytes: inside the spec's 24–64 byte range (192–512 bits). */
export const DEFAULT_SECRET_BYTES = 32;

export function generateWebhookSecret(bytes: number = DEFAULT_SECRET_BYTES): string {
  if (!Number.isInteger(bytes) || bytes < 24 || bytes > 64)
    throw new RangeError('webhook secrets are 24 to 64 random bytes');
  return `whsec_${randomBytes(bytes).toString('base64')}`;
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** Headers for one attempt: `at` is the attempt's own time, so every retry is signed afresh. */
export function signWebhook(
  id: string,
  body: string,
  secrets: readonly string[],
  at: Date,
): SignedHeaders {
  if (secrets.length === 0) throw new Error('an endpoint needs at least one signing secret');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' '),
  };
}
