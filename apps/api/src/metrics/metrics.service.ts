// Prometheus metrics in a registry per application (not prom-client's global one), so several
// apps in one process (tests) do not collide.
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { ServiceStatusRepository } from '@netplay/db';

@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly runDuration = new Histogram({
    name: 'netplay_run_duration_seconds',
    help: 'Scenario run duration from claim to completion, by final status',
    labelNames: ['status'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor(serviceStatus: ServiceStatusRepository) {
    new Gauge({
      name: 'netplay_queue_depth',
      help: 'Runs queued and not yet claimed by a worker',
      registers: [this.registry],
      async collect() {
        // While the database is down the last value stays; the scrape itself still answers.
        await serviceStatus.countQueuedRuns().then(
          (count) => this.set(count),
          () => undefined,
        );
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Fed by run completions (the in-process run handler, or whoever observes a run finish). */
  observeRunCompleted(status: 'succeeded' | 'failed', startedAt: Date, finishedAt: Date): void {
    this.runDuration.observe(
      { status },
      Math.max(0, (finishedAt.getTime() - startedAt.getTime()) / 1000),
    );
  }
}
