// The retention job in embedded mode, where there is no worker and no Redis: a timer in the API
// process runs the same pass the workers' scheduled job runs (libs/jobs pruneExpired). With Redis
// the workers own it and this does nothing.
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { RetentionRepository } from '@netplay/db';
import { pruneExpired, type PruneReport } from '@netplay/jobs';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { type DatabaseHandle } from '@netplay/db';
import type { ServiceMode } from '../infra/infrastructure';
import { DATABASE, SERVICE_MODE } from '../infra/tokens';

@Injectable()
export class RetentionTimer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private timer?: NodeJS.Timeout;
  private pass?: Promise<unknown>;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(DATABASE) private readonly database: DatabaseHandle,
    @Inject(SERVICE_MODE) private readonly mode: ServiceMode,
  ) {}

  onApplicationBootstrap(): void {
    if (this.mode.queue !== 'in-process' || this.config.retention.days === 0) return;
    const run = () => {
      if (this.pass) return;
      this.pass = this.prune()
        .catch((error: unknown) => this.logger.warn(`retention pass failed: ${String(error)}`))
        .finally(() => (this.pass = undefined));
    };
    this.timer = setInterval(run, this.config.retention.intervalMs);
    this.timer.unref();
    run();
  }

  async prune(now: Date = new Date()): Promise<PruneReport> {
    const report = await pruneExpired(
      new RetentionRepository(this.database),
      { days: this.config.retention.days, schedule: this.config.webhooks.schedule },
      now,
    );
    if (report.runs + report.webhookMessages + report.ltiLaunches + report.ltiNonces > 0)
      this.logger.log(
        `retention: deleted ${report.runs} runs, ${report.webhookMessages} webhook messages, ${report.ltiLaunches} LTI launches and ${report.ltiNonces} LTI nonces`,
      );
    return report;
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.pass;
  }
}
