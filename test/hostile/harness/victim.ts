// A well-behaved second tenant: reads its sandbox and submits a quick run, in a loop, recording each
// request's latency and any answer that is not the ordinary one. Its percentiles are what a noisy
// neighbour must not spoil.

export interface VictimOptions {
  apiUrl: string;
  key: string;
  sandboxId: string;
  /** The run's steps (a quick probe). */
  steps: unknown[];
  /** Pause between iterations, so the victim itself is ordinary traffic, not load. */
  pauseMs: number;
  /** Loops running side by side (more samples for the percentiles in the same time). */
  lanes: number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export class Victim {
  private readonly latencies: number[] = [];
  readonly failures: string[] = [];
  readonly runIds: string[] = [];
  private running = false;
  private loop?: Promise<void>;

  constructor(private readonly options: VictimOptions) {}

  start(): void {
    this.running = true;
    this.loop = Promise.all(Array.from({ length: this.options.lanes }, () => this.run())).then(
      () => undefined,
    );
  }

  /** Stops after the request in flight and returns what was measured since start. */
  async stop(): Promise<LatencySummary> {
    this.running = false;
    await this.loop;
    return summarize(this.latencies);
  }

  private async run(): Promise<void> {
    const { apiUrl, key, sandboxId, steps, pauseMs } = this.options;
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    while (this.running) {
      await this.timed('GET sandbox', 200, () =>
        fetch(`${apiUrl}/v1/sandboxes/${sandboxId}`, { headers }),
      );
      const run = await this.timed('POST run', 202, () =>
        fetch(`${apiUrl}/v1/sandboxes/${sandboxId}/runs`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ steps }),
        }),
      );
      if (run) this.runIds.push((run as { id: string }).id);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  private async timed(
    what: string,
    expected: number,
    send: () => Promise<Response>,
  ): Promise<unknown> {
    const started = performance.now();
    try {
      const response = await send();
      const text = await response.text();
      this.latencies.push(performance.now() - started);
      if (response.status !== expected) {
        this.failures.push(`${what}: ${response.status} ${text.slice(0, 200)}`);
        return undefined;
      }
      return JSON.parse(text);
    } catch (error) {
      this.latencies.push(performance.now() - started);
      this.failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
}

/** Nearest-rank percentiles of `values` (ms). */
export function summarize(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  return {
    count: sorted.length,
    p50: rank(0.5),
    p99: rank(0.99),
    max: sorted.length === 0 ? 0 : sorted[sorted.length - 1],
  };
}
