// Embedded mode has no worker process: the API handles its own queue with the worker's job handler
// (`handleScenarioRun` from @netplay/jobs), and feeds the run duration histogram from it.
import type { Provider } from '@nestjs/common';
import { RunRepository, SandboxRepository } from '@netplay/db';
import {
  handleScenarioRun,
  runCompletedPublisher,
  ScenarioEngine,
  type WebhookPublish,
} from '@netplay/jobs';
import type { JobHandler, RunStatusEvents } from '@netplay/queue';
import { ApiEngine } from '../engine/api-engine';
import { MetricsService } from '../metrics/metrics.service';
import type { ServiceMode } from './infrastructure';
import { SCENARIO_RUN_HANDLER } from './run-dispatcher';
import { RUN_STATUS_EVENTS, WEBHOOK_PUBLISH } from './tokens';

export function inProcessRunHandler(
  runs: RunRepository,
  revisions: SandboxRepository,
  events: RunStatusEvents,
  publish: WebhookPublish,
  metrics: MetricsService,
  engine: ApiEngine,
): JobHandler<'simulate-run'> {
  // The engine runs in the API's pool of threads, never on the thread that answers requests.
  const deps = {
    runs,
    revisions,
    events,
    engine: new ScenarioEngine({ pool: engine.pool, inlineQuickRuns: false }),
    webhooks: runCompletedPublisher({ publish }),
  };
  return async (job) => {
    const startedAt = new Date();
    const outcome = await handleScenarioRun(deps, job.payload.runId);
    if (outcome.kind === 'completed')
      metrics.observeRunCompleted(outcome.status, startedAt, new Date());
  };
}

/** Registered only when the queue is in-process; with Redis, worker processes take the jobs. */
export function inProcessRunHandlerProviders(mode: ServiceMode): Provider[] {
  if (mode.queue !== 'in-process') return [];
  return [
    {
      provide: SCENARIO_RUN_HANDLER,
      useFactory: inProcessRunHandler,
      inject: [
        RunRepository,
        SandboxRepository,
        RUN_STATUS_EVENTS,
        WEBHOOK_PUBLISH,
        MetricsService,
        ApiEngine,
      ],
    },
  ];
}
