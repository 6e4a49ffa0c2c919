// Webhook event types and payload shapes. The type strings are persisted (webhook_event.type,
// endpoints' subscriptions) and are part of the public contract: add new ones, never rename.
// Payloads follow the Standard Webhooks recommendation `{type, timestamp, data}`; they are thin
// (ids, scores, a summary) and receivers fetch details over the API.

export const WEBHOOK_EVENT_TYPES = [
  'submission.graded',
  'run.completed',
  'endpoint.disabled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * Sent to one endpoint when asked (`POST /v1/webhook-endpoints/{id}/ping`), whatever it subscribes
 * to, so an integrator can check their receiver and its signature check. Not subscribable.
 */
export const PING_EVENT_TYPE = 'endpoint.ping';
/** Every type a receiver may see: the subscribable ones and the ping. */
export const ALL_WEBHOOK_EVENT_TYPES = [...WEBHOOK_EVENT_TYPES, PING_EVENT_TYPE] as const;
export type AnyWebhookEventType = (typeof ALL_WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEventData {
  'submission.graded': {
    submissionId: string;
    exerciseId: string;
    exerciseSlug: string;
    learnerRef: string;
    status: 'graded' | 'failed';
    score: number;
    maxScore: number;
    /** Ids of the visible checks that passed / failed (hidden checks are never named). */
    passedChecks: string[];
    failedChecks: string[];
  };
  'run.completed': {
    runId: string;
    sandboxId: string;
    status: 'succeeded' | 'failed';
    /** Probe count and verdict counts, e.g. {delivered: 3, dropped: 1}. */
    summary: { steps: number; verdicts: Record<string, number> };
    error?: string;
  };
  'endpoint.disabled': { endpointId: string; url: string; reason: string };
  'endpoint.ping': { endpointId: string; url: string };
}

export interface WebhookEnvelope<Type extends AnyWebhookEventType = AnyWebhookEventType> {
  type: Type;
  /** When the event happened (ISO 8601); each attempt's own time is the `webhook-timestamp` header. */
  timestamp: string;
  data: WebhookEventData[Type];
}

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** The body text of an event: serialised once, stored, and sent byte-identical on every attempt. */
export function webhookBody<Type extends AnyWebhookEventType>(
  type: Type,
  data: WebhookEventData[Type],
  at: Date,
): string {
  const envelope: WebhookEnvelope<Type> = { type, timestamp: at.toISOString(), data };
  return JSON.stringify(envelope);
}
