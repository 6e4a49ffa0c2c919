// The worker's job handler running inside a test process, on the API's own queue and status
// events. `pause()` holds every job at the start of the handler until the returned `resume` is
// called, so a suite can watch a run go queued → running → succeeded from the beginning.
import { handleScenarioRun } from '@netplay/jobs';
import type { ScenarioConsumer } from '@netplay/queue';
import type { Infrastructure } from '../infra/infrastructure';

export interface TestWorker extends ScenarioConsumer {
  pause(): () => void;
}

export function startInProcessWorker(infra: Infrastructure): TestWorker {
  const deps = { runs: infra.runs, revisions: infra.sandboxes, events: infra.runStatusEvents };
  let gate: Promise<void> = Promise.resolve();
  const consumer = infra.queue.consume(async (job) => {
    await gate;
    await handleScenarioRun(deps, job.runId);
  });
  return {
    close: () => consumer.close(),
    pause() {
      let resume: () => void = () => undefined;
      gate = new Promise<void>((resolve) => (resume = resolve));
      return resume;
    },
  };
}

/** Rejects after `ms`, so no wait in a suite can hang it. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
