// Carries delivery jobs to the sender on the `webhook-delivery` queue, its own queue so a slow or
// dead receiver never holds up scenario runs. The retry schedule (retry-schedule.ts) is BullMQ's
// custom backoff: a handler outcome of "failed, retry" throws, BullMQ waits `retryDelayMs` and
// calls again; "delivered", "failed, no retry" (410, endpoint disabled) and "skipped" complete the
// job. The in-process driver does the same with timers for the embedded (single-process) mode.
import { JOBS, QUEUE_NAMES, type JobPayloads } from '@netplay/contracts';
import { randomBytes } from 'node:crypto';
import {
  closeWorkers,
  openProducerQueue,
  startWorker,
  type BullmqConnectionOptions,
} from '@netplay/queue';
import { DelayedError, type Job, type Queue, type Worker } from 'bullmq';
import type IORedis from 'ioredis';
import type { DeliveryJob, DeliveryOutcome } from './deliver-webhook';
import {
  DEFAULT_RETRY_SCHEDULE,
  maxAttempts,
  retryDelayMs,
  type RetrySchedule,
} from './retry-schedule';

const JOB_NAME = 'deliver-webhook' satisfies keyof JobPayloads;
type DeliverWebhookPayload = JobPayloads[typeof JOB_NAME] & { manual?: boolean };
const BACKOFF_TYPE = 'webhook-schedule';
const COMPLETED_JOB_RETENTION_SECONDS = 24 * 3600;
const FAILED_JOB_RETENTION_SECONDS = 7 * 24 * 3600;

export type DeliveryHandler = (job: DeliveryJob) => Promise<DeliveryOutcome>;

export interface WebhookDeliveryQueue {
  /**
   * Schedules the series of attempts for (event, endpoint). A second call for the same pair while
   * the first is retained is a no-op; `manual` adds one extra attempt (redelivery) regardless.
   */
  enqueue(job: DeliveryJob): Promise<void>;
  consume(handler: DeliveryHandler): void;
  close(): Promise<void>;
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

function shouldRetry(outcome: DeliveryOutcome): boolean {
  return outcome.status === 'failed' && outcome.retry;
}

/** BullMQ job ids may not contain `:`; event ids (`msg_` + base64url) and uuids never do. */
function jobIdFor(job: DeliveryJob): string {
  const base = `dlv-${job.eventId}-${job.endpointId}`;
  return job.manual ? `${base}-manual-${randomBytes(6).toString('hex')}` : base;
}

export interface BullmqWebhookQueueOptions extends BullmqConnectionOptions {
  schedule?: RetrySchedule;
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

export class BullmqWebhookDeliveryQueue implements WebhookDeliveryQueue {
  private readonly workers: { worker: Worker; connection: IORedis }[] = [];

  private constructor(
    private readonly options: BullmqWebhookQueueOptions,
    private readonly connection: IORedis,
    private readonly queue: Queue<DeliverWebhookPayload>,
  ) {}

  static async connect(options: BullmqWebhookQueueOptions): Promise<BullmqWebhookDeliveryQueue> {
    const { connection, queue } = await openProducerQueue<DeliverWebhookPayload>(
      JOBS[JOB_NAME].queue,
      options,
    );
    return new BullmqWebhookDeliveryQueue(options, connection, queue);
  }

  private get schedule(): RetrySchedule {
    return this.options.schedule ?? DEFAULT_RETRY_SCHEDULE;
  }

  async enqueue(job: DeliveryJob): Promise<void> {
    await this.queue.add(
      JOB_NAME,
      {
        eventId: job.eventId,
        endpointId: job.endpointId,
        ...(job.tenantId ? { tenantId: job.tenantId } : {}),
        ...(job.manual ? { manual: true } : {}),
      },
      {
        jobId: jobIdFor(job),
        attempts: job.manual ? 1 : maxAttempts(this.schedule),
        backoff: { type: BACKOFF_TYPE },
        removeOnComplete: { age: COMPLETED_JOB_RETENTION_SECONDS },
        removeOnFail: { age: FAILED_JOB_RETENTION_SECONDS },
      },
    );
  }

