// Moves committed `run.enqueue` outbox events onto the scenario queue. Safe to run concurrently and
// repeatedly: rows are locked with SKIP LOCKED while being sent, and a resend after a crash (queue
// write done, commit lost) is absorbed by the queue because the job id is the run id.
import { OUTBOX_EVENT_KINDS, type OutboxEventKind } from '@netplay/contracts';
import { failpoint, FAILPOINTS } from './failpoint';
import type { JobQueue } from './job-queue';

/** What the relay needs from the outbox table (OutboxRepository in @netplay/db provides it). */
export interface OutboxSource {
  dispatchBatch(
    kinds: readonly OutboxEventKind[],
    limit: number,
    publish: (event: { runId: string }) => Promise<void>,
    options?: { minAgeMs?: number },
  ): Promise<{ dispatched: number; error?: unknown }>;
}

export interface RelayReport {
  dispatched: number;
  /** Events the queue already held (a resend). */
  duplicates: number;
  error?: unknown;
}

export interface RelayOptions {
  batchSize?: number;
  /** Batches per call, so one call cannot run forever behind a flood of events. */
  maxBatches?: number;
  /**
   * Leave events younger than this alone (0 by default). Where the API enqueues each run itself
   * right after its commit, and the worker's claim deletes the event, the relay only has
   * to catch the runs that path missed: waiting DIRECT_ENQUEUE_GRACE_MS saves sending every run twice.
   */
  minAgeMs?: number;
}

/** How long the relay leaves a run to the API's own enqueue and the worker's claim (see minAgeMs). */
export const DIRECT_ENQUEUE_GRACE_MS = 5_000;

const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_MAX_BATCHES = 10;

/** Relays until the outbox is empty, a batch fails, or `maxBatches` batches were sent. */
export async function relayOutbox(
  outbox: OutboxSource,
  queue: JobQueue<'simulate-run'>,
  options: RelayOptions = {},
): Promise<RelayReport> {
  let duplicates = 0;
  const report = await relayInBatches(options, (batchSize) =>
    outbox.dispatchBatch(
      [OUTBOX_EVENT_KINDS.runEnqueue],
      batchSize,
      async (event) => {
        const outcome = await queue.addIfAbsent({ runId: event.runId }, { jobId: event.runId });
        if (outcome === 'duplicate') duplicates += 1;
        failpoint(FAILPOINTS.afterRelayEnqueue);
      },
      { minAgeMs: options.minAgeMs ?? 0 },
    ),
  );
  return { ...report, duplicates };
}

/**
 * Sends batch after batch until one comes back short (the outbox is drained), one fails, or
 * `maxBatches` were sent: one call cannot run forever behind a flood of events.
 */
export async function relayInBatches(
  options: Pick<RelayOptions, 'batchSize' | 'maxBatches'>,
  sendBatch: (batchSize: number) => Promise<{ dispatched: number; error?: unknown }>,
): Promise<RelayReport> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const report: RelayReport = { dispatched: 0, duplicates: 0 };
  for (let batch = 0; batch < (options.maxBatches ?? DEFAULT_MAX_BATCHES); batch += 1) {
    const result = await sendBatch(batchSize);
    report.dispatched += result.dispatched;
    if (result.error !== undefined) return { ...report, error: result.error };
    if (result.dispatched < batchSize) break;
  }
  return report;
}
