// Runs the reconciler on a timer (runs the database says are unfinished but Redis has no job for:
// enqueue again). Passes never overlap within a process; several workers may reconcile at once,
// which is harmless because enqueueing a run id that has a job is a no-op.
import {
  reconcileRuns,
  type ReconcileOptions,
  type ReconcileReport,
  type ScenarioQueue,
  type UnfinishedRunSource,
} from '@netplay/queue';

export interface ReconcileLoopOptions extends Omit<ReconcileOptions, 'now'> {
  intervalMs: number;
  onReport?: (report: ReconcileReport) => void;
  onError?: (error: unknown) => void;
}

export class ReconcileLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;

  constructor(
    private readonly runs: UnfinishedRunSource,
    private readonly queue: ScenarioQueue,
    private readonly options: ReconcileLoopOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.running = this.pass().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.schedule();
      });
    }, this.options.intervalMs);
  }

  private async pass(): Promise<void> {
    try {
      const report = await reconcileRuns(this.runs, this.queue, {
        minAgeMs: this.options.minAgeMs,
        limit: this.options.limit,
      });
      this.options.onReport?.(report);
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
