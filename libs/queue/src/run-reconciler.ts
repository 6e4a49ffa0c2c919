// The database is the system of record; Redis is not (it can lose acknowledged writes on failover,
// and a job can fail for good without the run hearing of it). The reconciler compares the two:
// a run still queued/running whose job is gone is enqueued again; one whose job failed for good
// is marked failed.
import type { ScenarioQueue } from './scenario-queue';

/** What the reconciler needs from the runs table (RunRepository in @netplay/db provides it). */
export interface UnfinishedRunSource {
  listUnfinished(createdBefore: Date, limit?: number): Promise<Array<{ id: string }>>;
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
  reenqueued: string[];
  failed: string[];
}

export const DEFAULT_RECONCILE_MIN_AGE_MS = 60_000;

/** Stored as the run's error when the queue gave up on its job. */
export const QUEUE_GAVE_UP_ERROR = 'internal: the job queue gave up on this run';

export async function reconcileRuns(
  runs: UnfinishedRunSource,
  queue: ScenarioQueue,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const now = options.now ?? new Date();
  const candidates = await runs.listUnfinished(
    new Date(now.getTime() - (options.minAgeMs ?? DEFAULT_RECONCILE_MIN_AGE_MS)),
    options.limit,
  );
  const report: ReconcileReport = { checked: candidates.length, reenqueued: [], failed: [] };
  for (const run of candidates) {
    const state = await queue.getJobState(run.id);
    if (state === 'missing') {
      if ((await queue.enqueue(run.id)) === 'added') {
        await runs.recordReenqueue(run.id);
        report.reenqueued.push(run.id);
      }
    } else if (state === 'failed') {
      if (await runs.failUnfinished(run.id, QUEUE_GAVE_UP_ERROR, now)) report.failed.push(run.id);
    }
  }
  return report;
}
