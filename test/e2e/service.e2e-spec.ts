// The hosted service end to end: the API and two workers as real processes, on a fresh PostgreSQL
// database and a unique BullMQ prefix in the machine's Redis. Runs go through REST, the outbox,
// the relay, BullMQ and the workers; the checks read PostgreSQL and Redis directly.
import { waitFor } from '@netplay/testing';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mapBounded } from './harness/bounded';
import { REPO_ROOT } from './harness/service-process';
import { ServiceStack, type RunRow } from './harness/service-stack';

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;
const SKIP_REASON =
  !DATABASE_URL || !REDIS_URL
    ? 'skipped: DATABASE_URL and REDIS_URL must both be set (CI sets them)'
    : undefined;

const WEBSITE_MANIFESTS = readFileSync(
  path.join(REPO_ROOT, 'examples/manifests/website.yaml'),
  'utf8',
);
const WEBSITE_STEPS = [
  { name: 'kubectl get pods -o wide', get: { kind: 'pods', wide: true } },
  {
    name: 'wget -qO - http://website.default/',
    probe: { from: 'default/client', to: 'http://website.default/' },
  },
  { name: 'wget -qO - website.foo', probe: { from: 'default/client', to: 'website.foo' } },
];
const BURST = 200;
const CLIENTS = 20;

interface RunBody {
  id: string;
  status: string;
  result?: {
    issues: unknown[];
    steps: Array<{ kind: string; result: { verdict?: string } }>;
  } | null;
}

const suite = SKIP_REASON ? describe.skip : describe;

// The root config runs every project in one Jest process, where a project's `testTimeout` is not
// applied; starting processes and pushing hundreds of runs needs the longer limit set here.
jest.setTimeout(240_000);

