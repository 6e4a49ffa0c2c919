import { BullmqScenarioQueue } from './bullmq-scenario-queue';
import type { ScenarioJob } from './scenario-queue';
import {
  deferred,
  REDIS_SKIP_REASON,
  REDIS_URL,
  removeTestQueue,
  uniqueQueuePrefix,
  withTimeout,
} from './testing/redis';

jest.setTimeout(30_000);

const WAIT_MS = 15_000;
const title = 'the BullMQ scenario queue';

(REDIS_URL ? describe : describe.skip)(
  REDIS_URL ? title : `${title} (${REDIS_SKIP_REASON})`,
  () => {
    const redisUrl = REDIS_URL ?? '';
    let prefix: string;
    let queue: BullmqScenarioQueue;

    beforeEach(async () => {
      prefix = uniqueQueuePrefix();
      queue = await BullmqScenarioQueue.connect({ redisUrl, prefix });
    });
    afterEach(async () => {
      await queue.close();
      await removeTestQueue(redisUrl, prefix);
    });

    it('adds a job whose id is the run id, once', async () => {
      const runId = '6a1d4ce0-3a43-4c57-9f0e-2f3c8b7d5e10';
      expect(await queue.getJobState(runId)).toBe('missing');
      expect(await queue.enqueue(runId)).toBe('added');
      expect(await queue.enqueue(runId)).toBe('duplicate');
      expect(await queue.getJobState(runId)).toBe('waiting');
    });

    it('processes an enqueued run in a worker and keeps the completed job', async () => {
      const handled = deferred<ScenarioJob>();
      const consumer = queue.consume(async (job) => handled.resolve(job));
      await queue.enqueue('run-processed');
      expect(await withTimeout(handled.promise, WAIT_MS, 'the worker to take the job')).toEqual({
        runId: 'run-processed',
        attempt: 1,
      });
      await consumer.close();
      expect(await queue.getJobState('run-processed')).toBe('completed');
      expect(await queue.enqueue('run-processed')).toBe('duplicate');
    });

    it('retries a job whose handler threw', async () => {
      const second = deferred<ScenarioJob>();
      const consumer = queue.consume(async (job) => {
        if (job.attempt === 1) throw new Error('transient');
        second.resolve(job);
      });
      await queue.enqueue('run-retried');
      expect(await withTimeout(second.promise, WAIT_MS, 'the retry')).toEqual({
        runId: 'run-retried',
        attempt: 2,
      });
      await consumer.close();
    });

    it('removes a waiting job so the run reads as missing', async () => {
      await queue.enqueue('run-removed');
      expect(await queue.remove('run-removed')).toBe(true);
      expect(await queue.getJobState('run-removed')).toBe('missing');
    });

    it('refuses run ids BullMQ cannot use as job ids', async () => {
      await expect(queue.enqueue('12345')).rejects.toThrow(/cannot be a BullMQ job id/);
      await expect(queue.enqueue('a:b')).rejects.toThrow(/cannot be a BullMQ job id/);
    });
  },
);

it('fails to connect fast when Redis is not there', async () => {
  await expect(
    withTimeout(
      BullmqScenarioQueue.connect({ redisUrl: 'redis://127.0.0.1:1', prefix: uniqueQueuePrefix() }),
      WAIT_MS,
      'the connection error',
    ),
  ).rejects.toThrow();
});
