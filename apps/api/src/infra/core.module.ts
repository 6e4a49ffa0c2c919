// Process-wide providers, available to every module: the configuration, the opened infrastructure
// (owned and closed by createApiApp, after the app's own shutdown hooks), metrics and the run dispatcher.
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { MetricsService } from '../metrics/metrics.service';
import { inProcessRunHandlerProviders } from './in-process-run-handler';
import { INFRASTRUCTURE, type Infrastructure } from './infrastructure';
import { RunDispatcher } from './run-dispatcher';

@Global()
@Module({})
export class CoreModule {
  static forRoot(config: ApiConfig, infra: Infrastructure): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: API_CONFIG, useValue: config },
        { provide: INFRASTRUCTURE, useValue: infra },
        MetricsService,
        ...inProcessRunHandlerProviders(infra),
        RunDispatcher,
      ],
      exports: [API_CONFIG, INFRASTRUCTURE, MetricsService, RunDispatcher],
    };
  }
}