  /**
   * A tenant whose deliveries already hold its share of this process's slots (slow or dead
   * receivers) gets its next one put back for a moment rather than another slot: the other
   * tenants' deliveries keep their latency whatever one tenant's endpoints do.
   */
  consume(handler: DeliveryHandler): void {
    const perTenant = this.options.perTenantConcurrency ?? DEFAULT_PER_TENANT_CONCURRENCY;
    const inFlight = new Map<string, number>();
    const processor = async (job: Job<DeliverWebhookPayload>, token?: string) => {
      const key = capKey(job.data);
      const busy = inFlight.get(key) ?? 0;
      if (busy >= perTenant && token) {
        const jitter = Math.floor(Math.random() * BUSY_TENANT_DEFER_MS);
        await job.moveToDelayed(Date.now() + BUSY_TENANT_DEFER_MS + jitter, token);
        // Not an attempt: BullMQ leaves the job delayed and counts nothing against its retries.
        throw new DelayedError();
      }
      inFlight.set(key, busy + 1);
      try {
        const outcome = await handler({
          eventId: job.data.eventId,
          endpointId: job.data.endpointId,
          tenantId: job.data.tenantId,
          manual: job.data.manual,
        });
        if (shouldRetry(outcome)) throw new RetryableDeliveryError(outcome);
        return outcome;
      } finally {
        const left = (inFlight.get(key) ?? 1) - 1;
        if (left > 0) inFlight.set(key, left);
        else inFlight.delete(key);
      }
    };
    this.workers.push(
      startWorker<DeliverWebhookPayload>(QUEUE_NAMES.webhookDelivery, processor, this.options, {
        concurrency: this.options.concurrency ?? DEFAULT_CONCURRENCY,
        settings: {
          backoffStrategy: (attemptsMade: number) => retryDelayMs(attemptsMade, this.schedule) ?? 0,
        },
      }),
    );
  }

  async close(): Promise<void> {
    await closeWorkers(this.workers);
    await this.queue.close();
    await this.connection.quit().catch(() => undefined);
  }
}

/**
 * Same contract in one process with timers (embedded mode). Pending retries live only in memory:
 * a restart forgets them, which the embedded mode accepts (docs/webhooks.md).
 */
export class InProcessWebhookDeliveryQueue implements WebhookDeliveryQueue {
  private handler?: DeliveryHandler;
  private readonly backlog: { id: string; job: DeliveryJob }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly active = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE,
    private readonly onError?: (error: unknown) => void,
  ) {}

  async enqueue(job: DeliveryJob): Promise<void> {
    const id = jobIdFor(job);
    if (this.active.has(id)) return;
    this.active.add(id);
    if (this.handler) this.attempt(id, job, 1);
    else this.backlog.push({ id, job });
  }

  consume(handler: DeliveryHandler): void {
    this.handler = handler;
    for (const { id, job } of this.backlog.splice(0)) this.attempt(id, job, 1);
  }

  private attempt(id: string, job: DeliveryJob, attemptNumber: number): void {
    const handler = this.handler;
    if (this.closed || !handler) return;
    const running = handler(job)
      .then(
        (outcome) => {
          const delay =
            shouldRetry(outcome) && !job.manual
              ? retryDelayMs(attemptNumber, this.schedule)
              : undefined;
          if (delay === undefined || this.closed) return void this.active.delete(id);
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            this.attempt(id, job, attemptNumber + 1);
          }, delay);
          this.timers.add(timer);
        },
        (error: unknown) => {
          this.active.delete(id);
          this.onError?.(error);
        },
      )
      .finally(() => this.running.delete(running));
    this.running.add(running);
  }

  /** Jobs whose attempts are not finished (running or waiting for a retry). */
  pending(): number {
    return this.active.size;
  }

  /**
   * Stops scheduling and waits for the attempts in progress, so none is cut off half-way through
   * recording its outcome when the database closes next; waiting retries are dropped.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.timers.forEach(clearTimeout);
    this.timers.clear();
    await Promise.all([...this.running]);
  }
}
