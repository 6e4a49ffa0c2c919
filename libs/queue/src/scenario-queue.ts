// The queue that carries scenario runs from the API to the workers. Two drivers share these
// semantics: BullMQ on Redis (hosted) and an in-process queue (embedded mode, no Redis).
// Delivery is at-least-once: a handler may see the same run twice, even concurrently, so handlers
// must be idempotent (RunRepository.claim/complete are compare-and-set for that reason).

import type { QueuedJobState } from './bullmq-connections';

/** Where a run's job is; `missing` means the queue holds no job for it (never added, removed, or lost). */
export type ScenarioJobState = QueuedJobState;

/** `duplicate`: a job with this run id is still retained, so nothing was added (job id = run id). */
export type EnqueueOutcome = 'added' | 'duplicate';

export interface ScenarioJob {
  runId: string;
  /** 1 on first delivery; counts retries after a handler threw. */
  attempt: number;
  /** The reply address of the API process waiting on the run, if one is. */
  replyTo?: string;
}

/** Resolve when the run is handled; throw only for what a retry can fix. */
export type ScenarioJobHandler = (job: ScenarioJob) => Promise<void>;

export interface ConsumeOptions {
  concurrency?: number;
  /**
   * BullMQ only: how long a job's lock lives without renewal, and how often workers look for jobs
   * whose lock expired (their worker died) to deliver them again. BullMQ's defaults are 30 s each.
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export interface ScenarioConsumer {
  /** Stops taking jobs and waits for the ones in progress. */
  close(): Promise<void>;
}

export interface EnqueueOptions {
  /**
   * The caller committed the run a moment ago, so no job can exist for it yet: skip the check for
   * one (a Redis round trip). Were there one after all, adding it again is a no-op.
   */
  justCommitted?: boolean;
  /** The reply address of the process that waits on the run (RunStatusEvents.replyAddress). */
  replyTo?: string;
}

export interface ScenarioQueue {
  enqueue(runId: string, options?: EnqueueOptions): Promise<EnqueueOutcome>;
  getJobState(runId: string): Promise<ScenarioJobState>;
  /** Drops a job that is not being processed; false if there was none or it is active. */
  remove(runId: string): Promise<boolean>;
  consume(handler: ScenarioJobHandler, options?: ConsumeOptions): ScenarioConsumer;
  close(): Promise<void>;
}

/** Retries for errors a retry can fix (the database was briefly unreachable, a lock was lost). */
export const SCENARIO_JOB_ATTEMPTS = 3;
export const SCENARIO_JOB_BACKOFF_MS = 1_000;
/**
 * Finished jobs are kept a day: while a job is retained, enqueueing its run id again is a no-op,
 * so the outbox relay can resend after a crash without duplicating work.
 */
export const COMPLETED_JOB_RETENTION_SECONDS = 24 * 60 * 60;
export const FAILED_JOB_RETENTION_SECONDS = 7 * 24 * 60 * 60;
export const DEFAULT_CONCURRENCY = 1;

/** BullMQ refuses custom ids containing ':' or made only of digits; run ids are uuids. */
export function isValidJobId(runId: string): boolean {
  return runId.length > 0 && !runId.includes(':') && !/^\d+$/.test(runId);
}
