// Process-wide providers, available to every module: the configuration, each repository (by class),
// queue and event bus (by token) the composition root opened (infrastructure.ts; owned and closed by
// createApiApp, after the app's own shutdown hooks), metrics, the engine and the dispatchers.
import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import {
  ApiKeyRepository,
  ExerciseRepository,
  LearnerSessionRepository,
  LtiLaunchRepository,
  LtiPlatformRepository,
  OutboxRepository,
  RunRepository,
  SandboxRepository,
  ServiceStatusRepository,
  ShareLinkRepository,
  TenantEventRepository,
  TenantRepository,
  WebhookEndpointRepository,
  WebhookEventRepository,
} from '@netplay/db';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { ApiEngine } from '../engine/api-engine';
import { MetricsService } from '../metrics/metrics.service';
import { GradingDispatchService } from './grading-dispatch.service';
import { inProcessRunHandlerProviders } from './in-process-run-handler';
import type { Infrastructure } from './infrastructure';
import { RunDispatcher } from './run-dispatcher';
import {
  DATABASE,
  DELIVERY_QUEUE,
  GRADING_SOURCES,
  RATE_LIMIT_REDIS,
  RUN_STATUS_EVENTS,
  SCENARIO_QUEUE,
  SECRETS_UNAVAILABLE,
  SERVICE_MODE,
  WEBHOOK_PUBLISH,
} from './tokens';
import { webhookPublisher } from '@netplay/jobs';

@Global()
@Module({})
export class CoreModule {
  static forRoot(config: ApiConfig, infra: Infrastructure): DynamicModule {
    const opened: Provider[] = [
      { provide: SERVICE_MODE, useValue: infra.mode },
      { provide: DATABASE, useValue: infra.database },
      { provide: SCENARIO_QUEUE, useValue: infra.queue },
      { provide: RUN_STATUS_EVENTS, useValue: infra.runStatusEvents },
      { provide: DELIVERY_QUEUE, useValue: infra.deliveryQueue },
      { provide: GRADING_SOURCES, useValue: infra.grading },
      {
        provide: RATE_LIMIT_REDIS,
        useValue: { redis: infra.redis, keyPrefix: infra.redisKeyPrefix },
      },
      { provide: SECRETS_UNAVAILABLE, useValue: infra.secretsUnavailable },
      { provide: TenantRepository, useValue: infra.tenants },
      { provide: ApiKeyRepository, useValue: infra.apiKeys },
      { provide: LearnerSessionRepository, useValue: infra.learnerSessions },
      { provide: ShareLinkRepository, useValue: infra.shareLinks },
      { provide: SandboxRepository, useValue: infra.sandboxes },
      { provide: RunRepository, useValue: infra.runs },
      { provide: OutboxRepository, useValue: infra.outbox },
      { provide: ServiceStatusRepository, useValue: infra.status },
      { provide: ExerciseRepository, useValue: infra.exercises },
      { provide: WebhookEndpointRepository, useValue: infra.endpoints },
      { provide: WebhookEventRepository, useValue: infra.webhookEvents },
      { provide: TenantEventRepository, useValue: infra.tenantEvents },
      { provide: LtiPlatformRepository, useValue: infra.ltiPlatforms },
      { provide: LtiLaunchRepository, useValue: infra.ltiLaunches },
      {
        provide: WEBHOOK_PUBLISH,
        useValue: webhookPublisher({
          endpoints: infra.endpoints,
          events: infra.webhookEvents,
          deliveryQueue: infra.deliveryQueue,
        }),
      },
    ];
    return {
      module: CoreModule,
      providers: [
        { provide: API_CONFIG, useValue: config },
        ...opened,
        MetricsService,
        ApiEngine,
        ...inProcessRunHandlerProviders(infra.mode),
        RunDispatcher,
        GradingDispatchService,
      ],
      exports: [
        API_CONFIG,
        ...opened.map((provider) => ('provide' in provider ? provider.provide : provider)),
        MetricsService,
        RunDispatcher,
        GradingDispatchService,
        ApiEngine,
      ],
    };
  }
}
