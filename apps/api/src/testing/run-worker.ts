// The worker's job handler running inside a test process, on the API's own queue and status
// events. `pause()` holds every job at the start of the handler until the returned `resume` is
// called, so a suite can watch a run go queued → running → succeeded from the beginning.
import { handleScenarioRun } from '@netplay/jobs';
import type { JobConsumer } from '@netplay/queue';
import type { Infrastructure } from '../infra/infrastructure';

export interface TestWorker extends JobConsumer {
  pause(): () => void;
}

export function startInProcessWorker(infra: Infrastructure): TestWorker {
  const deps = { runs: infra.runs, revisions: infra.sandboxes, events: infra.runStatusEvents };
  let gate: Promise<void> = Promise.resolve();
  const consumer = infra.queue.consume(async (job) => {
    await gate;
    await handleScenarioRun(deps, job.payload.runId);
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
