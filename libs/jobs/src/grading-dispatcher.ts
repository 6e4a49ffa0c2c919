// Carries submissions from the database to the grading queue in every process that opens the
// grading runtime (API and worker): the outbox relay (committed `submission.grade` events onto the
// queue, at once when nudged after a submit) and, on a slower timer, the submission reconciler
// (queued submissions whose job Redis lost are enqueued again). Both are safe to run in several
// processes at once: rows are locked with SKIP LOCKED and the job id is the submission id.
import type { ExerciseRepository, OutboxRepository } from '@netplay/db';
import {
  DEFAULT_RECONCILE_MIN_AGE_MS,
  reconcileSubmissions,
  relayGradingOutbox,
  RelayLoop,
  type GradingQueue,
  type ReconcileReport,
} from '@netplay/queue';

export interface GradingDispatcherOptions {
  relayIntervalMs?: number;
  reconcileIntervalMs?: number;
  reconcileMinAgeMs?: number;
  onError?: (error: unknown) => void;
}

export const DEFAULT_SUBMISSION_RECONCILE_INTERVAL_MS = 30_000;

export class GradingDispatcher {
  private readonly relay: RelayLoop;
  private timer?: NodeJS.Timeout;
  private reconciling?: Promise<unknown>;
  private stopped = true;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly exercises: ExerciseRepository,
    private readonly queue: GradingQueue,
    private readonly options: GradingDispatcherOptions = {},
  ) {
    this.relay = new RelayLoop(() => relayGradingOutbox(this.outbox, this.queue), {
      intervalMs: options.relayIntervalMs,
      onError: options.onError,
    });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.relay.start();
    this.scheduleReconcile();
  }

  /** Relays now (the submit path calls it right after committing). */
  nudge(): void {
    this.relay.nudge();
  }

  /** One reconcile pass, also used by the timer. */
  reconcile(now?: Date): Promise<ReconcileReport> {
    return reconcileSubmissions(this.exercises, this.queue, {
      minAgeMs: this.options.reconcileMinAgeMs ?? DEFAULT_RECONCILE_MIN_AGE_MS,
      now,
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all([this.relay.stop(), this.reconciling]);
  }

  private scheduleReconcile(): void {
    this.timer = setTimeout(() => {
      this.reconciling = this.reconcile()
        .catch((error: unknown) => this.options.onError?.(error))
        .finally(() => {
          this.reconciling = undefined;
          if (!this.stopped) this.scheduleReconcile();
        });
    }, this.options.reconcileIntervalMs ?? DEFAULT_SUBMISSION_RECONCILE_INTERVAL_MS);
  }
}
