// The engine off the API's event loop: validation, views and embedded-mode runs go to a pool of
// worker threads with a wall-clock budget and a heap limit per thread, so no request (and no
// tenant) stalls the others. A task over its budget is answered 422 `engine-budget-exceeded`.
import {
  EngineBudgetExceededError,
  EnginePool,
  threadFileIn,
  type AnswerOf,
  type EngineTask,
} from '@netplay/jobs';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { ApiError } from '../errors/api-error';
import { RateLimitsService } from '../throttling/rate-limits.service';

@Injectable()
export class ApiEngine implements OnModuleDestroy {
  readonly pool: EnginePool;

  constructor(
    @Inject(API_CONFIG) config: Pick<ApiConfig, 'enginePool'>,
    private readonly limits: RateLimitsService,
  ) {
    this.pool = new EnginePool({ threadFile: threadFileIn(__dirname), ...config.enginePool });
  }

  /**
   * Runs the tenant's task in the pool (tenants take its threads in turn); over its budget (time
   * or memory) a 422 naming the budget. The time a thread spent on it is charged to the tenant's
   * work budget (RateLimitsService.chargeEngineTime).
   */
  async run<T extends EngineTask>(tenantId: string, task: T): Promise<AnswerOf<T>> {
    try {
      return await this.pool.run(task, {
        tenant: tenantId,
        onEngineTime: (ms) => void this.limits.chargeEngineTime(tenantId, ms),
      });
    } catch (error) {
      if (error instanceof EngineBudgetExceededError)
        throw new ApiError('engine-budget-exceeded', error.message, {
          budget: error.reason,
          ...(error.reason === 'time'
            ? { budgetMs: this.pool.budgetMs }
            : { maxHeapMb: this.pool.maxHeapMb }),
        });
      throw error;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.close();
  }
}
