// PostgreSQL and Redis failing under load (docs/reliability.md, "Fault matrix" F7, F8, F10): the
// suite's own redis-server is SIGKILLed for ten seconds or flushed, its own PostgreSQL cluster
// SIGKILLed and restarted, while runs are being submitted. Every accepted run completes once.
import { setTimeout as delay } from 'node:timers/promises';
import { waitFor } from '@netplay/testing';
import { FaultStack } from './harness/fault-stack';
import { checkInvariants } from './harness/invariants';
import { steadyLoad } from './harness/steady-load';

/** How long each outage lasts: the fault itself, not a wait for a condition. */
const OUTAGE_MS = 10_000;

describe('PostgreSQL and Redis failing under load', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await FaultStack.start({ workers: 2 });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 120_000);

  it('F7: Redis SIGKILLed for 10 s during submits: submits are still accepted, and every run completes once Redis is back', async () => {
    const tenant = await stack.tenant('f7');
    const path = '/f7';
    await stack.subscribe(tenant, stack.receiver.endpoint(path));
    const load = steadyLoad(stack, tenant, { clients: 2, pauseMs: 100 });
    await delay(1_000);
    await stack.redis.kill();
    const acceptedBefore = (await stack.service.sql.query('SELECT 1 FROM run')).rowCount ?? 0;
    await delay(OUTAGE_MS);
    const acceptedDuring =
      ((await stack.service.sql.query('SELECT 1 FROM run')).rowCount ?? 0) - acceptedBefore;
    await stack.redis.start();
    await delay(1_000);
    const result = await load.stop();
    expect(result.unexpected).toEqual([]);
    // The outbox took the submits while Redis was down.
    expect(acceptedDuring).toBeGreaterThan(0);
    const report = await checkInvariants(
      stack.service.sql,
      { byTenant: new Map([[tenant.name, result.accepted]]) },
      {
        terminalWithinMs: 90_000,
        webhooks: {
          receiver: stack.receiver,
          tenants: new Map([[tenant.name, path]]),
          withinMs: 60_000,
        },
      },
    );
    console.log(
      `F7: ${result.accepted.length} runs accepted (${acceptedDuring} during the outage); slowest ${report.slowestRunMsByTenant[tenant.name]} ms`,
    );
  });

  it('F8: Redis FLUSHALL while runs wait on the queue: the reconciler enqueues them again, each completes once', async () => {
    const tenant = await stack.tenant('f8');
    await Promise.all(stack.service.workers.map((worker) => worker.stop()));
    const ids = await stack.submitMany(tenant, 20);
    // Once the relay has marked their events dispatched, only the reconciler can recover them.
    await waitFor(
      'the outbox events of the runs to be dispatched',
      async () =>
        (
          await stack.service.sql.query(
            'SELECT 1 FROM outbox_event WHERE run_id = ANY($1::uuid[]) AND dispatched_at IS NULL',
            [ids],
          )
        ).rowCount === 0,
      { timeoutMs: 30_000, everyMs: 200 },
    );
    await stack.redis.flushAll();
    expect(await stack.service.queue.getWaitingCount()).toBe(0);
    await Promise.all([stack.startWorker(), stack.startWorker()]);
    await checkInvariants(
      stack.service.sql,
      { byTenant: new Map([[tenant.name, ids]]) },
      { terminalWithinMs: 60_000 },
    );
    const { rows } = await stack.service.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM run WHERE id = ANY($1::uuid[]) AND enqueue_count > 0',
      [ids],
    );
    expect(rows[0].n).toBe(ids.length);
  });

  it('F10: PostgreSQL SIGKILLed and restarted under load: the API answers 503, never 500, and every accepted run completes', async () => {
    const tenant = await stack.tenant('f10');
    const load = steadyLoad(stack, tenant, { clients: 2, pauseMs: 100, tolerated: [503] });
    await delay(1_000);
    await stack.postgres.kill();
    await delay(OUTAGE_MS);
    await stack.postgres.start();
    await waitFor(
      'the API to answer /readyz with 200 again',
      async () => (await fetch(`${stack.service.apiUrl}/readyz`)).status === 200,
      { timeoutMs: 30_000, everyMs: 200 },
    );
    await delay(1_000);
    const result = await load.stop();
    expect(result.unexpected).toEqual([]);
    expect(result.statuses['503']).toBeGreaterThan(0);
    const report = await checkInvariants(
      stack.service.sql,
      { byTenant: new Map([[tenant.name, result.accepted]]) },
      { terminalWithinMs: 90_000 },
    );
    console.log(
      `F10: answers ${JSON.stringify(result.statuses)}; slowest run ${report.slowestRunMsByTenant[tenant.name]} ms, at most ${report.maxAttempts} attempts`,
    );
  });
});
