// The BullMQ driver of JobQueue: one BullMQ queue per job name (JOBS[name].queue), the job's retry
// policy from JOB_RETRY. Connections as bullmq-connections.ts opens them: producers fail fast when
// Redis is down, workers retry Redis forever.
import { JOB_RETRY, JOBS, type JobPayloads, type QueuedJobName } from '@netplay/contracts';
import { DelayedError, type Job, type Queue, type Worker } from 'bullmq';
import IORedis from 'ioredis';
import {
  closeWorkers,
  jobStateOf,
  openProducerQueue,
  startWorker,
  type BullmqConnectionOptions,
} from './bullmq-connections';
import {
  assertValidJobId,
  DEFAULT_CONCURRENCY,
  JobDeferral,
  resolveRetry,
  type AddJobOptions,
  type ConsumeOptions,
  type EnqueueOutcome,
  type JobConsumer,
  type JobFailureKind,
  type JobHandler,
  type JobQueue,
  type QueuedJobState,
  type ResolvedRetry,
  type RetryOverride,
} from './job-queue';

export interface BullmqJobQueueOptions extends BullmqConnectionOptions {
  /** Replaces the job name's attempts and back-off (required for a custom back-off). */
  retry?: RetryOverride;
}

export class BullmqJobQueue<Name extends QueuedJobName> implements JobQueue<Name> {
  private readonly consumers = new Set<JobConsumer>();

  private constructor(
    readonly jobName: Name,
    private readonly options: BullmqJobQueueOptions,
    private readonly retry: ResolvedRetry,
    private readonly connection: IORedis,
    /** Untyped in BullMQ's terms: `add` and the worker type the payload by the job name. */
    private readonly queue: Queue<unknown>,
  ) {}

  /** Connects and waits until Redis answers, so a wrong URL fails here rather than at the first job. */
  static async connect<Name extends QueuedJobName>(
    jobName: Name,
    options: BullmqJobQueueOptions,
  ): Promise<BullmqJobQueue<Name>> {
    const retry = resolveRetry(jobName, options.retry);
    await probeRedis(options.redisUrl);
    const { connection, queue } = await openProducerQueue<unknown>(JOBS[jobName].queue, options);
    return new BullmqJobQueue(jobName, options, retry, connection, queue);
  }

  /** Stored with each job: BullMQ's exponential back-off, or the name of the custom one. */
  private get backoff(): { type: string; delay?: number } {
    const backoff = this.retry.bullmqBackoff;
    return 'custom' in backoff ? { type: backoff.type } : backoff;
  }

  async add(payload: JobPayloads[Name], options: AddJobOptions): Promise<void> {
    assertValidJobId(options.jobId);
    const policy = JOB_RETRY[this.jobName];
    // Adding an id that exists is a no-op in BullMQ: the job stays as it is.
    await this.queue.add(this.jobName, payload, {
      jobId: options.jobId,
      attempts: options.attempts ?? this.retry.attempts,
      backoff: this.backoff,
      removeOnComplete: { age: policy.keepCompletedSeconds },
      removeOnFail: { age: policy.keepFailedSeconds },
    });
  }

  async addIfAbsent(payload: JobPayloads[Name], options: AddJobOptions): Promise<EnqueueOutcome> {
    assertValidJobId(options.jobId);
    if ((await this.getJobState(options.jobId)) !== 'missing') return 'duplicate';
    // A race between the look-up and the add is harmless: the add is then a no-op.
    await this.add(payload, options);
    return 'added';
  }

  getJobState(jobId: string): Promise<QueuedJobState> {
    return jobStateOf(this.queue, jobId);
  }

  async failureKind(jobId: string): Promise<JobFailureKind | undefined> {
    const job = await this.queue.getJob(jobId);
    if (!job?.failedReason) return undefined;
    // BullMQ's own wording (moveStalledJobsToWait), not an error a handler throws.
    return /stalled more than allowable limit/i.test(job.failedReason) ? 'stalled' : 'error';
  }

  async remove(jobId: string): Promise<boolean> {
    return (await this.queue.remove(jobId)) === 1;
  }

  consume(handler: JobHandler<Name>, options: ConsumeOptions = {}): JobConsumer {
    const processor = async (job: Job<JobPayloads[Name]>, token?: string) => {
      const result = await handler({
        id: job.id ?? '',
        payload: job.data,
        attempt: job.attemptsMade + 1,
      });
      if (result instanceof JobDeferral) {
        await job.moveToDelayed(Date.now() + result.delayMs, token);
        // Not an attempt: BullMQ leaves the job delayed and counts nothing against its retries.
        throw new DelayedError();
      }
      return result;
    };
    const workers: { worker: Worker; connection: IORedis }[] = [
      startWorker<JobPayloads[Name]>(JOBS[this.jobName].queue, processor, this.options, {
        concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
        ...(options.lockDurationMs !== undefined ? { lockDuration: options.lockDurationMs } : {}),
        ...(options.stalledIntervalMs !== undefined
          ? { stalledInterval: options.stalledIntervalMs }
          : {}),
        ...('custom' in this.retry.bullmqBackoff
          ? {
              settings: {
                backoffStrategy: (attemptsMade: number) => this.retry.delayMs(attemptsMade),
              },
            }
          : {}),
      }),
    ];
    const consumer: JobConsumer = {
      close: async () => {
        this.consumers.delete(consumer);
        await closeWorkers(workers);
      },
    };
    this.consumers.add(consumer);
    return consumer;
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.close()));
    await this.queue.close();
    await this.connection.quit().catch(() => undefined);
  }
}

/**
 * One connection attempt without retries: ioredis otherwise retries forever and BullMQ's
 * waitUntilReady waits with it, so a wrong URL would hang start-up instead of failing it.
 */
export async function probeRedis(redisUrl: string): Promise<void> {
  const probe = new IORedis(redisUrl, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } finally {
    probe.disconnect();
  }
}
