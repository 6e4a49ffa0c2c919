// Takes scenario jobs from the queue and hands each to the shared job handler. Closing waits for
// the jobs in progress (BullMQ's worker.close()), so a rolling restart finishes its runs.
import { RunRepository, SandboxRepository } from '@netplay/db';
import {
  handleScenarioRun,
  runCompletedPublisher,
  ScenarioEngine,
  type ScenarioRunDeps,
  type WebhookPublish,
} from '@netplay/jobs';
import type { JobConsumer, JobQueue, QueuedJob, RunStatusEvents } from '@netplay/queue';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { RUN_STATUS_EVENTS, SCENARIO_QUEUE, WEBHOOK_PUBLISH } from './worker-composition';
import { WORKER_CONFIG, type WorkerConfig } from './worker-config';
import { WorkerEngine } from './worker-engine';
import { WorkerMetrics } from './worker-metrics';

@Injectable()
export class ScenarioConsumerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ScenarioConsumer');
  private consumer?: JobConsumer;
  private readonly deps: ScenarioRunDeps;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(SCENARIO_QUEUE) private readonly queue: JobQueue<'simulate-run'>,
    runs: RunRepository,
    revisions: SandboxRepository,
    @Inject(RUN_STATUS_EVENTS) events: RunStatusEvents,
    @Inject(WEBHOOK_PUBLISH) publish: WebhookPublish,
    private readonly metrics: WorkerMetrics,
    engine: WorkerEngine,
  ) {
    // The engine runs in worker threads with a budget, so a poisonous run fails alone and this
    // process keeps renewing its other jobs' locks (ScenarioEngine: quick runs of small clusters
    // excepted, whose work is bounded).
    this.deps = {
      runs,
      revisions,
      events,
      engine: new ScenarioEngine({ pool: engine.pool }),
      webhooks: runCompletedPublisher({ publish }),
    };
  }

  onApplicationBootstrap(): void {
    this.consumer = this.queue.consume((job) => this.handle(job), {
      concurrency: this.config.concurrency,
      lockDurationMs: this.config.lockDurationMs,
      stalledIntervalMs: this.config.stalledIntervalMs,
    });
    this.logger.log(`taking scenario jobs, ${this.config.concurrency} at a time`);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.consumer) {
      this.logger.log('waiting for the jobs in progress to finish');
      await this.consumer.close();
      this.consumer = undefined;
    }
  }

  private async handle(job: QueuedJob<'simulate-run'>): Promise<void> {
    const { runId, replyTo } = job.payload;
    const done = this.metrics.startJob();
    try {
      const outcome = await handleScenarioRun(this.deps, runId, { replyTo });
      done(WorkerMetrics.outcomeLabel(outcome));
    } catch (error) {
      done('error');
      this.logger.warn(
        `run ${runId} (attempt ${job.attempt}) failed, the queue retries it: ${describe(error)}`,
      );
      throw error;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
