// The database server's clock, read through this process's own. Receivers of webhooks check the
// `webhook-timestamp` against their clocks with a 5-minute tolerance (Standard Webhooks), so a
// worker whose host clock drifted 10 minutes would have every message refused. Every process
// talks to the one database, so its clock is the service's: the offset between it and this host
// is measured when the clock starts and every minute after, and `now()` is the host's time
// corrected by it (docs/reliability.md, F19).
import type { SqlExecutor } from './sql-executor';

export interface DatabaseClockOptions {
  /** How often the offset is measured again (a minute by default). */
  refreshMs?: number;
  /** Hears the offset when it is larger than `warnAboveMs` (5 s by default): the host needs NTP. */
  onSkew?: (offsetMs: number) => void;
  warnAboveMs?: number;
  onError?: (error: unknown) => void;
}

const DEFAULT_REFRESH_MS = 60_000;
const DEFAULT_WARN_ABOVE_MS = 5_000;

export class DatabaseClock {
  private offset = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly sql: SqlExecutor,
    private readonly options: DatabaseClockOptions = {},
  ) {}

  /** The database's time now, as this host estimates it. */
  readonly now = (): Date => new Date(Date.now() + this.offset);

  /** Database time minus this host's, in milliseconds, as last measured. */
  get offsetMs(): number {
    return this.offset;
  }

  /**
   * Asks the database for its time and keeps the offset, taking the middle of the round trip as
   * the moment it answered. A failed measurement keeps the last offset.
   */
  async measure(): Promise<number> {
    const before = Date.now();
    const [row] = await this.sql.query<{ now: Date }>('SELECT clock_timestamp() AS now');
    const after = Date.now();
    this.offset = Math.round(new Date(row.now).getTime() - (before + after) / 2);
    if (Math.abs(this.offset) > (this.options.warnAboveMs ?? DEFAULT_WARN_ABOVE_MS))
      this.options.onSkew?.(this.offset);
    return this.offset;
  }

  /** Measures now and then every `refreshMs` until `stop`. */
  async start(): Promise<void> {
    await this.measure().catch((error: unknown) => this.options.onError?.(error));
    this.timer = setInterval(
      () => void this.measure().catch((error: unknown) => this.options.onError?.(error)),
      this.options.refreshMs ?? DEFAULT_REFRESH_MS,
    );
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
