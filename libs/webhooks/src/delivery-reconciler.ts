// The database is the system of record for webhook messages too; Redis is not. A delivery whose job
// Redis lost (a flush, a restart without AOF, a failover that dropped writes: the job waiting for
// its next retry included) would otherwise never be sent again. The reconciler compares the two:
// every delivery the database says is unfinished (webhook_event × the endpoints subscribed when it
// was stored, no successful attempt, attempts left) whose job the queue no longer holds gets its
// job again, under the same job id and so the same message: receivers see the same `webhook-id`
// and body, and deduplicate on it. Safe to run in several processes at once: the job id is
// (event, endpoint), so a second enqueue of a series the queue holds is a no-op.
import type { UnfinishedDelivery } from '@netplay/db';
import type { JobQueue } from '@netplay/queue';
import { maxAttempts, type RetrySchedule } from './retry-schedule';
import { deliveryJobState, enqueueDelivery } from './webhook-delivery-queue';

/** What the reconciler needs from the message table (WebhookEventRepository provides it). */
export interface UnfinishedDeliverySource {
  listUnfinishedDeliveries(query: {
    createdAfter: Date;
    createdBefore: Date;
    maxAttempts: number;
    limit?: number;
  }): Promise<UnfinishedDelivery[]>;
}

export interface DeliveryReconcileOptions {
  schedule: RetrySchedule;
  /**
   * Messages younger than this are left alone: publishing stores the message, then enqueues its
   * jobs, and a pass must not catch it in between.
   */
  minAgeMs?: number;
  limit?: number;
  now?: Date;
}

export interface DeliveryReconcileReport {
  checked: number;
  /** `<event id>→<endpoint id>` of each series put on the queue again. */
  rebuilt: string[];
}

export const DEFAULT_DELIVERY_RECONCILE_MIN_AGE_MS = 60_000;

/**
 * How far back unfinished deliveries are looked for: the whole retry schedule at its longest (full
 * jitter doubles each delay) and an hour of slack. Older messages are past their last retry.
 */
export function deliveryLookbackMs(schedule: RetrySchedule): number {
  const longest = schedule.delaysMs.reduce((sum, delay) => sum + delay, 0);
  return (schedule.jitter ? 2 * longest : longest) + 60 * 60 * 1000;
}

export async function reconcileWebhookDeliveries(
  events: UnfinishedDeliverySource,
  queue: JobQueue<'deliver-webhook'>,
  options: DeliveryReconcileOptions,
): Promise<DeliveryReconcileReport> {
  const now = options.now ?? new Date();
  const attemptsInSchedule = maxAttempts(options.schedule);
  const unfinished = await events.listUnfinishedDeliveries({
    createdAfter: new Date(now.getTime() - deliveryLookbackMs(options.schedule)),
    createdBefore: new Date(
      now.getTime() - (options.minAgeMs ?? DEFAULT_DELIVERY_RECONCILE_MIN_AGE_MS),
    ),
    maxAttempts: attemptsInSchedule,
    limit: options.limit,
  });
  const report: DeliveryReconcileReport = { checked: unfinished.length, rebuilt: [] };
  for (const delivery of unfinished) {
    // A job that is there (waiting, delayed for its next retry, running) or failed for good is the
    // queue's business; only a missing one was lost.
    if ((await deliveryJobState(queue, delivery)) !== 'missing') continue;
    await enqueueDelivery(
      queue,
      { eventId: delivery.eventId, endpointId: delivery.endpointId, tenantId: delivery.tenantId },
      { attempts: attemptsInSchedule - delivery.attempts },
    );
    report.rebuilt.push(`${delivery.eventId}→${delivery.endpointId}`);
  }
  return report;
}
