import { InProcessScenarioQueue } from './in-process-scenario-queue';
import type { ScenarioJob } from './scenario-queue';
import { deferred, withTimeout } from './testing/redis';

const WAIT_MS = 5_000;

/** Resolves once `count` jobs have finished (resolved or thrown) in the handler. */
function countingHandler(count: number, behaviour: (job: ScenarioJob) => Promise<void>) {
  const seen: ScenarioJob[] = [];
  const done = deferred<ScenarioJob[]>();
  const handler = async (job: ScenarioJob) => {
    try {
      await behaviour(job);
    } finally {
      seen.push(job);
      if (seen.length === count) done.resolve(seen);
    }
  };
  return { handler, finished: () => withTimeout(done.promise, WAIT_MS, `${count} handled jobs`) };
}

describe('the in-process scenario queue', () => {
  it('hands an enqueued run to the consumer and marks the job completed', async () => {
    const queue = new InProcessScenarioQueue();
    const { handler, finished } = countingHandler(1, async () => undefined);
    queue.consume(handler);
    expect(await queue.enqueue('run-a')).toBe('added');
    expect(await finished()).toEqual([{ runId: 'run-a', attempt: 1 }]);
    await queue.close();
    expect(await queue.getJobState('run-a')).toBe('completed');
  });

  it('does not add a run whose job is still retained, even after it completed', async () => {
    const queue = new InProcessScenarioQueue();
    const { handler, finished } = countingHandler(1, async () => undefined);
    queue.consume(handler);
    await queue.enqueue('run-a');
    await finished();
    expect(await queue.enqueue('run-a')).toBe('duplicate');
    await queue.close();
  });

  it('retries a throwing handler and reports the attempt number', async () => {
    const queue = new InProcessScenarioQueue({ attempts: 3 });
    const { handler, finished } = countingHandler(2, async (job) => {
      if (job.attempt === 1) throw new Error('database briefly unreachable');
    });
    queue.consume(handler);
    await queue.enqueue('run-a');
    expect((await finished()).map((job) => job.attempt)).toEqual([1, 2]);
    await queue.close();
    expect(await queue.getJobState('run-a')).toBe('completed');
  });

  it('marks the job failed when every attempt throws', async () => {
    const errors: unknown[] = [];
    const queue = new InProcessScenarioQueue({
      attempts: 2,
      onError: (error) => errors.push(error),
    });
    const { handler, finished } = countingHandler(2, async () => {
      throw new Error('always');
    });
    queue.consume(handler);
    await queue.enqueue('run-a');
    await finished();
    await queue.close();
    expect(await queue.getJobState('run-a')).toBe('failed');
    expect(errors).toHaveLength(2);
  });

  it.each([1, 3])('runs at most %i jobs at once', async (concurrency) => {
    const queue = new InProcessScenarioQueue();
    let running = 0;
    let highest = 0;
    const release = deferred<void>();
    const { handler, finished } = countingHandler(6, async () => {
      running += 1;
      highest = Math.max(highest, running);
      await release.promise;
      running -= 1;
    });
    queue.consume(handler, { concurrency });
    for (let i = 0; i < 6; i += 1) await queue.enqueue(`run-${i}`);
    release.resolve();
    await finished();
    await queue.close();
    expect(highest).toBe(concurrency);
  });

  it('waits for the job in progress when closed, and starts no new one', async () => {
    const queue = new InProcessScenarioQueue();
    const started = deferred<void>();
    const release = deferred<void>();
    const handled: string[] = [];
    queue.consume(async (job) => {
      started.resolve();
      await release.promise;
      handled.push(job.runId);
    });
    await queue.enqueue('run-a');
    await queue.enqueue('run-b');
    await withTimeout(started.promise, WAIT_MS, 'the first job to start');
    const closing = queue.close();
    release.resolve();
    await withTimeout(closing, WAIT_MS, 'close');
    expect(handled).toEqual(['run-a']);
    expect(await queue.getJobState('run-b')).toBe('waiting');
  });

  it('removes a waiting job, so the run can be enqueued again', async () => {
    const queue = new InProcessScenarioQueue();
    await queue.enqueue('run-a');
    expect(await queue.remove('run-a')).toBe(true);
    expect(await queue.getJobState('run-a')).toBe('missing');
    expect(await queue.enqueue('run-a')).toBe('added');
  });

  it('forgets the oldest finished jobs beyond its retention', async () => {
    const queue = new InProcessScenarioQueue({ retainFinished: 1 });
    const { handler, finished } = countingHandler(2, async () => undefined);
    queue.consume(handler);
    await queue.enqueue('run-a');
    await queue.enqueue('run-b');
    await finished();
    await queue.close();
    expect([await queue.getJobState('run-a'), await queue.getJobState('run-b')]).toEqual([
      'missing',
      'completed',
    ]);
  });
});
