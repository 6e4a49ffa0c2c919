import type { PublishedEvent } from '../publish-webhook-event';

/** The publish's stored message, for tests whose tenant subscribed an endpoint; throws when none was stored. */
export function storedEvent(published: PublishedEvent): PublishedEvent & { eventId: string } {
  const { eventId } = published;
  if (eventId === null)
    throw new Error('no message was stored: no enabled endpoint subscribes to the event type');
  return { ...published, eventId };
}
