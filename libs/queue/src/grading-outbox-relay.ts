// Moves committed `submission.grade` outbox events onto the grading queue, like relayOutbox does for
// runs: rows are locked with SKIP LOCKED while being sent, and a resend after a crash (queue write
// done, commit lost) is absorbed by the queue because the job id is the submission id.
import { OUTBOX_EVENT_KINDS, type OutboxEventKind } from '@netplay/contracts';
import type { JobQueue } from './job-queue';
import { relayInBatches, type RelayOptions, type RelayReport } from './outbox-relay';

/** What the grading relay needs from the outbox table (OutboxRepository in @netplay/db provides it). */
export interface GradingOutboxSource {
  dispatchBatch(
    kinds: readonly OutboxEventKind[],
    limit: number,
    publish: (event: { submissionId: string }) => Promise<void>,
  ): Promise<{ dispatched: number; error?: unknown }>;
}

/**
 * Relays until the submission events are all sent, a batch fails, or `maxBatches` batches were sent.
 * `duplicates` stays 0: the add is a silent no-op for a retained job id (no look-up first).
 */
export function relayGradingOutbox(
  outbox: GradingOutboxSource,
  queue: JobQueue<'grade-submission'>,
  options: RelayOptions = {},
): Promise<RelayReport> {
  return relayInBatches(options, (batchSize) =>
    outbox.dispatchBatch([OUTBOX_EVENT_KINDS.submissionGrade], batchSize, ({ submissionId }) =>
      queue.add({ submissionId }, { jobId: submissionId }),
    ),
  );
}
