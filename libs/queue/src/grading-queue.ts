// Carries exercise submissions to the graders on their own `grading` queue, so a burst of learners
// never delays scenario runs (and the reverse). Job id = submission id: enqueueing a submission
// whose job is still retained is a no-op, and the grade is stored with a compare-and-set
// (ExerciseRepository.recordGrade), so at-least-once delivery grades each submission once.
// Two drivers: BullMQ on Redis (hosted) and in-process (embedded mode).
import { JOBS, type JobPayloads } from '@netplay/contracts';
import type { Queue, Worker } from 'bullmq';
import type IORedis from 'ioredis';
import {
  closeWorkers,
  jobStateOf,
  openProducerQueue,
  startWorker,
  type BullmqConnectionOptions,
} from './bullmq-connections';
import {
  COMPLETED_JOB_RETENTION_SECONDS,
  FAILED_JOB_RETENTION_SECONDS,
  isValidJobId,
  SCENARIO_JOB_ATTEMPTS,
  SCENARIO_JOB_BACKOFF_MS,
  type ScenarioJobState,
} from './scenario-queue';

const JOB_NAME = 'grade-submission' satisfies keyof JobPayloads;
type GradeSubmissionPayload = JobPayloads[typeof JOB_NAME];

/** Resolve when the submission is handled; throw only for what a retry can fix. */
export type GradingJobHandler = (submissionId: string) => Promise<void>;

export interface GradingQueue {
  enqueue(submissionId: string): Promise<void>;
  /** What the queue holds for the submission's job (the reconciler compares it with the table). */
  getJobState(submissionId: string): Promise<ScenarioJobState>;
  consume(handler: GradingJobHandler, options?: { concurrency?: number }): void;
  close(): Promise<void>;
}

export type BullmqGradingQueueOptions = BullmqConnectionOptions;

export class BullmqGradingQueue implements GradingQueue {
  private readonly workers: { worker: Worker; connection: IORedis }[] = [];

  private constructor(
    private readonly options: BullmqGradingQueueOptions,
    private readonly connection: IORedis,
    private readonly queue: Queue<GradeSubmissionPayload>,
  ) {}

  /** Producers fail fast while Redis is down, like the scenario queue (docs/data.md). */
  static async connect(options: BullmqGradingQueueOptions): Promise<BullmqGradingQueue> {
    const { connection, queue } = await openProducerQueue<GradeSubmissionPayload>(
      JOBS[JOB_NAME].queue,
      options,
    );
    return new BullmqGradingQueue(options, connection, queue);
  }

  async enqueue(submissionId: string): Promise<void> {
    if (!isValidJobId(submissionId))
      throw new Error(`submission id ${JSON.stringify(submissionId)} cannot be a BullMQ job id`);
    await this.queue.add(
      JOB_NAME,
      { submissionId },
      {
        jobId: submissionId,
        attempts: SCENARIO_JOB_ATTEMPTS,
        backoff: { type: 'exponential', delay: SCENARIO_JOB_BACKOFF_MS },
        removeOnComplete: { age: COMPLETED_JOB_RETENTION_SECONDS },
        removeOnFail: { age: FAILED_JOB_RETENTION_SECONDS },
      },
    );
  }

  async getJobState(submissionId: string): Promise<ScenarioJobState> {
    return jobStateOf(this.queue, submissionId);
  }

  consume(handler: GradingJobHandler, options: { concurrency?: number } = {}): void {
    this.workers.push(
      startWorker<GradeSubmissionPayload>(
        JOBS[JOB_NAME].queue,
        (job) => handler(job.data.submissionId),
        this.options,
        {
          concurrency: options.concurrency ?? 1,
        },
      ),
    );
  }

  /** Stops taking jobs, waits for the ones in progress, then closes the connections. */
  async close(): Promise<void> {
    await closeWorkers(this.workers);
    await this.queue.close();
    await this.connection.quit().catch(() => undefined);
  }
}

/** The same contract inside one process (embedded mode): jobs wait in memory until a handler consumes. */
export class InProcessGradingQueue implements GradingQueue {
  private handler?: GradingJobHandler;
  private readonly backlog: string[] = [];
  private readonly active = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly onError?: (error: unknown) => void) {}

  async enqueue(submissionId: string): Promise<void> {
    if (this.closed || this.active.has(submissionId)) return;
    this.active.add(submissionId);
    if (this.handler) this.start(submissionId);
    else this.backlog.push(submissionId);
  }

  /** Finished jobs are forgotten here, so they read as missing (the reconciler only asks about queued submissions). */
  async getJobState(submissionId: string): Promise<ScenarioJobState> {
    return this.active.has(submissionId) ? 'waiting' : 'missing';
  }

  consume(handler: GradingJobHandler): void {
    this.handler = handler;
    for (const submissionId of this.backlog.splice(0)) this.start(submissionId);
  }

  private start(submissionId: string): void {
    const handler = this.handler;
    if (!handler || this.closed) return;
    const run = this.attempt(handler, submissionId, 1).finally(() => {
      this.active.delete(submissionId);
      this.running.delete(run);
    });
    this.running.add(run);
  }

  private async attempt(
    handler: GradingJobHandler,
    submissionId: string,
    attempt: number,
  ): Promise<void> {
    try {
      // A microtask boundary: the enqueuer's request finishes before grading starts.
      await Promise.resolve();
      await handler(submissionId);
    } catch (error) {
      if (attempt < SCENARIO_JOB_ATTEMPTS && !this.closed)
        return this.attempt(handler, submissionId, attempt + 1);
      this.onError?.(error);
    }
  }

  /** Waits for the jobs in progress; queued ones are dropped (embedded mode accepts that). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.running]);
  }
}
