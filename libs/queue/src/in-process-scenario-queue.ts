// In-process driver for the embedded mode (no Redis): the same contract as the BullMQ driver —
// job id = run id, a retained id is not added twice, failed attempts are retried, at most
// `concurrency` jobs run at once. Jobs live in memory, so a process exit loses queued jobs; the
// run reconciler re-enqueues them from the database on the next start, as it does after Redis loses data.
import {
  DEFAULT_CONCURRENCY,
  SCENARIO_JOB_ATTEMPTS,
  type ConsumeOptions,
  type EnqueueOutcome,
  type ScenarioConsumer,
  type ScenarioJobHandler,
  type ScenarioJobState,
  type ScenarioQueue,
} from './scenario-queue';

type InProcessJobState = Exclude<ScenarioJobState, 'missing' | 'delayed'>;

interface InProcessJob {
  runId: string;
  state: InProcessJobState;
  attemptsMade: number;
}

export interface InProcessQueueOptions {
  attempts?: number;
  /** Finished jobs kept (oldest dropped first); bounds memory in a long-lived process. */
  retainFinished?: number;
  /** Receives handler errors (they are otherwise only retried). */
  onError?: (error: unknown, runId: string) => void;
}

const DEFAULT_RETAIN_FINISHED = 1_000;

export class InProcessScenarioQueue implements ScenarioQueue {
  private readonly jobs = new Map<string, InProcessJob>();
  private readonly waiting: string[] = [];
  private readonly finished: string[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private handler?: ScenarioJobHandler;
  private concurrency = DEFAULT_CONCURRENCY;
  private closed = false;

  constructor(private readonly options: InProcessQueueOptions = {}) {}

  async enqueue(runId: string): Promise<EnqueueOutcome> {
    if (this.closed) throw new Error('the queue is closed');
    if (this.jobs.has(runId)) return 'duplicate';
    this.jobs.set(runId, { runId, state: 'waiting', attemptsMade: 0 });
    this.waiting.push(runId);
    this.pump();
    return 'added';
  }

  async getJobState(runId: string): Promise<ScenarioJobState> {
    return this.jobs.get(runId)?.state ?? 'missing';
  }

  async remove(runId: string): Promise<boolean> {
    const job = this.jobs.get(runId);
    if (!job || job.state === 'active') return false;
    this.jobs.delete(runId);
    removeFrom(this.waiting, runId);
    removeFrom(this.finished, runId);
    return true;
  }

  consume(handler: ScenarioJobHandler, options: ConsumeOptions = {}): ScenarioConsumer {
    if (this.handler) throw new Error('the in-process queue has one consumer');
    this.handler = handler;
    this.concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    this.pump();
    return { close: () => this.close() };
  }

  /** Stops starting jobs and waits for the running ones, like BullMQ's `worker.close()`. */
  async close(): Promise<void> {
    this.closed = true;
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

  private async run(handler: ScenarioJobHandler, job: InProcessJob): Promise<void> {
    try {
      // Start the handler on a later tick so enqueue() returns before any work begins, as with Redis.
      await Promise.resolve();
      await handler({ runId: job.runId, attempt: job.attemptsMade + 1 });
      job.attemptsMade += 1;
      this.finish(job, 'completed');
    } catch (error) {
      job.attemptsMade += 1;
      this.options.onError?.(error, job.runId);
      if (job.attemptsMade < (this.options.attempts ?? SCENARIO_JOB_ATTEMPTS)) {
        job.state = 'waiting';
        this.waiting.push(job.runId);
      } else {
        this.finish(job, 'failed');
      }
    }
  }

  private finish(job: InProcessJob, state: 'completed' | 'failed'): void {
    job.state = state;
    this.finished.push(job.runId);
    const retain = this.options.retainFinished ?? DEFAULT_RETAIN_FINISHED;
    while (this.finished.length > retain) this.jobs.delete(this.finished.shift() ?? '');
  }
}

function removeFrom(list: string[], value: string): void {
  const index = list.indexOf(value);
  if (index >= 0) list.splice(index, 1);
}
