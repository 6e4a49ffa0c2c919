// The reconciler of runs (run-reconciler.ts), for submissions: the submission table is the system of
// record, Redis is not. A submission still queued after `minAgeMs` whose grading job is gone (Redis
// lost it) is enqueued again; one whose job failed for good is marked failed.
import type { JobQueue } from './job-queue';
import {
  DEFAULT_RECONCILE_MIN_AGE_MS,
  QUEUE_GAVE_UP_ERROR,
  type ReconcileOptions,
  type ReconcileReport,
} from './run-reconciler';

/** What the reconciler needs from the submissions table (ExerciseRepository in @netplay/db provides it). */
export interface QueuedSubmissionSource {
  listQueuedSubmissions(createdBefore: Date, limit?: number): Promise<Array<{ id: string }>>;
  failQueuedSubmission(submissionId: string, error: string): Promise<boolean>;
}

export async function reconcileSubmissions(
  submissions: QueuedSubmissionSource,
  queue: JobQueue<'grade-submission'>,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const now = options.now ?? new Date();
  const candidates = await submissions.listQueuedSubmissions(
    new Date(now.getTime() - (options.minAgeMs ?? DEFAULT_RECONCILE_MIN_AGE_MS)),
    options.limit,
  );
  const report: ReconcileReport = { checked: candidates.length, reenqueued: [], failed: [] };
  for (const submission of candidates) {
    const state = await queue.getJobState(submission.id);
    if (state === 'missing') {
      await queue.add({ submissionId: submission.id }, { jobId: submission.id });
      report.reenqueued.push(submission.id);
    } else if (state === 'failed') {
      if (await submissions.failQueuedSubmission(submission.id, QUEUE_GAVE_UP_ERROR))
        report.failed.push(submission.id);
    }
  }
  return report;
}
