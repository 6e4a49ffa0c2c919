// Embedded mode has no worker process: the API handles its own queue with the worker's job handler
// (`handleScenarioRun` from @netplay/jobs), and feeds the run duration histogram from it.
import type { Provider } from '@nestjs/common';
import {
  handleScenarioRun,
  RevisionClusterCache,
  runCompletedPublisher,
  type GradingRuntime,
} from '@netplay/jobs';
import type { ScenarioJobHandler } from '@netplay/queue';
import { MetricsService } from '../metrics/metrics.service';
import { GRADING_RUNTIME } from '../webhooks/grading-runtime.module';
import { INFRASTRUCTURE, type Infrastructure } from './infrastructure';
import { SCENARIO_RUN_HANDLER } from './run-dispatcher';

export function inProcessRunHandler(
  infra: Infrastructure,
  metrics: MetricsService,
  webhookRuntime?: GradingRuntime,
): ScenarioJobHandler {
  const webhooks = webhookRuntime ? runCompletedPublisher(webhookRuntime) : undefined;
  const deps = {
    runs: infra.runs,
    revisions: infra.sandboxes,
    events: infra.runStatusEvents,
    clusterCache: new RevisionClusterCache(),
    webhooks,
  };
  return async (job) => {
    const startedAt = new Date();
    const outcome = await handleScenarioRun(deps, job.runId);
    if (outcome.kind === 'completed')
      metrics.observeRunCompleted(outcome.status, startedAt, new Date());
  };
}

/** Registered only when the queue is in-process; with Redis, worker processes take the jobs. */
export function inProcessRunHandlerProviders(infra: Infrastructure): Provider[] {
  if (infra.mode.queue !== 'in-process') return [];
  return [
    {
      provide: SCENARIO_RUN_HANDLER,
      useFactory: inProcessRunHandler,
      inject: [INFRASTRUCTURE, MetricsService, { token: GRADING_RUNTIME, optional: true }],
    },
  ];
}
