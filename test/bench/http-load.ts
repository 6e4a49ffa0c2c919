// Load for the service benchmark: N clients, each with one keep-alive connection (as N real
// clients would hold), sending the same request. Two shapes:
// - closed loop: each client sends its next request as soon as the previous answer arrived; the
//   completed requests per second are the sustained throughput.
// - open loop: requests are due at a fixed combined rate, spread evenly over the clients; a request
//   whose client is still waiting for its previous answer queues behind it, and its latency counts
//   from when it was due (so a slow phase cannot hide its own backlog: no coordinated omission).
// node:http rather than fetch: its per-request CPU is a fraction of fetch's, and the clients run on
// the same cores as the service they measure.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

export interface LoadRequest {
  url: string;
  method: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  /** Latencies in ms of the requests answered with `expectStatus`, ascending. */
  latenciesMs: number[];
  /** The same answers in the order they were sent: when each was due (epoch ms) and its latency. */
  timeline: Array<{ dueAtMs: number; latencyMs: number }>;
  /** Answers with another status, and requests that failed (connection errors). */
  errors: number;
  /** The first few failures, for the report. */
  errorSamples: string[];
  elapsedMs: number;
}

export interface ClosedLoopOptions {
  clients: number;
  durationMs: number;
  expectStatus: number;
}

export interface OpenLoopOptions extends ClosedLoopOptions {
  /** Requests per second over all clients. */
  ratePerSecond: number;
}

const MAX_ERROR_SAMPLES = 5;

export async function closedLoop(
  target: LoadRequest,
  options: ClosedLoopOptions,
): Promise<LoadResult> {
  const collector = new Collector(options.expectStatus);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      const client = new HttpClient(target);
      try {
        while (performance.now() - started < options.durationMs)
          await collector.measure(client, performance.now());
      } finally {
        client.close();
      }
    }),
  );
  return collector.result(performance.now() - started);
}

export async function openLoop(target: LoadRequest, options: OpenLoopOptions): Promise<LoadResult> {
  const collector = new Collector(options.expectStatus);
  const intervalMs = 1000 / options.ratePerSecond;
  const total = Math.floor(options.durationMs / intervalMs);
  const clients = Array.from({ length: options.clients }, () => new HttpClient(target));
  const lanes = clients.map(() => Promise.resolve());
  const started = performance.now();
  try {
    for (let index = 0; index < total; index += 1) {
      const dueAt = started + index * intervalMs;
      const wait = dueAt - performance.now();
      if (wait > 1) await delay(wait);
      // Round robin: client k sends every clients-th request, one at a time on its connection.
      const lane = index % clients.length;
      lanes[lane] = lanes[lane].then(() => collector.measure(clients[lane], dueAt));
    }
    await Promise.all(lanes);
  } finally {
    for (const client of clients) client.close();
  }
  return collector.result(performance.now() - started);
}

class Collector {
  private readonly timeline: LoadResult['timeline'] = [];
  private errors = 0;
  private readonly samples: string[] = [];

  constructor(private readonly expectStatus: number) {}

  async measure(client: HttpClient, since: number): Promise<void> {
    try {
      const status = await client.send();
      if (status === this.expectStatus)
        this.timeline.push({
          dueAtMs: performance.timeOrigin + since,
          latencyMs: performance.now() - since,
        });
      else this.fail(`HTTP ${status}`);
    } catch (error) {
      this.fail(error instanceof Error ? error.message : String(error));
    }
  }

  result(elapsedMs: number): LoadResult {
    const timeline = this.timeline.sort((a, b) => a.dueAtMs - b.dueAtMs);
    return {
      latenciesMs: timeline.map((answer) => answer.latencyMs).sort((a, b) => a - b),
      timeline,
      errors: this.errors,
      errorSamples: this.samples,
      elapsedMs,
    };
  }

  private fail(message: string): void {
    this.errors += 1;
    if (this.samples.length < MAX_ERROR_SAMPLES) this.samples.push(message);
  }
}

/** One client: one keep-alive connection, one request at a time. */
class HttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly url: URL;
  private readonly headers: Record<string, string | number>;

  constructor(private readonly target: LoadRequest) {
    this.url = new URL(target.url);
    this.headers = {
      ...target.headers,
      ...(target.body === undefined ? {} : { 'content-length': Buffer.byteLength(target.body) }),
    };
  }

  /** Sends the request and reads the whole answer; resolves with the status code. */
  send(): Promise<number> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        this.url,
        { method: this.target.method, headers: this.headers, agent: this.agent },
        (response) => {
          response.on('data', () => undefined);
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(this.target.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The value at or below which `p` percent of the sorted values lie. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
