// The one queue driver interface, keyed by a job name of the `JOBS` table (libs/contracts): each
// queue carries one job name, its payload type and its retry policy (`JOB_RETRY`). Two drivers share
// these semantics: BullMQ on Redis (hosted) and in-process (embedded mode, no Redis).
// Delivery is at-least-once: a handler may see the same job twice, even concurrently, so handlers
// must be idempotent (compare-and-set on the record the job names). The job id is the record's id,
// so adding a job whose id is still retained adds nothing.
import { JOB_RETRY, type JobPayloads, type QueuedJobName } from '@netplay/contracts';

/** Where a job is; `missing` means the queue holds no job with the id (never added, removed, or lost). */
export type QueuedJobState = 'missing' | 'waiting' | 'active' | 'delayed' | 'completed' | 'failed';

/**
 * Why a failed job failed: `stalled` when its workers died holding it too often (BullMQ's
 * "stalled more than allowable limit": the job itself kills workers), `error` when the handler
 * threw on every attempt (it throws only for what a retry can fix: PostgreSQL or Redis down).
 */
export type JobFailureKind = 'stalled' | 'error';

/** `duplicate`: a job with this id is still retained, so nothing was added. */
export type EnqueueOutcome = 'added' | 'duplicate';

export interface QueuedJob<Name extends QueuedJobName> {
  id: string;
  payload: JobPayloads[Name];
  /** 1 on first delivery; counts retries after a handler threw (deferrals do not count). */
  attempt: number;
}

/**
 * What a handler returns to put its job back for `delayMs` without spending an attempt (the
 * per-tenant webhook delivery cap: the tenant's slots are busy, try again in a moment).
 */
export class JobDeferral {
  constructor(readonly delayMs: number) {}
}

/**
 * Resolve when the job is handled (the value is kept as the job's result); throw only for what a
 * retry can fix; return a JobDeferral to put it back.
 */
export type JobHandler<Name extends QueuedJobName> = (job: QueuedJob<Name>) => Promise<unknown>;

export interface AddJobOptions {
  /** The id of the record the job is about: adding an id that is retained is a no-op. */
  jobId: string;
  /** Attempts this job may make, when not its policy's (a redelivery makes one). */
  attempts?: number;
}

/**
 * Attempts and the delay after each failed one (`failedAttempts` = 1 after the first), replacing
 * the policy's; required for a job name whose back-off is custom (the webhook retry schedule).
 */
export interface RetryOverride {
  attempts: number;
  delayMs(failedAttempts: number): number;
}

export interface ConsumeOptions {
  concurrency?: number;
  /**
   * BullMQ only: how long a job's lock lives without renewal, and how often workers look for jobs
   * whose lock expired (their worker died) to deliver them again. BullMQ's defaults are 30 s each.
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface JobConsumer {
  /** Stops taking jobs and waits for the ones in progress. */
  close(): Promise<void>;
}

export interface JobQueue<Name extends QueuedJobName> {
  readonly jobName: Name;
  /** Adds the job; a retained id is left as it is, without a look-up first. */
  add(payload: JobPayloads[Name], options: AddJobOptions): Promise<void>;
  /** Adds the job unless one with its id is retained (one more Redis round trip than add). */
  addIfAbsent(payload: JobPayloads[Name], options: AddJobOptions): Promise<EnqueueOutcome>;
  getJobState(jobId: string): Promise<QueuedJobState>;
  /** Why a failed job failed; undefined for a job that did not fail. */
  failureKind(jobId: string): Promise<JobFailureKind | undefined>;
  /** Drops a job that is not being processed; false if there was none or it is active. */
  remove(jobId: string): Promise<boolean>;
  consume(handler: JobHandler<Name>, options?: ConsumeOptions): JobConsumer;
  /** Stops the consumers (waiting for their jobs in progress), then closes the connections. */
  close(): Promise<void>;
}

export const DEFAULT_CONCURRENCY = 1;

/** BullMQ refuses custom ids containing ':' or made only of digits; record ids are uuids. */
export function isValidJobId(jobId: string): boolean {
  return jobId.length > 0 && !jobId.includes(':') && !/^\d+$/.test(jobId);
}

export function assertValidJobId(jobId: string): void {
  if (!isValidJobId(jobId))
    throw new Error(`id ${JSON.stringify(jobId)} cannot be a BullMQ job id`);
}

/** BullMQ's exponential back-off, for the in-process driver to wait the same. */
export function exponentialDelayMs(baseMs: number, failedAttempts: number): number {
  return Math.round(2 ** (failedAttempts - 1) * baseMs);
}

export interface ResolvedRetry {
  attempts: number;
  /** The delay after `failedAttempts` failures (BullMQ computes it itself for exponential back-off). */
  delayMs(failedAttempts: number): number;
  /** The back-off as BullMQ stores it with each job; a custom one needs the worker's strategy. */
  bullmqBackoff: { type: 'exponential'; delay: number } | { type: string; custom: true };
}

/** The job name's policy with the queue owner's override applied. */
export function resolveRetry(name: QueuedJobName, override?: RetryOverride): ResolvedRetry {
  const { backoff, attempts } = JOB_RETRY[name];
  if (override)
    return {
      attempts: override.attempts,
      delayMs: (failedAttempts) => override.delayMs(failedAttempts),
      bullmqBackoff: {
        type: backoff.type === 'custom' ? backoff.name : 'retry-override',
        custom: true,
      },
    };
  if (backoff.type === 'custom') throw new Error(`the ${name} queue needs its retry schedule`);
  return {
    attempts: attempts ?? 1,
    delayMs: (failedAttempts) => exponentialDelayMs(backoff.delayMs, failedAttempts),
    bullmqBackoff: { type: 'exponential', delay: backoff.delayMs },
  };
}
