// Exercises, submissions and webhooks share one runtime (repositories, the `grading` and
// `webhook-delivery` queues): opened with the app, closed at shutdown before the database. With
// Redis the API only produces jobs and workers take them; embedded, this process takes them too.
import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { openGradingRuntime, readWebhookSettings, type GradingRuntime } from '@netplay/jobs';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { INFRASTRUCTURE, type Infrastructure } from '../infra/infrastructure';

export const GRADING_RUNTIME = Symbol('GRADING_RUNTIME');

async function openForApi(config: ApiConfig, infra: Infrastructure): Promise<GradingRuntime> {
  const logger = new Logger('webhooks');
  const { settings, problems } = readWebhookSettings(process.env);
  if (problems.length > 0)
    throw new Error(problems.map((problem) => `${problem.variable} ${problem.message}`).join('; '));
  const runtime = await openGradingRuntime({
    database: infra.database,
    redisUrl: config.redisUrl,
    queuePrefix: config.queuePrefix,
    settings,
    onError: (error) => logger.warn(String(error)),
    warn: (message) => logger.warn(message),
  });
  if (runtime.inProcess) runtime.startConsumers();
  return runtime;
}

@Injectable()
class GradingRuntimeCloser implements OnApplicationShutdown {
  constructor(@Inject(GRADING_RUNTIME) private readonly runtime: GradingRuntime) {}

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.close();
  }
}

@Global()
@Module({
  providers: [
    { provide: GRADING_RUNTIME, useFactory: openForApi, inject: [API_CONFIG, INFRASTRUCTURE] },
    GradingRuntimeCloser,
  ],
  exports: [GRADING_RUNTIME],
})
export class GradingRuntimeModule {}
