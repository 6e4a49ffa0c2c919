// The relay and the reconciler against real Postgres and Redis (and, always, PGlite with the
// in-process queue): the outbox reaches the queue exactly once, and a lost job is put back.
import {
  backendSkipReason,
  TEST_BACKENDS,
  type TestBackend,
  REDIS_SKIP_REASON,
  REDIS_URL,
  removeTestQueue,
  uniqueQueuePrefix,
} from '@netplay/testing';
import {
  OutboxRepository,
  RunRepository,
  SandboxRepository,
  TenantRepository,
  type PrismaClient,
} from '@netplay/db';
import { BullmqJobQueue } from './bullmq-job-queue';
import { InProcessJobQueue } from './in-process-job-queue';
import { relayOutbox } from './outbox-relay';
import { MAX_REENQUEUES_AFTER_ERRORS, QUEUE_GAVE_UP_ERROR, reconcileRuns } from './run-reconciler';
import type { JobQueue } from './job-queue';

jest.setTimeout(60_000);

interface Setup {
  title: string;
  backend: TestBackend;
  skip?: string;
  openQueue(): Promise<{ queue: JobQueue<'simulate-run'>; cleanup(): Promise<void> }>;
}

const [pglite, postgres] = [
  TEST_BACKENDS.find((b) => b.name === 'pglite'),
  TEST_BACKENDS.find((b) => b.name === 'postgres'),
];
if (!pglite || !postgres) throw new Error('both test backends are defined');

const setups: Setup[] = [
  {
    title: 'PostgreSQL + BullMQ',
    backend: postgres,
    skip: backendSkipReason('postgres') ?? (REDIS_URL ? undefined : REDIS_SKIP_REASON),
    async openQueue() {
      const prefix = uniqueQueuePrefix();
      const queue = await BullmqJobQueue.connect('simulate-run', {
        redisUrl: REDIS_URL ?? '',
        prefix,
      });
      return {
        queue,
        cleanup: async () => {
          await queue.close();
          await removeTestQueue(REDIS_URL ?? '', prefix);
        },
      };
    },
  },
  {
    title: 'PGlite + in-process queue',
    backend: pglite,
    skip: backendSkipReason('pglite'),
    async openQueue() {
      const queue = new InProcessJobQueue('simulate-run', {
        retry: { attempts: 1, delayMs: () => 0 },
      });
      return { queue, cleanup: () => queue.close() };
    },
  },
];

for (const setup of setups) {
  const title = `the outbox relay and run reconciler on ${setup.title}`;
  (setup.skip ? describe.skip : describe)(setup.skip ? `${title} (${setup.skip})` : title, () => {
    let prisma: PrismaClient;
    let sandboxes: SandboxRepository;
    let closeDatabase: () => Promise<void>;
    let queue: JobQueue<'simulate-run'>;
    let closeQueue: () => Promise<void>;
    let runs: RunRepository;
    let outbox: OutboxRepository;

    beforeAll(async () => {
      const database = await setup.backend.open();
      prisma = database.handle.prisma;
      closeDatabase = database.cleanup;
      runs = new RunRepository(database.handle);
      sandboxes = new SandboxRepository(database.handle);
      outbox = new OutboxRepository(database.handle);
    });
    afterAll(async () => {
      await closeDatabase?.();
    });
    beforeEach(async () => {
      ({ queue, cleanup: closeQueue } = await setup.openQueue());
    });
    afterEach(async () => {
      await closeQueue();
    });

    async function queuedRun(): Promise<string> {
      const tenant = await new TenantRepository(prisma).create('relay');
      const sandbox = await sandboxes.create(tenant.id, {
        name: 'website',
        manifests: '',
        clusterSettings: {},
      });
      return (await runs.create(tenant.id, { sandboxRevisionId: sandbox.revision.id, steps: [] }))
        .run.id;
    }

    it('enqueues a new run once even when two relays run at the same time, and again later', async () => {
      const runId = await queuedRun();
      const reports = await Promise.all([relayOutbox(outbox, queue), relayOutbox(outbox, queue)]);
      const again = await relayOutbox(outbox, queue);
      expect(reports.reduce((sum, r) => sum + r.dispatched, 0)).toBe(1);
      expect(again.dispatched).toBe(0);
      expect(await queue.getJobState(runId)).toBe('waiting');
      expect(await prisma.outboxEvent.count({ where: { runId, dispatchedAt: null } })).toBe(0);
    });

    it('leaves events younger than its minimum age to the enqueue that follows their commit', async () => {
      const runId = await queuedRun();
      expect((await relayOutbox(outbox, queue, { minAgeMs: 60_000 })).dispatched).toBe(0);
      expect(await queue.getJobState(runId)).toBe('missing');
      await prisma.outboxEvent.updateMany({
        where: { runId },
        data: { createdAt: new Date(Date.now() - 61_000) },
      });
      expect(
        (await relayOutbox(outbox, queue, { minAgeMs: 60_000 })).dispatched,
      ).toBeGreaterThanOrEqual(1);
      expect(await queue.getJobState(runId)).toBe('waiting');
    });

    it('absorbs a resend after a crash between the queue write and the commit', async () => {
      const runId = await queuedRun();
      await queue.add({ runId }, { jobId: runId }); // the relay's queue write that happened before it died
      const report = await relayOutbox(outbox, queue);
      expect(report).toMatchObject({ dispatched: 1, duplicates: 1 });
      expect(await queue.getJobState(runId)).toBe('waiting');
    });

    it('re-enqueues an unfinished run whose job the queue lost, once', async () => {
      const runId = await queuedRun();
      await relayOutbox(outbox, queue);
      expect(await queue.remove(runId)).toBe(true);

      const report = await reconcileRuns(runs, queue, {
        minAgeMs: 0,
        now: new Date(Date.now() + 1_000),
        limit: 10_000,
      });
      expect(report.reenqueued).toContain(runId);
      expect(await queue.getJobState(runId)).toBe('waiting');
      expect((await runs.getForWorker(runId))?.enqueueCount).toBe(1);

      const second = await reconcileRuns(runs, queue, {
        minAgeMs: 0,
        now: new Date(Date.now() + 1_000),
        limit: 10_000,
      });
      expect(second.reenqueued).not.toContain(runId);
    });

    it('leaves runs younger than the minimum age to the relay', async () => {
      const runId = await queuedRun();
      const report = await reconcileRuns(runs, queue, { minAgeMs: 60_000, limit: 10_000 });
      expect(report.reenqueued).not.toContain(runId);
      expect(await queue.getJobState(runId)).toBe('missing');
    });
  });
}

