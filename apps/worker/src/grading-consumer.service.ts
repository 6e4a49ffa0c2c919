// Takes `grading` jobs (handleSubmissionGrade) and `webhook-delivery` jobs (deliverWebhook) from
// Redis, over the worker's database connection. Settings come from the same environment variables
// as the API's (WEBHOOK_ALLOWED_HOSTS, NETPLAY_SECRET_KEY, the retry schedule), so both agree.
import {
  openGradingRuntime,
  readWebhookSettings,
  runCompletedPublisher,
  type GradingRuntime,
  type RunCompletedPublisher,
} from '@netplay/jobs';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { WORKER_CONFIG, type WorkerConfig } from './worker-config';
import { WORKER_INFRASTRUCTURE, type WorkerInfrastructure } from './worker-infrastructure';

@Injectable()
export class GradingConsumerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('GradingConsumer');
  private runtime?: GradingRuntime;
  private markOpened: (runtime: GradingRuntime) => void = () => undefined;
  private readonly opened = new Promise<GradingRuntime>((resolve) => (this.markOpened = resolve));

  /** `run.completed` through this runtime, for the scenario consumer; a run finished before it opened waits for it. */
  readonly runCompleted: RunCompletedPublisher = {
    publishRunCompleted: async (tenantId, data, dedupeKey) =>
      runCompletedPublisher(await this.opened).publishRunCompleted(tenantId, data, dedupeKey),
  };

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(WORKER_INFRASTRUCTURE) private readonly infra: WorkerInfrastructure,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { settings, problems } = readWebhookSettings(process.env);
    if (problems.length > 0)
      throw new Error(
        problems.map((problem) => `${problem.variable} ${problem.message}`).join('; '),
      );
    this.runtime = await openGradingRuntime({
      database: this.infra.database,
      redisUrl: this.config.redisUrl,
      queuePrefix: this.config.queuePrefix,
      settings,
      onError: (error) => this.logger.warn(error instanceof Error ? error.message : String(error)),
      deliveryLog: (line) =>
        this.logger.log(
          `webhook ${line.eventId} → ${line.endpointId}: attempt ${line.attempt} ${line.statusCode ?? line.errorClass ?? ''} (${line.latencyMs} ms)`,
        ),
    });
    // Without the key, stored secrets cannot be decrypted and every delivery would fail.
    if (this.runtime.secretsUnavailable)
      this.logger.error(`webhook deliveries will fail: ${this.runtime.secretsUnavailable}`);
    this.markOpened(this.runtime);
    this.runtime.startConsumers({ gradingConcurrency: this.config.concurrency });
    this.logger.log(`taking grading and webhook-delivery jobs`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.runtime?.close();
    this.runtime = undefined;
  }
}
