// Moves runs from the outbox onto the queue (relayOutbox) and repairs runs the queue lost
// (reconcileRuns), on a timer in every API process: both are safe to run concurrently. In embedded
// mode the queue is in this process, so the run handler consumes it here too.
import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { reconcileRuns, relayOutbox, type ScenarioConsumer, type ScenarioJobHandler } from '@netplay/queue';
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
  private relaying?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(INFRASTRUCTURE) private readonly infra: Infrastructure,
    @Optional() @Inject(SCENARIO_RUN_HANDLER) private readonly handler?: ScenarioJobHandler,
  ) {}

  onApplicationBootstrap(): void {
    if (this.infra.mode.queue === 'in-process') {
      if (this.handler) this.consumer = this.infra.queue.consume(this.handler);
      else this.logger.warn('no run handler is registered: runs stay queued until one is');
    }
    this.timers = [
      setInterval(() => this.dispatchSoon(), RELAY_INTERVAL_MS),
      setInterval(() => void this.reconcile(), RECONCILE_INTERVAL_MS),
    ];
    for (const timer of this.timers) timer.unref();
    void this.reconcile();
  }

  /** Relays now (e.g. right after a run was created) instead of at the next tick. */
  dispatchSoon(): void {
    if (this.stopped || this.relaying) return;
    this.relaying = relayOutbox(this.infra.outbox, this.infra.queue)
      .then((report) => {
        if (report.error) this.logger.warn(`outbox relay stopped early: ${String(report.error)}`);
      })
      .catch((error: unknown) => this.logger.warn(`outbox relay failed: ${String(error)}`))
      .finally(() => {
        this.relaying = undefined;
      });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.relaying;
    await this.consumer?.close();
  }

  private async reconcile(): Promise<void> {
    if (this.stopped) return;
    try {
      const report = await reconcileRuns(this.infra.runs, this.infra.queue);
      if (report.reenqueued.length + report.failed.length > 0) {
        this.logger.log(`reconciled runs: ${report.reenqueued.length} re-enqueued, ${report.failed.length} failed`);
      }
    } catch (error) {
      this.logger.warn(`run reconciliation failed: ${String(error)}`);
    }
  }
}
