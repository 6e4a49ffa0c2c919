// Runs an outbox relay pass in the background of a process (API or worker): on a timer, and at once
// when nudged (the API nudges right after committing a run, so a run does not wait for the next
// tick). Passes never overlap within a process; a nudge during a pass schedules one more pass.
// Several processes may run loops at once: the relay locks rows with SKIP LOCKED.
import type { RelayReport } from './outbox-relay';

export interface RelayLoopOptions {
  /** Pause between passes when nothing nudges; the safety net for events committed by other processes. */
  intervalMs?: number;
  onReport?: (report: RelayReport) => void;
  onError?: (error: unknown) => void;
}

export const DEFAULT_RELAY_INTERVAL_MS = 200;

/** The loop around a relay pass (OutboxDispatcher runs one per outbox kind). */
export class RelayLoop {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = true;

  constructor(
    private readonly relay: () => Promise<RelayReport>,
    private readonly options: RelayLoopOptions = {},
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.nudge();
  }

  /** Starts a pass now, or right after the current one. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.nudge();
      } else {
        this.timer = setTimeout(
          () => this.nudge(),
          this.options.intervalMs ?? DEFAULT_RELAY_INTERVAL_MS,
        );
      }
    });
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async pass(): Promise<void> {
    try {
      const report = await this.relay();
      if (report.error !== undefined) this.options.onError?.(report.error);
      if (report.dispatched > 0) this.options.onReport?.(report);
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
