// Verifying a delivery: Standard Webhooks signatures (HMAC-SHA256 over `{id}.{timestamp}.{body}`)
// with the endpoint's `whsec_` secret, through the `standardwebhooks` package the API signs with.
import { Webhook } from 'standardwebhooks';
import type { WebhookEvent } from './types';

export type IncomingHeaders = Record<string, string | string[] | undefined> | Headers;

/**
 * The event of a delivery whose signature and timestamp check out (within 5 minutes); throws
 * otherwise. `body` is the raw request body as received: parse nothing before verifying. During a
 * secret rotation either secret verifies.
 */
export function verifyWebhook(
  body: string,
  headers: IncomingHeaders,
  secret: string,
): WebhookEvent {
  return new Webhook(secret).verify(body, signatureHeaders(headers)) as WebhookEvent;
}

function signatureHeaders(headers: IncomingHeaders): Record<string, string> {
  const read = (name: string): string => {
    if (headers instanceof Headers) return headers.get(name) ?? '';
    const value = Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
    return (Array.isArray(value) ? value[0] : value) ?? '';
  };
  return {
    'webhook-id': read('webhook-id'),
    'webhook-timestamp': read('webhook-timestamp'),
    'webhook-signature': read('webhook-signature'),
  };
}