suite(`the hosted service with real processes${SKIP_REASON ? ` (${SKIP_REASON})` : ''}`, () => {
  let stack: ServiceStack;

  beforeAll(async () => {
    stack = await ServiceStack.start({
      databaseServerUrl: DATABASE_URL ?? '',
      redisUrl: REDIS_URL ?? '',
      workers: 2,
      workerEnv: {
        NETPLAY_WORKER_CONCURRENCY: '4',
        // A killed worker's jobs come back after the lock expires and the next stalled check:
        // seconds here instead of BullMQ's 30 s + 30 s.
        NETPLAY_WORKER_LOCK_DURATION_MS: '4000',
        NETPLAY_WORKER_STALLED_INTERVAL_MS: '2000',
        NETPLAY_WORKER_RECONCILE_INTERVAL_MS: '1000',
        NETPLAY_WORKER_RECONCILE_MIN_AGE_MS: '1000',
      },
    });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  }, 90_000);

  async function websiteSandbox(key: string): Promise<string> {
    const created = await stack.request<{ id: string }>(
      'POST',
      '/v1/sandboxes',
      { name: 'website', manifests: WEBSITE_MANIFESTS },
      key,
    );
    expect(created.status).toBe(201);
    return created.body.id;
  }

  async function submitRuns(key: string, sandboxId: string, count: number): Promise<string[]> {
    return mapBounded(Array.from({ length: count }), CLIENTS, async () => {
      const submitted = await stack.request<RunBody>(
        'POST',
        `/v1/sandboxes/${sandboxId}/runs`,
        { steps: WEBSITE_STEPS },
        key,
      );
      if (submitted.status !== 202)
        throw new Error(`submit answered ${submitted.status}: ${JSON.stringify(submitted.body)}`);
      return submitted.body.id;
    });
  }

  /** Every run finished once: terminal, exactly one result row, one job per run id in Redis. */
  async function expectEachRunOnce(ids: string[], rows: RunRow[]): Promise<void> {
    expect(new Set(ids).size).toBe(ids.length);
    expect(
      rows
        .filter((row) => row.status !== 'succeeded')
        .map((row) => `${row.id}: ${row.status} ${row.error ?? ''}`),
    ).toEqual([]);
    const results = await stack.resultCounts(ids);
    expect(ids.filter((id) => results.get(id) !== 1)).toEqual([]);
    const jobIds = await stack.jobIds();
    expect(new Set(jobIds).size).toBe(jobIds.length);
    const jobs = new Set(jobIds);
    expect(ids.filter((id) => !jobs.has(id))).toEqual([]);
  }

  it('answers a website run submitted with ?wait=true with its trace', async () => {
    const key = await stack.createTenantKey('e2e-trace');
    const sandboxId = await websiteSandbox(key);
    const run = await stack.request<RunBody>(
      'POST',
      `/v1/sandboxes/${sandboxId}/runs?wait=true`,
      { steps: WEBSITE_STEPS },
      key,
    );
    expect(run.status).toBe(200);
    expect(run.body.status).toBe('succeeded');
    expect(run.body.result?.steps.map((step) => step.kind)).toEqual(['get', 'probe', 'probe']);
    expect(run.body.result?.steps.slice(1).map((step) => step.result.verdict)).toEqual([
      'delivered',
      'unresolved',
    ]);
    // The answer was built from the worker's reply; reading the run back gives the same body.
    const read = await stack.request<RunBody>('GET', `/v1/runs/${run.body.id}`, undefined, key);
    expect(read.body).toEqual(run.body);
  });

  it(`processes a burst of ${BURST} runs on two workers, none lost and none twice`, async () => {
    const key = await stack.createTenantKey('e2e-burst');
    const sandboxId = await websiteSandbox(key);
    const ids = await submitRuns(key, sandboxId, BURST);
    const rows = await stack.waitUntilTerminal(ids, 120_000);
    await expectEachRunOnce(ids, rows);
    expect(rows.every((row) => row.attempts === 1)).toBe(true);
  });

  it('hands the jobs of a worker killed mid-burst to the other one, still one result per run', async () => {
    const key = await stack.createTenantKey('e2e-kill');
    const sandboxId = await websiteSandbox(key);
    // The burst waits on the paused queue, so on resume both workers take jobs at once: a run takes
    // a few milliseconds, and arriving one by one they would rarely pile up on both.
    await stack.queue.pause();
    const ids = await submitRuns(key, sandboxId, BURST);
    await waitFor(
      'the burst to wait on the paused queue',
      async () => (await stack.queue.getWaitingCount()) === BURST,
      { timeoutMs: 30_000 },
    );
    await stack.queue.resume();
    // Each worker holds up to 4 active jobs: more than 4 active means the victim holds some too.
    await waitFor(
      'both workers to hold active jobs',
      async () => (await stack.queue.getActiveCount()) > 4,
      { timeoutMs: 30_000, everyMs: 5 },
    );
    const [victim] = stack.workers.filter((worker) => worker.running);
    await victim.kill();
    const rows = await stack.waitUntilTerminal(ids, 120_000);
    await expectEachRunOnce(ids, rows);
    // Every run finishing already proves the survivor took over the victim's stalled jobs. The jobs
    // show it: BullMQ started them a second time. (The runs' own claim count shows it only when the
    // victim had claimed them before the kill, which depends on timing.)
    const jobs = await Promise.all(ids.map((id) => stack.queue.getJob(id)));
    expect(
      jobs.filter((job) => job && (job.attemptsStarted > 1 || job.stalledCounter > 0)).length,
    ).toBeGreaterThan(0);
    await stack.startWorker();
  });

  it('re-enqueues the runs of a queue whose Redis keys were lost', async () => {
    const key = await stack.createTenantKey('e2e-flush');
    const sandboxId = await websiteSandbox(key);
    await Promise.all(
      stack.workers.filter((worker) => worker.running).map((worker) => worker.stop()),
    );
    const ids = await submitRuns(key, sandboxId, 20);
    // The API puts them on the queue; with no worker running they wait there. Once the relay has
    // marked their outbox events dispatched, only the reconciler can bring back what Redis loses.
    await waitFor(
      'the runs to be waiting in Redis',
      async () => (await stack.queue.getWaitingCount()) >= ids.length,
      { timeoutMs: 30_000 },
    );
    await waitFor(
      'the outbox events of the runs to be dispatched',
      async () =>
        (
          await stack.sql.query(
            'SELECT 1 FROM outbox_event WHERE run_id = ANY($1::uuid[]) AND dispatched_at IS NULL',
            [ids],
          )
        ).rowCount === 0,
      { timeoutMs: 30_000 },
    );
    expect(await stack.flushQueueKeys()).toBeGreaterThan(0);
    expect(await stack.queue.getWaitingCount()).toBe(0);
    await stack.startWorker();
    await stack.startWorker();
    const rows = await stack.waitUntilTerminal(ids, 60_000);
    await expectEachRunOnce(ids, rows);
    expect(rows.filter((row) => row.enqueue_count < 1).map((row) => row.id)).toEqual([]);
  });
});
