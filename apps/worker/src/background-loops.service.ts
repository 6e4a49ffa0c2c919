// The dispatchers every worker runs next to its consumers: the run outbox's relay (committed runs
// onto the queue; several processes share the outbox through SKIP LOCKED) and reconciler (runs the
// database says are unfinished but Redis lost are enqueued again), and the same for submissions,
// with the webhook delivery reconciler beside them (GradingDispatch).
import { OutboxRepository, RunRepository } from '@netplay/db';
import { GradingDispatch, type GradingSources } from '@netplay/jobs';
import { DIRECT_ENQUEUE_GRACE_MS, OutboxDispatcher, type JobQueue } from '@netplay/queue';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { GRADING_SOURCES, SCENARIO_QUEUE } from './worker-composition';
import { WORKER_CONFIG, type WorkerConfig } from './worker-config';
import { WorkerMetrics } from './worker-metrics';

@Injectable()
export class BackgroundLoopsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('BackgroundLoops');
  private readonly runs: OutboxDispatcher;
  private readonly grading: GradingDispatch;

  constructor(
    @Inject(WORKER_CONFIG) config: WorkerConfig,
    outbox: OutboxRepository,
    runs: RunRepository,
    @Inject(SCENARIO_QUEUE) scenarioQueue: JobQueue<'simulate-run'>,
    @Inject(GRADING_SOURCES) grading: GradingSources,
    metrics: WorkerMetrics,
  ) {
    this.runs = OutboxDispatcher.for(
      'run.enqueue',
      { outbox, records: runs, queue: scenarioQueue },
      {
        relayIntervalMs: config.relayIntervalMs,
        // The API enqueues each run itself after its commit; the relay catches the ones it missed.
        relayMinAgeMs: DIRECT_ENQUEUE_GRACE_MS,
        reconcileIntervalMs: config.reconcileIntervalMs,
        reconcileMinAgeMs: config.reconcileMinAgeMs,
        onRelayError: (error) =>
          this.logger.warn(
            `outbox relay pass failed, retrying on the next tick: ${describe(error)}`,
          ),
        onReconcileReport: (report) => {
          metrics.countReconciled('reenqueued', report.reenqueued.length);
          metrics.countReconciled('failed', report.failed.length);
          if (report.reenqueued.length > 0)
            this.logger.warn(`re-enqueued ${report.reenqueued.length} run(s) the queue had lost`);
          if (report.failed.length > 0)
            this.logger.warn(`failed ${report.failed.length} run(s) the queue gave up on`);
        },
        onReconcileError: (error) =>
          this.logger.warn(`reconcile pass failed, retrying on the next tick: ${describe(error)}`),
      },
    );
    this.grading = new GradingDispatch(
      { ...grading, outbox, settings: config.webhooks },
      {
        // The same timings as the run reconciler's: one setting per concern, whatever the record.
        reconcileIntervalMs: config.reconcileIntervalMs,
        reconcileMinAgeMs: config.reconcileMinAgeMs,
        onError: (error) =>
          this.logger.warn(`submission or delivery dispatch failed: ${describe(error)}`),
        onDeliveriesRebuilt: (report) =>
          this.logger.warn(
            `put ${report.rebuilt.length} webhook deliveries the queue had lost on it again`,
          ),
      },
    );
  }

  onApplicationBootstrap(): void {
    this.runs.start();
    this.grading.start();
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.runs.stop(), this.grading.stop()]);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
