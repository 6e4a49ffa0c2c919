// Takes `grading` jobs (handleSubmissionGrade) and `webhook-delivery` jobs (deliverWebhook) from
// Redis, through the same startGradingConsumers as the API's embedded mode. Settings come from the
// same environment variables as the API's (WEBHOOK_ALLOWED_HOSTS, NETPLAY_SECRET_KEY, the retry
// schedule), so both agree. The queues close after this service, in the composition root, and
// their close waits for the jobs in progress.
import { startGradingConsumers, type GradingConsumers, type GradingSources } from '@netplay/jobs';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { GRADING_SOURCES, SECRETS_UNAVAILABLE } from './worker-composition';
import { WORKER_CONFIG, type WorkerConfig } from './worker-config';
import { WorkerEngine } from './worker-engine';

@Injectable()
export class GradingConsumerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('GradingConsumer');
  private consumers?: GradingConsumers;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(GRADING_SOURCES) private readonly sources: GradingSources,
    @Inject(SECRETS_UNAVAILABLE) private readonly secretsUnavailable: string,
    private readonly engine: WorkerEngine,
  ) {}

  onApplicationBootstrap(): void {
    // Without the key, stored secrets cannot be decrypted and every delivery would fail.
    if (this.secretsUnavailable)
      this.logger.error(`webhook deliveries will fail: ${this.secretsUnavailable}`);
    this.consumers = startGradingConsumers(this.sources, {
      settings: this.config.webhooks,
      engine: this.engine.pool,
      gradingConcurrency: this.config.concurrency,
      warn: (message) => this.logger.warn(message),
      deliveryLog: (line) =>
        this.logger.log(
          `webhook ${line.eventId} → ${line.endpointId}: attempt ${line.attempt} ${line.statusCode ?? line.errorClass ?? ''} (${line.latencyMs} ms)`,
        ),
    });
    this.logger.log(`taking grading and webhook-delivery jobs`);
  }

  onModuleDestroy(): void {
    this.consumers?.stop();
  }
}
