// The API's composition: each feature module is a line in `imports`.
import { Module, type DynamicModule } from '@nestjs/common';
import { nestLoggerParams } from '@netplay/logging';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import type { ApiConfig } from './config/api-config';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { createValidationPipe } from './errors/validation';
import { HealthModule } from './health/health.module';
import { CoreModule } from './infra/core.module';
import type { Infrastructure } from './infra/infrastructure';
import { MetricsModule } from './metrics/metrics.module';
import { SandboxesModule } from './sandboxes/sandboxes.module';
import { RunsModule } from './runs/runs.module';
import { NetplayGraphqlModule } from './graphql/graphql.module';
import { ExercisesModule } from './exercises/exercises.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { LtiModule } from './lti/lti.module';
import { LearnerSessionsModule } from './learner-sessions/learner-sessions.module';
import { ShareLinksModule } from './share-links/share-links.module';
import { WebModule } from './web/web.module';
import { RetentionModule } from './retention/retention.module';
import { RateLimitGuard } from './throttling/rate-limit.guard';
import { ThrottlingModule } from './throttling/throttling.module';

@Module({})
export class AppModule {
  static forRoot(config: ApiConfig, infra: Infrastructure, logger: PinoLogger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // Binds each request's logger (made by requestLogging, the first middleware) for Nest's Logger.
        LoggerModule.forRoot(nestLoggerParams(logger)),
        CoreModule.forRoot(config, infra),
        ThrottlingModule,
        AuthModule,
        HealthModule,
        MetricsModule,
        SandboxesModule,
        RunsModule,
        ExercisesModule,
        WebhooksModule,
        LtiModule,
        LearnerSessionsModule,
        ShareLinksModule,
        WebModule,
        RetentionModule,
        NetplayGraphqlModule,
      ],
      providers: [
        // Guards run in this order: identify the caller, then spend the request's cost.
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_GUARD, useExisting: RateLimitGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
