// BullMQ driver. Settings follow BullMQ's "going to production" guide: producers fail fast when
// Redis is down (enableOfflineQueue: false) instead of hanging; workers retry Redis forever
// (maxRetriesPerRequest: null, which BullMQ requires for blocking commands).
import { QUEUE_NAMES, type JobPayloads } from '@netplay/contracts';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import {
  COMPLETED_JOB_RETENTION_SECONDS,
  DEFAULT_CONCURRENCY,
  FAILED_JOB_RETENTION_SECONDS,
  isValidJobId,
  SCENARIO_JOB_ATTEMPTS,
  SCENARIO_JOB_BACKOFF_MS,
  type ConsumeOptions,
  type EnqueueOptions,
  type EnqueueOutcome,
  type ScenarioConsumer,
  type ScenarioJobHandler,
  type ScenarioJobState,
  type ScenarioQueue,
} from './scenario-queue';
import { jobStateOf, openProducerQueue } from './bullmq-connections';

const JOB_NAME = 'simulate-run' satisfies keyof JobPayloads;
type SimulateRunPayload = JobPayloads[typeof JOB_NAME];

export interface BullmqQueueOptions {
  redisUrl: string;
  /** Key prefix in Redis (BullMQ's default is `bull`); tests use a unique one. */
  prefix?: string;
  /** Called with connection and worker errors, which BullMQ otherwise only emits as events. */
  onError?: (error: Error) => void;
}

export class BullmqScenarioQueue implements ScenarioQueue {
  private readonly consumers = new Set<ScenarioConsumer>();

  private constructor(
    private readonly options: BullmqQueueOptions,
    private readonly producerConnection: IORedis,
    private readonly queue: Queue<SimulateRunPayload>,
  ) {}

  /** Connects and waits until Redis answers, so a wrong URL fails here rather than at the first run. */
  static async connect(options: BullmqQueueOptions): Promise<BullmqScenarioQueue> {
    await probeRedis(options.redisUrl);
    const { connection, queue } = await openProducerQueue<SimulateRunPayload>(
      QUEUE_NAMES.scenario,
      options,
    );
    return new BullmqScenarioQueue(options, connection, queue);
  }

  async enqueue(runId: string, options: EnqueueOptions = {}): Promise<EnqueueOutcome> {
    if (!isValidJobId(runId))
      throw new Error(`run id ${JSON.stringify(runId)} cannot be a BullMQ job id`);
    if (!options.justCommitted && (await this.getJobState(runId)) !== 'missing') return 'duplicate';
    // Adding an id that exists is a no-op in BullMQ too, so a race between the check and the add is harmless.
    await this.queue.add(
      JOB_NAME,
      options.replyTo ? { runId, replyTo: options.replyTo } : { runId },
      {
        jobId: runId,
        attempts: SCENARIO_JOB_ATTEMPTS,
        backoff: { type: 'exponential', delay: SCENARIO_JOB_BACKOFF_MS },
        removeOnComplete: { age: COMPLETED_JOB_RETENTION_SECONDS },
        removeOnFail: { age: FAILED_JOB_RETENTION_SECONDS },
      },
    );
    return 'added';
  }

  async getJobState(runId: string): Promise<ScenarioJobState> {
    return jobStateOf(this.queue, runId);
  }

  async remove(runId: string): Promise<boolean> {
    return (await this.queue.remove(runId)) === 1;
  }

  consume(handler: ScenarioJobHandler, options: ConsumeOptions = {}): ScenarioConsumer {
    const connection = new IORedis(this.options.redisUrl, { maxRetriesPerRequest: null });
    const worker = new Worker<SimulateRunPayload>(
      QUEUE_NAMES.scenario,
      (job) =>
        handler({
          runId: job.data.runId,
          attempt: job.attemptsMade + 1,
          ...(job.data.replyTo ? { replyTo: job.data.replyTo } : {}),
        }),
      {
        connection,
        prefix: this.options.prefix,
        concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
        ...(options.lockDurationMs !== undefined ? { lockDuration: options.lockDurationMs } : {}),
        ...(options.stalledIntervalMs !== undefined
          ? { stalledInterval: options.stalledIntervalMs }
          : {}),
      },
    );
    worker.on('error', (error) => this.options.onError?.(error));
    const consumer: ScenarioConsumer = {
      close: async () => {
        this.consumers.delete(consumer);
        await worker.close();
        await connection.quit().catch(() => undefined);
      },
    };
    this.consumers.add(consumer);
    return consumer;
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.close()));
    await this.queue.close();
    await this.producerConnection.quit().catch(() => undefined);
  }
}

/**
 * One connection attempt without retries: ioredis otherwise retries forever and BullMQ's
 * waitUntilReady waits with it, so a wrong URL would hang start-up instead of failing it.
 */
async function probeRedis(redisUrl: string): Promise<void> {
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
