// Moves runs from the outbox onto the queue (relayOutbox) and repairs runs the queue lost
// (reconcileRuns), on a timer in every API process: both are safe to run concurrently. In embedded
// mode the queue is in this process, so the run handler consumes it here too.
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
  OutboxRelayLoop,
  reconcileRuns,
  type ScenarioConsumer,
  type ScenarioJobHandler,
} from '@netplay/queue';
import { INFRASTRUCTURE, type Infrastructure } from './infrastructure';

/** Provide a ScenarioJobHandler under this token to handle runs inside the API (embedded mode). */
export const SCENARIO_RUN_HANDLER = Symbol('SCENARIO_RUN_HANDLER');

const RELAY_INTERVAL_MS = 500;
const RECONCILE_INTERVAL_MS = 60_000;

@Injectable()
export class RunDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('RunDispatcher');
  private timers: NodeJS.Timeout[] = [];
  private consumer?: ScenarioConsumer;
  private readonly relay: OutboxRelayLoop;
  private stopped = false;

  constructor(
    @Inject(INFRASTRUCTURE) private readonly infra: Infrastructure,
    @Optional() @Inject(SCENARIO_RUN_HANDLER) private readonly handler?: ScenarioJobHandler,
  ) {
    // A nudge during a pass schedules one more pass right after it, so a run committed while the
    // relay is busy is sent then, not at the next tick; passes never overlap within the process.
    this.relay = new OutboxRelayLoop(infra.outbox, infra.queue, {
      intervalMs: RELAY_INTERVAL_MS,
      // With Redis each run is enqueued right after its commit (enqueueCommitted); the relay is the safety net.
      minAgeMs: infra.mode.queue === 'redis' ? DIRECT_ENQUEUE_GRACE_MS : 0,
      onError: (error) => this.logger.warn(`outbox relay failed: ${String(error)}`),
    });
  }

  onApplicationBootstrap(): void {
    if (this.infra.mode.queue === 'in-process') {
      if (this.handler) this.consumer = this.infra.queue.consume(this.handler);
      else this.logger.warn('no run handler is registered: runs stay queued until one is');
    }
    this.relay.start();
    this.timers = [setInterval(() => void this.reconcile(), RECONCILE_INTERVAL_MS)];
    for (const timer of this.timers) timer.unref();
    void this.reconcile();
  }

  /** Relays now (e.g. right after a run was created) instead of at the next tick. */
  dispatchSoon(): void {
    if (this.stopped) return;
    this.relay.nudge();
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
    if (this.infra.mode.queue !== 'redis') return this.dispatchSoon();
    this.infra.queue
      .enqueue(runId, { justCommitted: true, ...(replyTo ? { replyTo } : {}) })
      .catch((error: unknown) => {
        this.logger.warn(
          `enqueueing run ${runId} failed, the outbox relay will once its grace has passed: ${String(error)}`,
        );
      });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.relay.stop();
    await this.consumer?.close();
  }

  private async reconcile(): Promise<void> {
    if (this.stopped) return;
    try {
      const report = await reconcileRuns(this.infra.runs, this.infra.queue);
      if (report.reenqueued.length + report.failed.length > 0) {
        this.logger.log(
          `reconciled runs: ${report.reenqueued.length} re-enqueued, ${report.failed.length} failed`,
        );
      }
    } catch (error) {
      this.logger.warn(`run reconciliation failed: ${String(error)}`);
    }
  }
}
