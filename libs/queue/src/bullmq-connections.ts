// The Redis connections every BullMQ queue here uses, as BullMQ's "going to production" guide sets
// them: producers fail fast when Redis is down (enableOfflineQueue: false) instead of hanging;
// workers retry Redis forever (maxRetriesPerRequest: null, required for blocking commands).
import { Queue, Worker, type Processor, type WorkerOptions } from 'bullmq';
import IORedis from 'ioredis';
import type { QueuedJobState } from './job-queue';

export interface BullmqConnectionOptions {
  redisUrl: string;
  /** Key prefix in Redis (BullMQ's default is `bull`); tests use a unique one. */
  prefix?: string;
  /** Called with connection and worker errors, which BullMQ otherwise only emits as events. */
  onError?: (error: Error) => void;
}

/** Opens a producer queue and waits until Redis answers, so a wrong URL fails here, not at the first job. */
export async function openProducerQueue<T>(
  name: string,
  options: BullmqConnectionOptions,
): Promise<{ connection: IORedis; queue: Queue<T> }> {
  const connection = new IORedis(options.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  connection.on('error', (error) => options.onError?.(error));
  const queue = new Queue<T>(name, { connection, prefix: options.prefix });
  queue.on('error', (error) => options.onError?.(error));
  try {
    await queue.waitUntilReady();
  } catch (error) {
    await queue.close().catch(() => undefined);
    connection.disconnect();
    throw error;
  }
  return { connection, queue };
}

/** Starts a worker on its own connection (a blocking connection cannot be shared). */
export function startWorker<T>(
  name: string,
  processor: Processor<T>,
  options: BullmqConnectionOptions,
  settings: Omit<WorkerOptions, 'connection' | 'prefix'> = {},
): { worker: Worker<T>; connection: IORedis } {
  const connection = new IORedis(options.redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker<T>(name, processor, {
    ...settings,
    connection,
    prefix: options.prefix,
  });
  worker.on('error', (error) => options.onError?.(error));
  return { worker, connection };
}

/** Stops taking jobs, waits for the ones in progress, then closes the connections. */
export async function closeWorkers(
  workers: { worker: Worker; connection: IORedis }[],
): Promise<void> {
  for (const { worker, connection } of workers.splice(0)) {
    await worker.close();
    await connection.quit().catch(() => undefined);
  }
}

/** BullMQ's job state folded to QueuedJobState: an unknown id is a job Redis no longer holds. */
export async function jobStateOf(queue: Queue, jobId: string): Promise<QueuedJobState> {
  const state = await queue.getJobState(jobId);
  switch (state) {
    case 'unknown':
      return 'missing';
    case 'prioritized':
    case 'waiting':
    case 'waiting-children':
      return 'waiting';
    default:
      return state;
  }
}
