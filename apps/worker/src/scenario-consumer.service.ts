// Takes scenario jobs from the queue and hands each to the shared job handler. Closing waits for
// the jobs in progress (BullMQ's worker.close()), so a rolling restart finishes its runs.
import { handleScenarioRun, RevisionClusterCache, type ScenarioRunDeps } from '@netplay/jobs';
import type { ScenarioConsumer, ScenarioJob } from '@netplay/queue';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { GradingConsumerService } from './grading-consumer.service';
import { WORKER_CONFIG, type WorkerConfig } from './worker-config';
import { WORKER_INFRASTRUCTURE, type WorkerInfrastructure } from './worker-infrastructure';
import { WorkerMetrics } from './worker-metrics';

@Injectable()
export class ScenarioConsumerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ScenarioConsumer');
  private consumer?: ScenarioConsumer;
  private readonly deps: ScenarioRunDeps;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(WORKER_INFRASTRUCTURE) private readonly infra: WorkerInfrastructure,
    private readonly metrics: WorkerMetrics,
    grading: GradingConsumerService,
  ) {
    // One loaded cluster per revision for the life of the process: revisions never change.
    this.deps = {
      runs: infra.runs,
      revisions: infra.sandboxes,
      events: infra.runStatusEvents,
      clusterCache: new RevisionClusterCache(),
      webhooks: grading.runCompleted,
    };
  }

  onApplicationBootstrap(): void {
    this.consumer = this.infra.queue.consume((job) => this.handle(job), {
      concurrency: this.config.concurrency,
      lockDurationMs: this.config.lockDurationMs,
      stalledIntervalMs: this.config.stalledIntervalMs,
    });
    this.logger.log(`taking scenario jobs, ${this.config.concurrency} at a time`);
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.consumer) return;
    this.logger.log('waiting for the jobs in progress to finish');
    await this.consumer.close();
    this.consumer = undefined;
  }

  private async handle(job: ScenarioJob): Promise<void> {
    const done = this.metrics.startJob();
    try {
      const outcome = await handleScenarioRun(this.deps, job.runId, { replyTo: job.replyTo });
      done(WorkerMetrics.outcomeLabel(outcome));
    } catch (error) {
      done('error');
      this.logger.warn(
        `run ${job.runId} (attempt ${job.attempt}) failed, the queue retries it: ${describe(error)}`,
      );
      throw error;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
