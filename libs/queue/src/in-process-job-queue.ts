// The in-process driver of JobQueue for the embedded mode (no Redis): the same contract as the
// BullMQ driver — a retained id is not added twice, a throwing handler is retried after the job's
// back-off up to its attempts, a deferral puts the job back without spending one, at most
// `concurrency` jobs run at once. Jobs live in memory, so a process exit loses queued jobs and
// pending retries; the reconcilers add them again from the database on the next start, as they do
// after Redis loses data.
import type { JobPayloads, QueuedJobName } from '@netplay/contracts';
import {
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

interface InProcessJob<Name extends QueuedJobName> {
  id: string;
  payload: JobPayloads[Name];
  state: Exclude<QueuedJobState, 'missing'>;
  attempts: number;
  attemptsMade: number;
}

export interface InProcessJobQueueOptions {
  /** Replaces the job name's attempts and back-off (required for a custom back-off). */
  retry?: RetryOverride;
  /** Finished jobs kept (oldest dropped first); bounds memory in a long-lived process. */
  retainFinished?: number;
  /** Receives handler errors (they are otherwise only retried). */
  onError?: (error: unknown, jobId: string) => void;
}

const DEFAULT_RETAIN_FINISHED = 1_000;

export class InProcessJobQueue<Name extends QueuedJobName> implements JobQueue<Name> {
  private readonly jobs = new Map<string, InProcessJob<Name>>();
  private readonly waiting: string[] = [];
  private readonly finished: string[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly retry: ResolvedRetry;
  private handler?: JobHandler<Name>;
  private concurrency = DEFAULT_CONCURRENCY;
  private closed = false;

  constructor(
    readonly jobName: Name,
    private readonly options: InProcessJobQueueOptions = {},
  ) {
    this.retry = resolveRetry(jobName, options.retry);
  }

  async add(payload: JobPayloads[Name], options: AddJobOptions): Promise<void> {
    await this.addIfAbsent(payload, options);
  }

  async addIfAbsent(payload: JobPayloads[Name], options: AddJobOptions): Promise<EnqueueOutcome> {
    if (this.closed) throw new Error('the queue is closed');
    if (this.jobs.has(options.jobId)) return 'duplicate';
    this.jobs.set(options.jobId, {
      id: options.jobId,
      payload,
      state: 'waiting',
      attempts: options.attempts ?? this.retry.attempts,
      attemptsMade: 0,
    });
    this.waiting.push(options.jobId);
    this.pump();
    return 'added';
  }

  async getJobState(jobId: string): Promise<QueuedJobState> {
    return this.jobs.get(jobId)?.state ?? 'missing';
  }

  async failureKind(jobId: string): Promise<JobFailureKind | undefined> {
    // Nothing stalls in one process: a failed job is one whose handler threw every time.
    return this.jobs.get(jobId)?.state === 'failed' ? 'error' : undefined;
  }

  async remove(jobId: string): Promise<boolean> {
    const job = this.jobs.get(jobId);
    if (!job || job.state === 'active') return false;
    this.jobs.delete(jobId);
    removeFrom(this.waiting, jobId);
    removeFrom(this.finished, jobId);
    return true;
  }

  consume(handler: JobHandler<Name>, options: ConsumeOptions = {}): JobConsumer {
    if (this.handler) throw new Error('the in-process queue has one consumer');
    this.handler = handler;
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    this.pump();
    return { close: () => this.close() };
  }

  /** Jobs not finished: waiting, running, or waiting on a timer for a retry or after a deferral. */
  pending(): number {
    return this.jobs.size - this.finished.length;
  }

  /**
   * Stops starting jobs and waits for the running ones, like BullMQ's `worker.close()`; retries
   * and deferrals waiting on a timer are dropped (the embedded mode accepts that).
   */
  async close(): Promise<void> {
    this.closed = true;
    this.timers.forEach(clearTimeout);
    this.timers.clear();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler) return;
    while (!this.closed && this.inFlight.size < this.concurrency && this.waiting.length > 0) {
      const job = this.jobs.get(this.waiting.shift() ?? '');
      if (!job) continue;
      job.state = 'active';
      const running = this.run(handler, job).finally(() => {
        this.inFlight.delete(running);
        this.pump();
      });
      this.inFlight.add(running);
    }
  }

  private async run(handler: JobHandler<Name>, job: InProcessJob<Name>): Promise<void> {
    try {
      // Start the handler on a later tick so add() returns before any work begins, as with Redis.
      await Promise.resolve();
      const result = await handler({
        id: job.id,
        payload: job.payload,
        attempt: job.attemptsMade + 1,
      });
      if (result instanceof JobDeferral) return this.putBack(job, result.delayMs);
      job.attemptsMade += 1;
      this.finish(job, 'completed');
    } catch (error) {
      job.attemptsMade += 1;
      this.options.onError?.(error, job.id);
      if (job.attemptsMade < job.attempts) this.putBack(job, this.retry.delayMs(job.attemptsMade));
      else this.finish(job, 'failed');
    }
  }

  private putBack(job: InProcessJob<Name>, delayMs: number): void {
    if (delayMs <= 0) {
      job.state = 'waiting';
      this.waiting.push(job.id);
      return;
    }
    job.state = 'delayed';
    // Closed: the retry is dropped with the others (no timer may outlive close).
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.jobs.get(job.id) !== job) return;
      job.state = 'waiting';
      this.waiting.push(job.id);
      this.pump();
    }, delayMs);
    this.timers.add(timer);
  }

  private finish(job: InProcessJob<Name>, state: 'completed' | 'failed'): void {
    job.state = state;
    this.finished.push(job.id);
    const retain = this.options.retainFinished ?? DEFAULT_RETAIN_FINISHED;
    while (this.finished.length > retain) this.jobs.delete(this.finished.shift() ?? '');
  }
}

function removeFrom(list: string[], value: string): void {
  const index = list.indexOf(value);
  if (index >= 0) list.splice(index, 1);
}
