import { deferred, withTimeout } from '@netplay/testing';
import { InProcessJobQueue, type InProcessJobQueueOptions } from './in-process-job-queue';
import { JobDeferral, type QueuedJob } from './job-queue';

type RunJob = QueuedJob<'simulate-run'>;

const WAIT_MS = 5_000;

/** Resolves once `count` jobs have finished (resolved or thrown) in the handler. */
function countingHandler(count: number, behaviour: (job: RunJob) => Promise<unknown>) {
  const seen: RunJob[] = [];
  const done = deferred<RunJob[]>();
  const handler = async (job: RunJob) => {
    try {
      return await behaviour(job);
    } finally {
      seen.push(job);
      if (seen.length === count) done.resolve(seen);
    }
  };
  return { handler, finished: () => withTimeout(done.promise, WAIT_MS, `${count} handled jobs`) };
}

/** A scenario queue whose retries follow at once (the back-off has its own test). */
function runQueue(options: InProcessJobQueueOptions & { attempts?: number } = {}) {
  const { attempts = 3, ...rest } = options;
  return new InProcessJobQueue('simulate-run', { retry: { attempts, delayMs: () => 0 }, ...rest });
}

/** Adds a run's job as the relay does: job id = run id. */
function enqueue(queue: InProcessJobQueue<'simulate-run'>, runId: string) {
  return queue.addIfAbsent({ runId }, { jobId: runId });
}

describe('the in-process job queue', () => {
  it('hands an enqueued run to the consumer and marks the job completed', async () => {
    const queue = runQueue();
    const { handler, finished } = countingHandler(1, async () => undefined);
    queue.consume(handler);
    expect(await enqueue(queue, 'run-a')).toBe('added');
    expect(await finished()).toEqual([{ id: 'run-a', payload: { runId: 'run-a' }, attempt: 1 }]);
    await queue.close();
    expect(await queue.getJobState('run-a')).toBe('completed');
  });

  it('does not add a run whose job is still retained, even after it completed', async () => {
    const queue = runQueue();
    const { handler, finished } = countingHandler(1, async () => undefined);
    queue.consume(handler);
    await enqueue(queue, 'run-a');
    await finished();
    expect(await enqueue(queue, 'run-a')).toBe('duplicate');
    await queue.close();
  });

  it('retries a throwing handler and reports the attempt number', async () => {
    const queue = runQueue({ attempts: 3 });
    const { handler, finished } = countingHandler(2, async (job) => {
      if (job.attempt === 1) throw new Error('database briefly unreachable');
    });
    queue.consume(handler);
    await enqueue(queue, 'run-a');
    expect((await finished()).map((job) => job.attempt)).toEqual([1, 2]);
    await queue.close();
    expect(await queue.getJobState('run-a')).toBe('completed');
  });

  it('marks the job failed when every attempt throws', async () => {
    const errors: unknown[] = [];
    const queue = runQueue({
      attempts: 2,
      onError: (error) => errors.push(error),
    });
    const { handler, finished } = countingHandler(2, async () => {
      throw new Error('always');
    });
    queue.consume(handler);
    await enqueue(queue, 'run-a');
    await finished();
    await queue.close();
    expect(await queue.getJobState('run-a')).toBe('failed');
    expect(errors).toHaveLength(2);
  });

  it.each([1, 3])('runs at most %i jobs at once', async (concurrency) => {
    const queue = runQueue();
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
    for (let i = 0; i < 6; i += 1) await enqueue(queue, `run-${i}`);
    release.resolve();
    await finished();
    await queue.close();
    expect(highest).toBe(concurrency);
  });

  it('waits for the job in progress when closed, and starts no new one', async () => {
    const queue = runQueue();
    const started = deferred<void>();
    const release = deferred<void>();
    const handled: string[] = [];
    queue.consume(async (job) => {
      started.resolve();
      await release.promise;
      handled.push(job.id);
    });
    await enqueue(queue, 'run-a');
    await enqueue(queue, 'run-b');
    await withTimeout(started.promise, WAIT_MS, 'the first job to start');
    const closing = queue.close();
    release.resolve();
    await withTimeout(closing, WAIT_MS, 'close');
    expect(handled).toEqual(['run-a']);
    expect(await queue.getJobState('run-b')).toBe('waiting');
  });

  it('removes a waiting job, so the run can be enqueued again', async () => {
    const queue = runQueue();
    await enqueue(queue, 'run-a');
    expect(await queue.remove('run-a')).toBe(true);
    expect(await queue.getJobState('run-a')).toBe('missing');
    expect(await enqueue(queue, 'run-a')).toBe('added');
  });

  it('forgets the oldest finished jobs beyond its retention', async () => {
    const queue = runQueue({ retainFinished: 1 });
    const { handler, finished } = countingHandler(2, async () => undefined);
    queue.consume(handler);
    await enqueue(queue, 'run-a');
    await enqueue(queue, 'run-b');
    await finished();
    await queue.close();
    expect([await queue.getJobState('run-a'), await queue.getJobState('run-b')]).toEqual([
      'missing',
      'completed',
    ]);
  });

  it('waits the back-off of its job name before a retry, and drops the retry when closed', async () => {
    const queue = new InProcessJobQueue('simulate-run');
    const { handler, finished } = countingHandler(1, async () => {
      throw new Error('database briefly unreachable');
    });
    queue.consume(handler);
    await enqueue(queue, 'run-a');
    await finished();
    await queue.close();
    // JOB_RETRY['simulate-run']: exponential from 1 s, so the job waits, delayed, for its retry;
    // close cleared the timer, so the handler ran once.
    expect(await queue.getJobState('run-a')).toBe('delayed');
  });

  it('puts a deferred job back without spending an attempt', async () => {
    const queue = runQueue({ attempts: 1 });
    let deferrals = 0;
    const { handler, finished } = countingHandler(3, async () =>
      deferrals++ < 2 ? new JobDeferral(1) : undefined,
    );
    queue.consume(handler);
    await enqueue(queue, 'run-a');
    expect((await finished()).map((job) => job.attempt)).toEqual([1, 1, 1]);
    await queue.close();
    expect(await queue.getJobState('run-a')).toBe('completed');
  });

  it('gives a job the attempts it was added with', async () => {
    const queue = runQueue({ attempts: 3 });
    const { handler, finished } = countingHandler(1, async () => {
      throw new Error('always');
    });
    queue.consume(handler);
    await queue.add({ runId: 'run-a' }, { jobId: 'run-a', attempts: 1 });
    await finished();
    await queue.close();
    expect(await queue.getJobState('run-a')).toBe('failed');
    expect(await queue.failureKind('run-a')).toBe('error');
  });

  it('refuses a job name whose back-off is custom without its schedule', () => {
    expect(() => new InProcessJobQueue('deliver-webhook')).toThrow(/needs its retry schedule/);
  });
});
