// A pass run on a timer in the background of a process: the reconcilers (runs, submissions, webhook
// deliveries) compare the database with the queue every so often. Passes never overlap within a
// process (the next is scheduled when one ends); stop() waits for the one in progress, so nothing
// is cut off half-way when the connections close next. Several processes may run the same pass:
// each pass is safe to repeat, because a job id names its row.
export interface PeriodicPassOptions<Report> {
  intervalMs: number;
  onReport?: (report: Report) => void;
  onError?: (error: unknown) => void;
  /** Run the first pass at once instead of after one interval. */
  immediately?: boolean;
}

export class PeriodicPass<Report> {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;

  constructor(
    private readonly pass: () => Promise<Report>,
    private readonly options: PeriodicPassOptions<Report>,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(this.options.immediately ? 0 : this.options.intervalMs);
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = this.runOnce().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.schedule(this.options.intervalMs);
      });
    }, delayMs);
  }

  private async runOnce(): Promise<void> {
    try {
      // Awaited first: an optional call skips evaluating its argument when there is no listener.
      const report = await this.pass();
      this.options.onReport?.(report);
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
