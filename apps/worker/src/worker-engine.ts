// The worker's engine pool, shared by its scenario and grading consumers: every run and every
// grading goes to threads with a wall-clock budget and a heap limit (docs/reliability.md), so a
// poisonous one is failed with its reason and this process keeps serving. Closed at application
// shutdown, after every consumer's onModuleDestroy has waited for its jobs in progress.
import { EnginePool, threadFileIn } from '@netplay/jobs';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { WORKER_CONFIG, type WorkerConfig } from './worker-config';

@Injectable()
export class WorkerEngine implements OnApplicationShutdown {
  readonly pool: EnginePool;

  constructor(@Inject(WORKER_CONFIG) config: Pick<WorkerConfig, 'enginePool'>) {
    this.pool = new EnginePool({ threadFile: threadFileIn(__dirname), ...config.enginePool });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }
}
