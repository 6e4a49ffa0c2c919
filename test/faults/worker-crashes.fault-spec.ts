// Workers dying and stalling mid-job (docs/reliability.md, "Fault matrix" F1, F2, F4 and the
// poisonous run): the compiled API and workers as child processes on a throwaway PostgreSQL and
// Redis, SIGKILLed or SIGSTOPped while they hold a run. After each: every accepted run terminal,
// one result per run, one webhook message per run delivered under one id, no tenant starved.
import type { ServiceProcess } from '../e2e/harness/service-process';
import { waitFor } from '@netplay/testing';
import {
  FaultStack,
  POISON_STEPS,
  SLOW_RUN_ENV,
  SLOW_STEPS,
  type Tenant,
} from './harness/fault-stack';
import { checkInvariants } from './harness/invariants';

/** The reconciler's message for a run whose job BullMQ failed for good (stalled twice). */
const QUEUE_GAVE_UP = /the job queue gave up on this run/;

describe('workers killed or paused mid-job', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await FaultStack.start({ workers: 0 });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 120_000);

  afterEach(async () => {
    // Each test starts the workers it needs; none survives into the next.
    for (const worker of stack.service.workers) worker.signal('SIGCONT');
    await Promise.all(stack.service.workers.map((worker) => worker.kill()));
  });

  /** The one live worker, once the run has been claimed by it (status `running`, `attempts`). */
  async function whileRunning(runId: string, attempts: number): Promise<void> {
    await waitFor(
      `run ${runId} to be running (claim ${attempts})`,
      async () => {
        const { rows } = await stack.service.sql.query<{ status: string; attempts: number }>(
          'SELECT status, attempts FROM run WHERE id = $1',
          [runId],
        );
        const row = rows[0];
        if (row && row.status !== 'queued' && row.status !== 'running')
          throw new Error(`run ${runId} finished before the fault: ${row.status}`);
        return row?.status === 'running' && row.attempts === attempts;
      },
      { timeoutMs: 60_000, everyMs: 20 },
    );
  }

  async function subscribedTenant(name: string): Promise<Tenant & { path: string }> {
    const tenant = await stack.tenant(name);
    const path = `/${name}`;
    await stack.subscribe(tenant, stack.receiver.endpoint(path));
    return { ...tenant, path };
  }

  it('F1: a worker SIGKILLed mid-run hands the run to the next worker, one result, one webhook id', async () => {
    const tenant = await subscribedTenant('f1');
    const first = await stack.startWorker(SLOW_RUN_ENV);
    const [runId] = await stack.submitMany(tenant, 1, SLOW_STEPS);
    await whileRunning(runId, 1);
    await first.kill();
    expect(await stack.runStatus(runId)).toBe('running');
    await stack.startWorker();
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
    expect(report.maxAttempts).toBe(2);
  });

  it('F2: a run whose worker is SIGKILLed twice is failed with its reason, and announced once', async () => {
    const tenant = await subscribedTenant('f2');
    const bystander = await stack.tenant('f2-bystander');
    let worker = await stack.startWorker(SLOW_RUN_ENV);
    const [runId] = await stack.submitMany(tenant, 1, SLOW_STEPS);
    for (const claim of [1, 2]) {
      await whileRunning(runId, claim);
      await worker.kill();
      worker = await stack.startWorker(SLOW_RUN_ENV);
    }
    // Another tenant's runs keep flowing meanwhile.
    const others = await stack.submitMany(bystander, 20);
    await checkInvariants(
      stack.service.sql,
      {
        byTenant: new Map([
          [tenant.name, [runId]],
          [bystander.name, others],
        ]),
      },
      {
        terminalWithinMs: 60_000,
        expectedFailures: new Map([[runId, QUEUE_GAVE_UP]]),
        webhooks: {
          receiver: stack.receiver,
          tenants: new Map([[tenant.name, tenant.path]]),
          withinMs: 30_000,
        },
      },
    );
  });

  it('F4: a worker paused (SIGSTOP) past its lock loses the run to another; on SIGCONT it writes nothing', async () => {
    const tenant = await subscribedTenant('f4');
    const paused = await stack.startWorker(SLOW_RUN_ENV);
    const [runId] = await stack.submitMany(tenant, 1, SLOW_STEPS);
    await whileRunning(runId, 1);
    paused.signal('SIGSTOP');
    await stack.startWorker();
    // The lock (5 s) expires, the other worker's stalled check puts the job back and it takes
    // the run over while the first execution is frozen mid-engine.
    await waitFor(
      `run ${runId} to be finished by the second worker`,
      async () => (await stack.runStatus(runId)) === 'succeeded',
      { timeoutMs: 60_000, everyMs: 100 },
    );
    paused.signal('SIGCONT');
    // The resumed execution finishes its engine work and loses the completion's compare-and-set.
    await waitFor(
      'the resumed worker to report its execution superseded',
      async () => /superseded|Missing lock|lock/i.test(paused.output()) || !paused.running,
      { timeoutMs: 30_000, everyMs: 100 },
    ).catch(() => undefined);
    await checkInvariants(
      stack.service.sql,
      { byTenant: new Map([[tenant.name, [runId]]]) },
      {
        terminalWithinMs: 30_000,
        webhooks: {
          receiver: stack.receiver,
          tenants: new Map([[tenant.name, tenant.path]]),
          withinMs: 30_000,
        },
      },
    );
  });

  it('a poisonous run among 200 normal ones is refused or failed with its reason at once, no worker dies, every other run succeeds', async () => {
    const victim = await stack.tenant('poison');
    const others = [await stack.tenant('normal-a'), await stack.tenant('normal-b')];
    const keeper = keepWorkersAlive(2);
    try {
      await keeper.ready;
      const poison = await stack.submit(victim, POISON_STEPS);
      const normal = await Promise.all(others.map((tenant) => stack.submitMany(tenant, 100)));
      // Refused up front (422 naming the limit), or accepted and failed by the engine's limits.
      expect([202, 422]).toContain(poison.status);
      const poisonIds = poison.status === 202 && poison.body.id ? [poison.body.id] : [];
      const report = await checkInvariants(
        stack.service.sql,
        {
          byTenant: new Map([
            [victim.name, poisonIds],
            [others[0].name, normal[0]],
            [others[1].name, normal[1]],
          ]),
        },
        {
          terminalWithinMs: 120_000,
          expectedFailures: new Map(poisonIds.map((id) => [id, /1000 replicas|limit/])),
          maxRunLatencyMs: 60_000,
        },
      );
      expect(keeper.crashes()).toBe(0);
      console.log(
        `poisonous run: answered ${poison.status}; slowest run per tenant ${JSON.stringify(report.slowestRunMsByTenant)}`,
      );
    } finally {
      await keeper.stop();
    }
  });

  /** Restarts workers that die (as an orchestrator would) so that `count` keep running. */
  function keepWorkersAlive(count: number): {
    ready: Promise<void>;
    crashes(): number;
    stop(): Promise<void>;
  } {
    let stopped = false;
    const deadBefore = stack.service.workers.filter((worker) => !worker.running).length;
    const live = (): ServiceProcess[] => stack.service.workers.filter((worker) => worker.running);
    const startMissing = async () => {
      while (!stopped && live().length < count) await stack.startWorker();
    };
    const ready = startMissing();
    const loop = (async () => {
      await ready;
      while (!stopped) {
        await startMissing();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    return {
      ready,
      crashes: () => stack.service.workers.filter((worker) => !worker.running).length - deadBefore,
      stop: async () => {
        stopped = true;
        await loop;
      },
    };
  }
});
