import {
  deferred,
  REDIS_SKIP_REASON,
  REDIS_URL,
  removeTestQueue,
  uniqueQueuePrefix,
  withTimeout,
} from '@netplay/testing';
import { Queue } from 'bullmq';
import { BullmqJobQueue } from './bullmq-job-queue';
import { JobDeferral, type QueuedJob } from './job-queue';

type RunJob = QueuedJob<'simulate-run'>;

jest.setTimeout(30_000);

const WAIT_MS = 15_000;
const title = 'the BullMQ job queue';

(REDIS_URL ? describe : describe.skip)(
  REDIS_URL ? title : `${title} (${REDIS_SKIP_REASON})`,
  () => {
    const redisUrl = REDIS_URL ?? '';
    let prefix: string;
    let queue: BullmqJobQueue<'simulate-run'>;
    const enqueue = (runId: string) => queue.addIfAbsent({ runId }, { jobId: runId });

    beforeEach(async () => {
      prefix = uniqueQueuePrefix();
      queue = await BullmqJobQueue.connect('simulate-run', { redisUrl, prefix });
    });
    afterEach(async () => {
      await queue.close();
      await removeTestQueue(redisUrl, prefix);
    });

    it('keeps the queue name, job name and retry options BullMQ stores in Redis', async () => {
      await queue.add({ runId: 'run-stored', replyTo: 'reply-1' }, { jobId: 'run-stored' });
      const raw = new Queue('scenario', { connection: { url: redisUrl }, prefix });
      try {
        const job = await raw.getJob('run-stored');
        expect(job?.name).toBe('simulate-run');
        expect(job?.data).toEqual({ runId: 'run-stored', replyTo: 'reply-1' });
        expect(job?.opts).toMatchObject({
          attempts: 3,
          backoff: { type: 'exponential', delay: 1_000 },
          removeOnComplete: { age: 24 * 60 * 60 },
          removeOnFail: { age: 7 * 24 * 60 * 60 },
        });
      } finally {
        await raw.close();
      }
    });

    it('adds a job whose id is the run id, once', async () => {
      const runId = '6a1d4ce0-3a43-4c57-9f0e-2f3c8b7d5e10';
      expect(await queue.getJobState(runId)).toBe('missing');
      expect(await enqueue(runId)).toBe('added');
      expect(await enqueue(runId)).toBe('duplicate');
      expect(await queue.getJobState(runId)).toBe('waiting');
    });

    it('processes an enqueued run in a worker and keeps the completed job', async () => {
      const handled = deferred<RunJob>();
      const consumer = queue.consume(async (job) => handled.resolve(job));
      await enqueue('run-processed');
      expect(await withTimeout(handled.promise, WAIT_MS, 'the worker to take the job')).toEqual({
        id: 'run-processed',
        payload: { runId: 'run-processed' },
        attempt: 1,
      });
      await consumer.close();
      expect(await queue.getJobState('run-processed')).toBe('completed');
      expect(await enqueue('run-processed')).toBe('duplicate');
    });

    it('retries a job whose handler threw', async () => {
      const second = deferred<RunJob>();
      const consumer = queue.consume(async (job) => {
        if (job.attempt === 1) throw new Error('transient');
        second.resolve(job);
      });
      await enqueue('run-retried');
      expect(await withTimeout(second.promise, WAIT_MS, 'the retry')).toEqual({
        id: 'run-retried',
        payload: { runId: 'run-retried' },
        attempt: 2,
      });
      await consumer.close();
    });

    it('puts a deferred job back, delayed, without spending an attempt', async () => {
      const attempts: number[] = [];
      const done = deferred<void>();
      const consumer = queue.consume(async (job) => {
        attempts.push(job.attempt);
        if (attempts.length === 1) return new JobDeferral(10);
        done.resolve();
      });
      await enqueue('run-deferred');
      await withTimeout(done.promise, WAIT_MS, 'the deferred job to come back');
      await consumer.close();
      expect(attempts).toEqual([1, 1]);
    });

    it('removes a waiting job so the run reads as missing', async () => {
      await enqueue('run-removed');
      expect(await queue.remove('run-removed')).toBe(true);
      expect(await queue.getJobState('run-removed')).toBe('missing');
    });

    it('refuses run ids BullMQ cannot use as job ids', async () => {
      await expect(enqueue('12345')).rejects.toThrow(/cannot be a BullMQ job id/);
      await expect(enqueue('a:b')).rejects.toThrow(/cannot be a BullMQ job id/);
    });
  },
);

it('fails to connect fast when Redis is not there', async () => {
  await expect(
    withTimeout(
      BullmqJobQueue.connect('simulate-run', {
        redisUrl: 'redis://127.0.0.1:1',
        prefix: uniqueQueuePrefix(),
      }),
      WAIT_MS,
      'the connection error',
    ),
  ).rejects.toThrow();
});
