// Turns something that happened (a submission was graded, a run completed) into one stored message
// and one delivery job per subscribed, enabled endpoint. With no such endpoint nothing is stored:
// there is nobody to send it to, and a busy service would otherwise keep a row per run for tenants
// that never subscribed. With a dedupe key the call is idempotent: a job handler that runs twice
// (queue delivery is at-least-once) finds the first message and enqueues the same job ids again,
// which the queue ignores, so receivers see one `webhook-id`.
import type { WebhookEndpointRepository, WebhookEventRepository } from '@netplay/db';
import { webhookBody, type AnyWebhookEventType, type WebhookEventData } from './event-types';
import type { JobQueue } from '@netplay/queue';
import { enqueueDelivery } from './webhook-delivery-queue';

export interface PublishDependencies {
  endpoints: WebhookEndpointRepository;
  events: WebhookEventRepository;
  queue: JobQueue<'deliver-webhook'>;
  now?: () => Date;
}

export interface PublishedEvent {
  /** Null when no enabled endpoint subscribes to the type: nothing was stored or sent. */
  eventId: string | null;
  /** False when the dedupe key had already been used: the first message was (re)scheduled. */
  created: boolean;
  endpointIds: string[];
}

export async function publishWebhookEvent<Type extends AnyWebhookEventType>(
  tenantId: string,
  type: Type,
  data: WebhookEventData[Type],
  deps: PublishDependencies,
  dedupeKey?: string,
  /** The subscribed endpoints when the caller read them with the change (a run's completion); looked up otherwise. */
  knownSubscriberIds?: readonly string[],
): Promise<PublishedEvent> {
  const endpointIds = knownSubscriberIds
    ? [...knownSubscriberIds]
    : await deps.endpoints.subscriberIds(tenantId, type);
  if (endpointIds.length === 0) return { eventId: null, created: false, endpointIds };
  const at = (deps.now ?? (() => new Date()))();
  const { event, created } = await deps.events.create(tenantId, {
    type,
    payload: webhookBody(type, data, at),
    dedupeKey,
  });
  for (const endpointId of endpointIds)
    await enqueueDelivery(deps.queue, { eventId: event.id, endpointId, tenantId });
  return { eventId: event.id, created, endpointIds };
}

/** One more attempt of an existing event to one endpoint, logged as manual; the id and body stay the same. */
export async function redeliverWebhookEvent(
  tenantId: string,
  eventId: string,
  endpointId: string,
  deps: Pick<PublishDependencies, 'endpoints' | 'events' | 'queue'>,
): Promise<'scheduled' | 'not_found'> {
  const [event, endpoint] = await Promise.all([
    deps.events.getForTenant(tenantId, eventId),
    deps.endpoints.get(tenantId, endpointId),
  ]);
  if (!event || !endpoint) return 'not_found';
  await enqueueDelivery(deps.queue, { eventId, endpointId, tenantId, manual: true });
  return 'scheduled';
}
