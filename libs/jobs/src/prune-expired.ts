// The retention job: deletes finished runs (with their traces), settled webhook messages (with
// their delivery attempts), LTI launches and line item leases older than NETPLAY_RETENTION_DAYS, and
// used LTI nonces past their expiry, in batches until nothing is left.
// Scheduled by a BullMQ job scheduler in the workers and by a timer in the embedded API.
import type { RetentionRepository } from '@netplay/db';
import type { RetrySchedule } from '@netplay/webhooks';

const DAY_MS = 24 * 60 * 60 * 1_000;
/** Rows per statement: a few milliseconds of locks on a loaded database. */
export const DEFAULT_RETENTION_BATCH_SIZE = 1_000;
/** One pass stops after this many batches (a million rows) and leaves the rest to the next. */
const MAX_BATCHES_PER_PASS = 1_000;

export interface RetentionPolicy {
  /** Records older than this many days go; 0 keeps everything. */
  days: number;
  /** The webhook retry schedule: a message is kept while a retry may still come. */
  schedule: RetrySchedule;
  batchSize?: number;
}

export interface PruneReport {
  runs: number;
  webhookMessages: number;
  ltiLaunches: number;
  ltiLineItemLeases: number;
  ltiNonces: number;
  /** Statements run; each deleted at most one batch. */
  batches: number;
}

/**
 * The longest a message can wait for its last attempt: the schedule's delays, doubled when full
 * jitter (a draw up to twice the nominal delay) applies.
 */
export function retryWindowMs(schedule: RetrySchedule): number {
  const total = schedule.delaysMs.reduce((sum, delay) => sum + delay, 0);
  return schedule.jitter ? 2 * total : total;
}

export function retentionCutoffs(
  policy: RetentionPolicy,
  now: Date,
): { cutoff: Date; lastAttemptBefore: Date } {
  const ageMs = policy.days * DAY_MS;
  return {
    cutoff: new Date(now.getTime() - ageMs),
    // A retention shorter than the retry window must not cut a retry series short.
    lastAttemptBefore: new Date(now.getTime() - Math.max(ageMs, retryWindowMs(policy.schedule))),
  };
}

export async function pruneExpired(
  repository: Pick<
    RetentionRepository,
    'pruneRunsBatch' | 'pruneWebhookMessagesBatch' | 'pruneAgedBatch'
  >,
  policy: RetentionPolicy,
  now: Date = new Date(),
): Promise<PruneReport> {
  const report: PruneReport = {
    runs: 0,
    webhookMessages: 0,
    ltiLaunches: 0,
    ltiLineItemLeases: 0,
    ltiNonces: 0,
    batches: 0,
  };
  if (policy.days <= 0) return report;
  const batchSize = policy.batchSize ?? DEFAULT_RETENTION_BATCH_SIZE;
  const { cutoff, lastAttemptBefore } = retentionCutoffs(policy, now);
  const drain = async (batch: () => Promise<number>): Promise<number> => {
    let total = 0;
    for (let index = 0; index < MAX_BATCHES_PER_PASS; index += 1) {
      const deleted = await batch();
      report.batches += 1;
      total += deleted;
      if (deleted < batchSize) break;
      // Let the run path's statements in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return total;
  };
  report.runs = await drain(() => repository.pruneRunsBatch(cutoff, batchSize));
  report.webhookMessages = await drain(() =>
    repository.pruneWebhookMessagesBatch(cutoff, lastAttemptBefore, batchSize),
  );
  report.ltiLaunches = await drain(() =>
    repository.pruneAgedBatch('ltiLaunches', cutoff, batchSize),
  );
  report.ltiLineItemLeases = await drain(() =>
    repository.pruneAgedBatch('ltiLineItemLeases', cutoff, batchSize),
  );
  // Nonces carry their own expiry: past it, whatever the retention period.
  report.ltiNonces = await drain(() => repository.pruneAgedBatch('ltiNonces', now, batchSize));
  return report;
}