(pglite && !backendSkipReason('pglite') ? describe : describe.skip)(
  'the run reconciler with a job the queue gave up on',
  () => {
    it('gives a job that failed on errors a new one a few times, then fails the run and enqueues it once more to announce it', async () => {
      if (!pglite) return;
      const { handle, cleanup } = await pglite.open();
      const queue = new InProcessJobQueue('simulate-run', {
        retry: { attempts: 1, delayMs: () => 0 },
      });
      try {
        const runs = new RunRepository(handle);
        const tenant = await new TenantRepository(handle.prisma).create('gave-up');
        const sandbox = await new SandboxRepository(handle).create(tenant.id, {
          name: 'x',
          manifests: '',
          clusterSettings: {},
        });
        const { run } = await runs.create(tenant.id, {
          sandboxRevisionId: sandbox.revision.id,
          steps: [],
        });
        await relayOutbox(new OutboxRepository(handle), queue);
        const deliveries: string[] = [];
        queue.consume(async (job) => {
          deliveries.push(job.payload.runId);
          throw new Error('the database is unreachable');
        });
        const reconcile = () =>
          reconcileRuns(runs, queue, { minAgeMs: 0, now: new Date(Date.now() + 1_000) });
        for (let pass = 1; pass <= MAX_REENQUEUES_AFTER_ERRORS; pass += 1) {
          await waitUntil(async () => (await queue.getJobState(run.id)) === 'failed');
          expect(await reconcile()).toMatchObject({ reenqueued: [run.id], failed: [] });
          expect(await runs.get(tenant.id, run.id)).toMatchObject({
            status: 'queued',
            enqueueCount: pass,
          });
        }
        await waitUntil(async () => (await queue.getJobState(run.id)) === 'failed');
        expect(await reconcile()).toMatchObject({ reenqueued: [], failed: [run.id] });
        expect(await runs.get(tenant.id, run.id)).toMatchObject({
          status: 'failed',
          error: QUEUE_GAVE_UP_ERROR,
        });
        // The failed job was replaced by a new one for the now finished run: delivered again.
        const expected = MAX_REENQUEUES_AFTER_ERRORS + 2;
        await waitUntil(async () => deliveries.length === expected);
        expect(deliveries).toEqual(Array.from({ length: expected }, () => run.id));
      } finally {
        await queue.close();
        await cleanup();
      }
    });
  },
);

/** Polls `condition` every 10 ms for up to 5 s. */
async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the queue');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
