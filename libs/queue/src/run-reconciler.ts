// The database is the system of record; Redis is not (it can lose acknowledged writes on failover,
// and a job can fail for good without the run hearing of it). The reconciler compares the two:
// a run still queued/running whose job is gone is enqueued again, as is one whose job failed on
// errors a retry can fix (a few times); one whose job stalled too often is marked failed, and
// announced like any finished run (below).
import type { JobQueue } from './job-queue';

/** What the reconciler needs from the runs table (RunRepository in @netplay/db provides it). */
export interface UnfinishedRunSource {
  listUnfinished(
    createdBefore: Date,
    limit?: number,
  ): Promise<Array<{ id: string; enqueueCount: number }>>;
  recordReenqueue(runId: string): Promise<void>;
  failUnfinished(runId: string, error: string, now?: Date): Promise<boolean>;
}

export interface ReconcileOptions {
  /** Runs younger than this are left alone: their outbox event may simply not be relayed yet. */
  minAgeMs?: number;
  limit?: number;
  now?: Date;
}

export interface ReconcileReport {
  checked: number;
  /** Runs whose job was gone, or had failed on errors a retry can fix, put on the queue again. */
  reenqueued: string[];
  failed: string[];
}

/**
 * How often the reconciler gives a run whose job failed on errors (PostgreSQL or Redis down through
 * all of the job's own retries) a new job before failing it: enough to ride out an outage of
 * several reconcile intervals, bounded so a database that never comes back does not loop forever.
 */
export const MAX_REENQUEUES_AFTER_ERRORS = 5;

export const DEFAULT_RECONCILE_MIN_AGE_MS = 60_000;

/** Stored as the run's error when the queue gave up on its job. */
export const QUEUE_GAVE_UP_ERROR = 'internal: the job queue gave up on this run';

export async function reconcileRuns(
  runs: UnfinishedRunSource,
  queue: JobQueue<'simulate-run'>,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const now = options.now ?? new Date();
  const candidates = await runs.listUnfinished(
    new Date(now.getTime() - (options.minAgeMs ?? DEFAULT_RECONCILE_MIN_AGE_MS)),
    options.limit,
  );
  const report: ReconcileReport = { checked: candidates.length, reenqueued: [], failed: [] };
  const enqueue = (runId: string) => queue.addIfAbsent({ runId }, { jobId: runId });
  for (const run of candidates) {
    const state = await queue.getJobState(run.id);
    if (state === 'missing') {
      if ((await enqueue(run.id)) === 'added') {
        await runs.recordReenqueue(run.id);
        report.reenqueued.push(run.id);
      }
    } else if (state === 'failed') {
      // The handler throws only for what a retry can fix; a job whose retries all met an outage
      // deserves a new one once the outage is over, as a lost job does. A job that stalled too
      // often is different: the run kills the workers that take it, so it is failed.
      if (
        (await queue.failureKind(run.id)) === 'error' &&
        run.enqueueCount < MAX_REENQUEUES_AFTER_ERRORS
      ) {
        await queue.remove(run.id);
        if ((await enqueue(run.id)) === 'added') {
          await runs.recordReenqueue(run.id);
          report.reenqueued.push(run.id);
        }
      } else if (await runs.failUnfinished(run.id, QUEUE_GAVE_UP_ERROR, now)) {
        report.failed.push(run.id);
        // The run is finished now, but nobody said so: no status announcement, no `run.completed`
        // webhook. A new job for it does: its delivery finds the run finished and announces it and
        // publishes the webhook event from the stored row, with the job's own retries (the
        // handler's already-finished path). The failed job holds the run id, so it goes first.
        await queue.remove(run.id);
        await enqueue(run.id);
      }
    }
  }
  return report;
}
