// The two loops every worker runs next to its consumer: the outbox relay (committed runs onto the
// queue; several processes share the outbox through SKIP LOCKED) and the reconciler (runs the
// database says are unfinished but Redis lost are enqueued again).
import { DIRECT_ENQUEUE_GRACE_MS, OutboxRelayLoop } from '@netplay/queue';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ReconcileLoop } from './reconcile-loop';
import { WORKER_CONFIG, type WorkerConfig } from './worker-config';
import { WORKER_INFRASTRUCTURE, type WorkerInfrastructure } from './worker-infrastructure';
import { WorkerMetrics } from './worker-metrics';

@Injectable()
export class BackgroundLoopsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('BackgroundLoops');
  private readonly relay: OutboxRelayLoop;
  private readonly reconciler: ReconcileLoop;

  constructor(
    @Inject(WORKER_CONFIG) config: WorkerConfig,
    @Inject(WORKER_INFRASTRUCTURE) infra: WorkerInfrastructure,
    metrics: WorkerMetrics,
  ) {
    this.relay = new OutboxRelayLoop(infra.outbox, infra.queue, {
      intervalMs: config.relayIntervalMs,
      // The API enqueues each run itself after its commit; the relay catches the ones it missed.
      minAgeMs: DIRECT_ENQUEUE_GRACE_MS,
      onError: (error) =>
        this.logger.warn(`outbox relay pass failed, retrying on the next tick: ${describe(error)}`),
    });
    this.reconciler = new ReconcileLoop(infra.runs, infra.queue, {
      intervalMs: config.reconcileIntervalMs,
      minAgeMs: config.reconcileMinAgeMs,
      onReport: (report) => {
        metrics.countReconciled('reenqueued', report.reenqueued.length);
        metrics.countReconciled('failed', report.failed.length);
        if (report.reenqueued.length > 0)
          this.logger.warn(`re-enqueued ${report.reenqueued.length} run(s) the queue had lost`);
        if (report.failed.length > 0)
          this.logger.warn(`failed ${report.failed.length} run(s) the queue gave up on`);
      },
      onError: (error) =>
        this.logger.warn(`reconcile pass failed, retrying on the next tick: ${describe(error)}`),
    });
  }

  onApplicationBootstrap(): void {
    this.relay.start();
    this.reconciler.start();
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.relay.stop(), this.reconciler.stop()]);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
