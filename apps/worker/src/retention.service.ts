// Schedules and runs the retention job (docs/deploy.md, "Retention"). Every worker upserts the same
// BullMQ job scheduler (idempotent: one schedule per deployment however many workers start) and
// takes `maintenance` jobs one at a time, so each pass runs on exactly one worker.
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { JOBS, QUEUE_NAMES, RETENTION_SCHEDULER_ID } from '@netplay/contracts';
import { RetentionRepository, type Database } from '@netplay/db';
import { pruneExpired, type PruneReport } from '@netplay/jobs';
import { closeWorkers, openProducerQueue, startWorker } from '@netplay/queue';
import type { Queue, Worker } from 'bullmq';
import type IORedis from 'ioredis';
import { WORKER_CONFIG, type WorkerConfig } from './worker-config';
import { DATABASE } from './worker-composition';

const PRUNE_JOB = 'prune-expired' satisfies keyof typeof JOBS;

@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private producer?: { queue: Queue; connection: IORedis };
  private readonly consumers: { worker: Worker; connection: IORedis }[] = [];

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(DATABASE) private readonly database: Database,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const connection = {
      redisUrl: this.config.redisUrl,
      prefix: this.config.queuePrefix,
      onError: (error: Error) => this.logger.warn(error.message),
    };
    this.producer = await openProducerQueue(QUEUE_NAMES.maintenance, connection);
    const { days, intervalMs } = this.config.retention;
    if (days === 0) {
      await this.producer.queue.removeJobScheduler(RETENTION_SCHEDULER_ID);
      this.logger.log('retention is off (NETPLAY_RETENTION_DAYS=0): records are kept');
      return;
    }
    await this.producer.queue.upsertJobScheduler(
      RETENTION_SCHEDULER_ID,
      { every: intervalMs },
      { name: PRUNE_JOB, data: {}, opts: { removeOnComplete: 50, removeOnFail: 50 } },
    );
    this.consumers.push(
      startWorker<Record<string, never>>(
        QUEUE_NAMES.maintenance,
        async (): Promise<PruneReport> => this.prune(),
        connection,
        { concurrency: 1 },
      ),
    );
    this.logger.log(
      `pruning records older than ${days} days every ${intervalMs} ms (NETPLAY_RETENTION_DAYS)`,
    );
  }

  async prune(now: Date = new Date()): Promise<PruneReport> {
    const report = await pruneExpired(
      new RetentionRepository(this.database),
      { days: this.config.retention.days, schedule: this.config.webhooks.schedule },
      now,
    );
    this.logger.log(
      `retention: deleted ${report.runs} runs, ${report.webhookMessages} webhook messages, ${report.ltiLaunches} LTI launches and ${report.ltiNonces} LTI nonces in ${report.batches} batches`,
    );
    return report;
  }

  async onModuleDestroy(): Promise<void> {
    await closeWorkers(this.consumers);
    if (this.producer) {
      await this.producer.queue.close().catch(() => undefined);
      await this.producer.connection.quit().catch(() => undefined);
      this.producer = undefined;
    }
  }
}
