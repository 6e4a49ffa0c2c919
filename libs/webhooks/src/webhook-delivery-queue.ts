// Delivery jobs on the `webhook-delivery` job queue (a JobQueue of @netplay/queue, either driver),
// its own queue so a slow or dead receiver never holds up scenario runs. What is particular to
// deliveries lives here: the job id of a series, the retry schedule as the queue's custom back-off
// (a handler outcome of "failed, retry" throws, the queue waits `retryDelayMs` and calls again;
// "delivered", "failed, no retry" (410, endpoint disabled) and "skipped" complete the job), and the
// per-tenant cap on the deliveries one process sends at once.
import type { JobPayloads } from '@netplay/contracts';
import { randomBytes } from 'node:crypto';
import {
  JobDeferral,
  type JobConsumer,
  type JobQueue,
  type QueuedJobState,
  type RetryOverride,
} from '@netplay/queue';
import type { DeliveryJob, DeliveryOutcome } from './deliver-webhook';
import { maxAttempts, retryDelayMs, type RetrySchedule } from './retry-schedule';

export type DeliveryHandler = (job: DeliveryJob) => Promise<DeliveryOutcome>;

export interface DeliveryEnqueueOptions {
  /**
   * Attempts this job may make (default: the schedule's). A series rebuilt after Redis lost it
   * gets only the attempts its logged ones left.
   */
  attempts?: number;
}

export class RetryableDeliveryError extends Error {
  constructor(readonly outcome: DeliveryOutcome) {
    super(
      outcome.status === 'failed'
        ? `delivery attempt ${outcome.attempt} failed: ${outcome.errorClass}`
        : 'delivery failed',
    );
    this.name = 'RetryableDeliveryError';
  }
}

/** The retry schedule as the delivery queue's attempts and back-off: open the queue with it. */
export function deliveryRetry(schedule: RetrySchedule): RetryOverride {
  return {
    attempts: maxAttempts(schedule),
    delayMs: (failedAttempts) => retryDelayMs(failedAttempts, schedule) ?? 0,
  };
}

/** BullMQ job ids may not contain `:`; event ids (`msg_` + base64url) and uuids never do. */
function jobIdFor(job: Pick<DeliveryJob, 'eventId' | 'endpointId' | 'manual'>): string {
  const base = `dlv-${job.eventId}-${job.endpointId}`;
  return job.manual ? `${base}-manual-${randomBytes(6).toString('hex')}` : base;
}

/**
 * Schedules the series of attempts for (event, endpoint). A second call for the same pair while
 * the first is retained is a no-op; `manual` adds one extra attempt (redelivery) regardless.
 */
export function enqueueDelivery(
  queue: JobQueue<'deliver-webhook'>,
  job: DeliveryJob,
  options: DeliveryEnqueueOptions = {},
): Promise<void> {
  const payload: JobPayloads['deliver-webhook'] = {
    eventId: job.eventId,
    endpointId: job.endpointId,
    ...(job.tenantId ? { tenantId: job.tenantId } : {}),
    ...(job.manual ? { manual: true } : {}),
  };
  return queue.add(payload, {
    jobId: jobIdFor(job),
    ...(job.manual ? { attempts: 1 } : options.attempts !== undefined ? options : {}),
  });
}

/** What the queue holds for the (event, endpoint) series; the delivery reconciler asks. */
export function deliveryJobState(
  queue: JobQueue<'deliver-webhook'>,
  job: Pick<DeliveryJob, 'eventId' | 'endpointId'>,
): Promise<QueuedJobState> {
  return queue.getJobState(jobIdFor(job));
}

export interface ConsumeDeliveriesOptions {
  /** Deliveries one process sends at once (default 20). */
  concurrency?: number;
  /** Of those, at most this many for one tenant (default 4). */
  perTenantConcurrency?: number;
}

const DEFAULT_CONCURRENCY = 20;
const DEFAULT_PER_TENANT_CONCURRENCY = 4;
/** How long a delivery waits when its tenant's slots are all busy (plus up to as much jitter). */
const BUSY_TENANT_DEFER_MS = 500;

/** The tenant whose slots a delivery takes; jobs queued without one count per endpoint. */
function capKey(job: { tenantId?: string; endpointId: string }): string {
  return job.tenantId ? `tenant:${job.tenantId}` : `endpoint:${job.endpointId}`;
}

/**
 * Takes delivery jobs in this process. A tenant whose deliveries already hold its share of this
 * process's slots (slow or dead receivers) gets its next one put back for a moment rather than
 * another slot: the other tenants' deliveries keep their latency whatever one tenant's endpoints do.
 */
export function consumeDeliveries(
  queue: JobQueue<'deliver-webhook'>,
  handler: DeliveryHandler,
  options: ConsumeDeliveriesOptions = {},
): JobConsumer {
  const perTenant = options.perTenantConcurrency ?? DEFAULT_PER_TENANT_CONCURRENCY;
  const inFlight = new Map<string, number>();
  return queue.consume(
    async ({ payload }) => {
      const key = capKey(payload);
      const busy = inFlight.get(key) ?? 0;
      if (busy >= perTenant)
        return new JobDeferral(
          BUSY_TENANT_DEFER_MS + Math.floor(Math.random() * BUSY_TENANT_DEFER_MS),
        );
      inFlight.set(key, busy + 1);
      try {
        const outcome = await handler({
          eventId: payload.eventId,
          endpointId: payload.endpointId,
          tenantId: payload.tenantId,
          manual: payload.manual,
        });
        if (outcome.status === 'failed' && outcome.retry) throw new RetryableDeliveryError(outcome);
        return outcome;
      } finally {
        const left = (inFlight.get(key) ?? 1) - 1;
        if (left > 0) inFlight.set(key, left);
        else inFlight.delete(key);
      }
    },
    { concurrency: options.concurrency ?? DEFAULT_CONCURRENCY },
  );
}
