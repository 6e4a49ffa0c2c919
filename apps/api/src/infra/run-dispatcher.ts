// The API's side of the run outbox: the direct enqueue right after a commit, and the run outbox's
// dispatcher (relay and reconciler, the same as every worker runs) on timers in every API process.
// In embedded mode the queue is in this process, so the run handler consumes it here too.
import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  DIRECT_ENQUEUE_GRACE_MS,
  OutboxDispatcher,
  type JobConsumer,
  type JobHandler,
  type JobQueue,
} from '@netplay/queue';
import type { ServiceMode } from './infrastructure';
import { OutboxRepository, RunRepository } from '@netplay/db';
import { SCENARIO_QUEUE, SERVICE_MODE } from './tokens';

/** Provide a JobHandler<'simulate-run'> under this token to handle runs inside the API (embedded mode). */
export const SCENARIO_RUN_HANDLER = Symbol('SCENARIO_RUN_HANDLER');

const RELAY_INTERVAL_MS = 500;
const RECONCILE_INTERVAL_MS = 60_000;

@Injectable()
export class RunDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('RunDispatcher');
  private consumer?: JobConsumer;
  private readonly dispatcher: OutboxDispatcher;
  private stopped = false;

  constructor(
    @Inject(SERVICE_MODE) private readonly mode: ServiceMode,
    @Inject(SCENARIO_QUEUE) private readonly scenarioQueue: JobQueue<'simulate-run'>,
    outbox: OutboxRepository,
    runs: RunRepository,
    @Optional()
    @Inject(SCENARIO_RUN_HANDLER)
    private readonly handler?: JobHandler<'simulate-run'>,
  ) {
    // A nudge during a pass schedules one more pass right after it, so a run committed while the
    // relay is busy is sent then, not at the next tick; passes never overlap within the process.
    this.dispatcher = OutboxDispatcher.for(
      'run.enqueue',
      { outbox, records: runs, queue: scenarioQueue },
      {
        relayIntervalMs: RELAY_INTERVAL_MS,
        // With Redis each run is enqueued right after its commit (enqueueCommitted); the relay is the safety net.
        relayMinAgeMs: mode.queue === 'redis' ? DIRECT_ENQUEUE_GRACE_MS : 0,
        reconcileIntervalMs: RECONCILE_INTERVAL_MS,
        // Embedded, the queue lived in memory: runs a previous process left are enqueued at start.
        reconcileAtStart: true,
        onRelayError: (error) => this.logger.warn(`outbox relay failed: ${String(error)}`),
        onReconcileReport: (report) => {
          if (report.reenqueued.length + report.failed.length > 0)
            this.logger.log(
              `reconciled runs: ${report.reenqueued.length} re-enqueued, ${report.failed.length} failed`,
            );
        },
        onReconcileError: (error) =>
          this.logger.warn(`run reconciliation failed: ${String(error)}`),
      },
    );
  }

  onApplicationBootstrap(): void {
    if (this.mode.queue === 'in-process') {
      if (this.handler) this.consumer = this.scenarioQueue.consume(this.handler);
      else this.logger.warn('no run handler is registered: runs stay queued until one is');
    }
    this.dispatcher.start();
  }

  /** Relays now (e.g. right after a run was created) instead of at the next tick. */
  dispatchSoon(): void {
    if (this.stopped) return;
    this.dispatcher.nudge();
  }

  /**
   * Right after a run and its outbox event were committed: with Redis, puts the run on the queue at
   * once, saving the relay's transaction on the request path. The outbox event stays the source of
   * truth: the worker's claim deletes it, and an event still undispatched after
   * DIRECT_ENQUEUE_GRACE_MS (this enqueue failed, or the job was lost before its claim) is sent by
   * the relay here or in any worker; a resend is absorbed by the queue (job id = run id).
   * The in-process queue runs its job in this process, so there the relay is nudged instead.
   * `replyTo`: this process's reply address when a request here waits on the run.
   */
  enqueueCommitted(runId: string, replyTo?: string): void {
    if (this.stopped) return;
    if (this.mode.queue !== 'redis') return this.dispatchSoon();
    // Committed a moment ago, so no job can exist for it yet: no look-up first (a Redis round trip).
    this.scenarioQueue
      .add(replyTo ? { runId, replyTo } : { runId }, { jobId: runId })
      .catch((error: unknown) => {
        this.logger.warn(
          `enqueueing run ${runId} failed, the outbox relay will once its grace has passed: ${String(error)}`,
        );
      });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.dispatcher.stop();
    await this.consumer?.close();
  }
}
