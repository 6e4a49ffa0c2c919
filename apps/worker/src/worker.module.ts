// The worker is a Nest application context (no HTTP API): the consumer, the relay and reconcile
// loops and the optional metrics endpoint, over connections opened once.
import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { BackgroundLoopsService } from './background-loops.service';
import { GradingConsumerService } from './grading-consumer.service';
import { MetricsServerService } from './metrics-server.service';
import { ScenarioConsumerService } from './scenario-consumer.service';
import { WORKER_CONFIG, type WorkerConfig } from './worker-config';
import { WORKER_INFRASTRUCTURE, type WorkerInfrastructure } from './worker-infrastructure';
import { WorkerMetrics } from './worker-metrics';

/** Closes the connections last: Nest runs every onModuleDestroy (consumer, loops) before this. */
@Injectable()
class InfrastructureCloser implements OnApplicationShutdown {
  constructor(@Inject(WORKER_INFRASTRUCTURE) private readonly infra: WorkerInfrastructure) {}

  async onApplicationShutdown(): Promise<void> {
    await this.infra.close();
  }
}

@Module({})
export class WorkerModule {
  static with(config: WorkerConfig, infra: WorkerInfrastructure): DynamicModule {
    return {
      module: WorkerModule,
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        { provide: WORKER_INFRASTRUCTURE, useValue: infra },
        WorkerMetrics,
        ScenarioConsumerService,
        GradingConsumerService,
        BackgroundLoopsService,
        MetricsServerService,
        InfrastructureCloser,
      ],
    };
  }
}
