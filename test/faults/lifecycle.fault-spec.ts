// Deploys, misconfiguration, contended writes and clock skew (docs/reliability.md, "Fault matrix"
// F3, F9, F11 and F19): a worker sent SIGTERM while it holds a run (a rolling restart), within and
// past its shutdown timeout; a Redis whose eviction policy may drop BullMQ's keys; many
// submissions of one exercise graded at once by two workers; a worker whose clock runs 10 minutes
// ahead. Same stack as the other fault suites: the compiled API and workers as child processes on
// a throwaway PostgreSQL and Redis.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readExercise } from '@netplay/grading';
import { waitFor } from '@netplay/testing';
import { Webhook } from 'standardwebhooks';
import { mapBounded } from '../e2e/harness/bounded';
import { REPO_ROOT } from '../e2e/harness/service-process';
import { FaultStack, SLOW_RUN_ENV, SLOW_STEPS, type Tenant } from './harness/fault-stack';
import { checkInvariants } from './harness/invariants';

/** Shifts a worker's Date by NETPLAY_TEST_CLOCK_SKEW_MS (see the file). */
const SKEWED_CLOCK = path.join(__dirname, 'harness/skewed-clock.cjs');
const TEN_MINUTES_MS = 10 * 60_000;

describe('worker restarts, a misconfigured Redis, contended writes and a skewed clock', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await FaultStack.start({ workers: 0 });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 120_000);

  afterEach(async () => {
    await Promise.all(stack.service.workers.map((worker) => worker.kill()));
  });

  async function subscribedTenant(name: string): Promise<Tenant & { path: string }> {
    const tenant = await stack.tenant(name);
    const path = `/${name}`;
    await stack.subscribe(tenant, stack.receiver.endpoint(path));
    return { ...tenant, path };
  }

  async function whileRunning(runId: string): Promise<void> {
    await waitFor(
      `run ${runId} to be running`,
      async () => {
        const status = await stack.runStatus(runId);
        if (status !== 'queued' && status !== 'running')
          throw new Error(`run ${runId} finished before the fault: ${status}`);
        return status === 'running';
      },
      { timeoutMs: 60_000, everyMs: 20 },
    );
  }

  /** One result, one `run.completed` message delivered under one id; answers the attempts. */
  async function invariants(tenant: Tenant & { path: string }, runId: string): Promise<number> {
    const report = await checkInvariants(
      stack.service.sql,
      { byTenant: new Map([[tenant.name, [runId]]]) },
      {
        terminalWithinMs: 60_000,
        webhooks: {
          receiver: stack.receiver,
          tenants: new Map([[tenant.name, tenant.path]]),
          withinMs: 30_000,
        },
      },
    );
    return report.maxAttempts;
  }

  it('F3: a worker sent SIGTERM mid-run finishes the run, then exits: one attempt, one result, no stall', async () => {
    const tenant = await subscribedTenant('f3');
    // Held 6 s, within the default 25 s of shutdown grace.
    const worker = await stack.startWorker(SLOW_RUN_ENV);
    const [runId] = await stack.submitMany(tenant, 1, SLOW_STEPS);
    await whileRunning(runId);
    const exitCode = await worker.stop(60_000);
    expect(exitCode).toBe(0);
    // Finished by the worker that was told to stop, before it exited: nothing stalled or re-ran.
    expect(await stack.runStatus(runId)).toBe('succeeded');
    expect(worker.output()).toMatch(/SIGTERM: finishing the jobs in progress/);
    // A worker of the next version delivers what the stopped one announced.
    await stack.startWorker();
    expect(await invariants(tenant, runId)).toBe(1);
  });

  it('F3, past the shutdown timeout: the worker exits without the run, which another worker takes over once', async () => {
    const tenant = await subscribedTenant('f3-timeout');
    const worker = await stack.startWorker({ NETPLAY_SHUTDOWN_TIMEOUT_MS: '200', ...SLOW_RUN_ENV });
    const [runId] = await stack.submitMany(tenant, 1, SLOW_STEPS);
    await whileRunning(runId);
    expect(await worker.stop(60_000)).toBe(1);
    expect(worker.output()).toMatch(/jobs still running after 200 ms/);
    expect(await stack.runStatus(runId)).toBe('running');
    // As after a SIGKILL (F1): the lock expires and the next worker runs the job again.
    await stack.startWorker();
    expect(await invariants(tenant, runId)).toBe(2);
  });

  it('F9: with an evicting maxmemory-policy the worker refuses to start and /readyz names it', async () => {
    await stack.redis.setEvictionPolicy('allkeys-lru');
    try {
      await expect(stack.startWorker()).rejects.toThrow(
        // The log line is JSON: its quotes come escaped.
        /exited with 2[\s\S]*refusing to start: Redis maxmemory-policy is \W+allkeys-lru/,
      );
      const ready = await fetch(`${stack.service.apiUrl}/readyz`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as { checks: { name: string; error?: string }[] };
      expect(body.checks.find((check) => check.name === 'queue')?.error).toMatch(
        /maxmemory-policy is "allkeys-lru".*needs "noeviction"/,
      );
    } finally {
      await stack.redis.setEvictionPolicy('noeviction');
    }
    // Put right, both come back without a restart of the API.
    expect((await fetch(`${stack.service.apiUrl}/readyz`)).status).toBe(200);
    await stack.startWorker();
  });

  it('F11: 40 submissions of one exercise graded at once by two workers: each graded once, one message each', async () => {
    const tenant = await stack.tenant('f11');
    const yaml = readFileSync(path.join(REPO_ROOT, 'exercises/clusterip-vs-nodeport.yaml'), 'utf8');
    const exercise = readExercise(yaml).exercise;
    const reference = exercise?.referenceSolution;
    if (!exercise || !reference) throw new Error('the shipped exercise has no reference solution');
    const published = await stack.service.request<{ id: string }>(
      'POST',
      '/v1/exercises',
      { yaml },
      tenant.key,
    );
    expect(published.status).toBe(201);
    const hooks = await stack.service.request(
      'POST',
      '/v1/webhook-endpoints',
      { url: stack.receiver.endpoint('/f11'), eventTypes: ['submission.graded'] },
      tenant.key,
    );
    expect(hooks.status).toBe(201);
    const workers = await Promise.all([stack.startWorker(), stack.startWorker()]);
    // One learner, alternately the reference solution (passes) and the starting manifests (fails).
    const bodies = Array.from({ length: 40 }, (_, index) =>
      index % 2 === 0
        ? {
            learnerRef: 'learner-1',
            manifests: reference.manifests,
            mode: reference.mode,
            passes: true,
          }
        : {
            learnerRef: 'learner-1',
            manifests: exercise.startingManifests,
            mode: 'full',
            passes: false,
          },
    );
    const expected = new Map<string, boolean>();
    await mapBounded(bodies, 20, async ({ passes, ...body }) => {
      const submitted = await stack.service.request<{ id: string }>(
        'POST',
        `/v1/exercises/${published.body.id}/submissions`,
        body,
        tenant.key,
      );
      // The body and the API's last lines name what went wrong if it is not accepted.
      if (submitted.status !== 202)
        throw new Error(
          `submit answered ${submitted.status}: ${JSON.stringify(submitted.body)}\n${stack.service.api.output().slice(-3_000)}`,
        );
      expected.set(submitted.body.id, passes);
    });

    const rows = await waitFor(
      'the 40 submissions to be graded',
      async () => {
        const { rows } = await stack.service.sql.query<{
          id: string;
          status: string;
          score: number | null;
          max_score: number | null;
        }>('SELECT id, status, score, max_score FROM submission WHERE exercise_id = $1', [
          published.body.id,
        ]);
        return rows.length === 40 && rows.every((row) => row.status !== 'queued') && rows;
      },
      { timeoutMs: 120_000, everyMs: 250 },
    );
    for (const row of rows) {
      expect(row.status).toBe('graded');
      expect(row.score === row.max_score).toBe(expected.get(row.id));
    }
    // One message per submission, every delivery of it under its one webhook-id.
    const delivered = await waitFor(
      'a submission.graded delivery for each submission',
      () => {
        const bySubmission = new Map<string, Set<string | undefined>>();
        for (const hook of stack.receiver.received('/f11')) {
          const id = (JSON.parse(hook.body) as { data: { submissionId: string } }).data
            .submissionId;
          bySubmission.set(id, (bySubmission.get(id) ?? new Set()).add(hook.webhookId));
        }
        return bySubmission.size === 40 && bySubmission;
      },
      { timeoutMs: 30_000, everyMs: 100 },
    );
    expect([...delivered.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const ids of delivered.values()) expect(ids.size).toBe(1);
    const { rows: events } = await stack.service.sql.query<{ count: string }>(
      "SELECT count(*) FROM webhook_event WHERE type = 'submission.graded' AND tenant_id = (SELECT tenant_id FROM exercise WHERE id = $1)",
      [published.body.id],
    );
    expect(Number(events[0].count)).toBe(40);
    // No write was refused for a conflict (serialisation failure or deadlock) along the way.
    for (const worker of workers)
      expect(worker.output()).not.toMatch(/P2034|deadlock|could not serialize/i);
  });

  it('F19: a worker whose clock runs 10 minutes ahead signs webhooks with the database time, which a 5-minute-tolerance receiver accepts', async () => {
    const tenant = await stack.tenant('f19');
    const endpoint = await stack.service.request<{ secret: string }>(
      'POST',
      '/v1/webhook-endpoints',
      { url: stack.receiver.endpoint('/f19'), eventTypes: ['run.completed'] },
      tenant.key,
    );
    expect(endpoint.status).toBe(201);
    const receiverCheck = new Webhook(endpoint.body.secret);
    const worker = await stack.startWorker({ NETPLAY_TEST_CLOCK_SKEW_MS: String(TEN_MINUTES_MS) }, [
      '--require',
      SKEWED_CLOCK,
    ]);
    const [runId] = await stack.submitMany(tenant, 1);
    const [delivered] = await waitFor(
      'the run.completed webhook',
      () => {
        const received = stack.receiver.received('/f19');
        return received.length > 0 && received;
      },
      { timeoutMs: 60_000, everyMs: 100 },
    );
    expect(delivered.runId).toBe(runId);
    const headers = {
      'webhook-id': String(delivered.headers['webhook-id']),
      'webhook-timestamp': String(delivered.headers['webhook-timestamp']),
      'webhook-signature': String(delivered.headers['webhook-signature']),
    };
    // The timestamp is the database's (this machine's) time, not the worker's: the Standard
    // Webhooks check (5 minutes either way) accepts it.
    const sentAt = Number(headers['webhook-timestamp']) * 1000;
    expect(Math.abs(sentAt - delivered.receivedAt)).toBeLessThan(30_000);
    expect(() => receiverCheck.verify(delivered.body, headers)).not.toThrow();
    // What the worker's own clock would have earned it: the same check refuses a timestamp 10
    // minutes ahead as "too new" (and a worker 10 minutes behind as "too old").
    for (const skew of [TEN_MINUTES_MS, -TEN_MINUTES_MS]) {
      const skewedAt = new Date(delivered.receivedAt + skew);
      const signed = receiverCheck.sign(headers['webhook-id'], skewedAt, delivered.body);
      expect(() =>
        receiverCheck.verify(delivered.body, {
          ...headers,
          'webhook-timestamp': String(Math.floor(skewedAt.getTime() / 1000)),
          'webhook-signature': signed,
        }),
      ).toThrow(/timestamp too (new|old)/i);
    }
    // And the worker says loudly that its host's clock is off.
    await waitFor('the worker to warn about its clock', () =>
      /clock is 600 s ahead of the database's/.test(worker.output()),
    );
  });
});
