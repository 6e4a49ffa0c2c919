// Carries one kind of outbox event from the database to its queue, in the background of every
// process that produces or consumes it (API and workers): the relay (committed events onto the
// queue, on a timer and at once when nudged after a commit) and the reconciler (records the
// database says are unfinished whose job the queue lost, on a slower timer). What differs between
// kinds is only which relay and which reconciler run, so one class takes the kind and its sources.
// Several processes may dispatch the same kind at once: the relay locks rows with SKIP LOCKED and
// the job id is the record id, so a resend or a second re-enqueue is absorbed by the queue.
import type { OutboxEventKind } from '@netplay/contracts';
import { relayGradingOutbox, type GradingOutboxSource } from './grading-outbox-relay';
import { DEFAULT_RELAY_INTERVAL_MS, RelayLoop } from './outbox-relay-loop';
import { relayOutbox, type OutboxSource, type RelayReport } from './outbox-relay';
import { PeriodicPass } from './periodic-pass';
import { reconcileRuns, type ReconcileReport, type UnfinishedRunSource } from './run-reconciler';
import type { JobQueue } from './job-queue';
import { reconcileSubmissions, type QueuedSubmissionSource } from './submission-reconciler';

/** What each kind's relay and reconciler read and write. */
export interface OutboxKindSources {
  'run.enqueue': {
    outbox: OutboxSource;
    records: UnfinishedRunSource;
    queue: JobQueue<'simulate-run'>;
  };
  'submission.grade': {
    outbox: GradingOutboxSource;
    records: QueuedSubmissionSource;
    queue: JobQueue<'grade-submission'>;
  };
}

export interface OutboxDispatcherOptions {
  relayIntervalMs?: number;
  /** Events younger than this are left to whoever enqueued them directly after the commit. */
  relayMinAgeMs?: number;
  reconcileIntervalMs?: number;
  /** Records younger than this are left to the relay. */
  reconcileMinAgeMs?: number;
  /** Runs the first reconcile pass at start rather than one interval later. */
  reconcileAtStart?: boolean;
  onRelayError?: (error: unknown) => void;
  onReconcileReport?: (report: ReconcileReport) => void;
  onReconcileError?: (error: unknown) => void;
}

export const DEFAULT_RECONCILE_INTERVAL_MS = 30_000;

type KindPasses = {
  [Kind in OutboxEventKind]: {
    relay(sources: OutboxKindSources[Kind], minAgeMs: number): Promise<RelayReport>;
    reconcile(sources: OutboxKindSources[Kind], minAgeMs?: number): Promise<ReconcileReport>;
  };
};

/** The one table a new outbox kind is added to (with its sources above). */
const PASSES: KindPasses = {
  'run.enqueue': {
    relay: ({ outbox, queue }, minAgeMs) => relayOutbox(outbox, queue, { minAgeMs }),
    reconcile: ({ records, queue }, minAgeMs) => reconcileRuns(records, queue, { minAgeMs }),
  },
  'submission.grade': {
    relay: ({ outbox, queue }) => relayGradingOutbox(outbox, queue),
    reconcile: ({ records, queue }, minAgeMs) => reconcileSubmissions(records, queue, { minAgeMs }),
  },
};

export class OutboxDispatcher {
  private readonly relay: RelayLoop;
  private readonly reconciler: PeriodicPass<ReconcileReport>;
  private readonly reconcilePass: () => Promise<ReconcileReport>;

  private constructor(
    relay: () => Promise<RelayReport>,
    reconcile: () => Promise<ReconcileReport>,
    options: OutboxDispatcherOptions,
  ) {
    this.relay = new RelayLoop(relay, {
      intervalMs: options.relayIntervalMs ?? DEFAULT_RELAY_INTERVAL_MS,
      onError: options.onRelayError,
    });
    this.reconcilePass = reconcile;
    this.reconciler = new PeriodicPass(reconcile, {
      intervalMs: options.reconcileIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS,
      immediately: options.reconcileAtStart,
      onReport: options.onReconcileReport,
      onError: options.onReconcileError,
    });
  }

  static for<Kind extends OutboxEventKind>(
    kind: Kind,
    sources: OutboxKindSources[Kind],
    options: OutboxDispatcherOptions = {},
  ): OutboxDispatcher {
    const passes = PASSES[kind] as KindPasses[Kind];
    return new OutboxDispatcher(
      () => passes.relay(sources, options.relayMinAgeMs ?? 0),
      () => passes.reconcile(sources, options.reconcileMinAgeMs),
      options,
    );
  }

  start(): void {
    this.relay.start();
    this.reconciler.start();
  }

  /** Relays now, or right after the pass in progress (the submit path calls it after committing). */
  nudge(): void {
    this.relay.nudge();
  }

  /** One reconcile pass outside the timer. */
  reconcile(): Promise<ReconcileReport> {
    return this.reconcilePass();
  }

  /** Stops both timers and waits for the passes in progress. */
  async stop(): Promise<void> {
    await Promise.all([this.relay.stop(), this.reconciler.stop()]);
  }
}
