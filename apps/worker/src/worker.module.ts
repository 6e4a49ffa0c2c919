// The worker is a Nest application context (no HTTP API): the consumers, the dispatchers and the
// optional metrics endpoint, over the connections its composition root opens (worker-composition.ts).
import { Module, type DynamicModule } from '@nestjs/common';
import { BackgroundLoopsService } from './background-loops.service';
import { GradingConsumerService } from './grading-consumer.service';
import { MetricsServerService } from './metrics-server.service';
import { RetentionService } from './retention.service';
import { ScenarioConsumerService } from './scenario-consumer.service';
import type { WorkerConfig } from './worker-config';
import { workerProviders } from './worker-composition';
import { WorkerEngine } from './worker-engine';
import { WorkerMetrics } from './worker-metrics';

@Module({})
export class WorkerModule {
  static with(config: WorkerConfig): DynamicModule {
    return {
      module: WorkerModule,
      providers: [
        ...workerProviders(config),
        WorkerMetrics,
        WorkerEngine,
        ScenarioConsumerService,
        GradingConsumerService,
        BackgroundLoopsService,
        MetricsServerService,
        RetentionService,
      ],
    };
  }
}
