// Webhook deliveries lost with Redis (docs/reliability.md, "Fault matrix" F20): delivery jobs
// waiting in the suite's own Redis for their next retry are flushed away; the delivery reconciler
// rebuilds each from the database and the message arrives under the webhook id of its first try.
import { waitFor } from '@netplay/testing';
import { FaultStack } from './harness/fault-stack';
import { checkInvariants } from './harness/invariants';

/** Workers whose failed deliveries wait ten minutes for their retry: the jobs sit in Redis, delayed. */
const LONG_RETRY_ENV: NodeJS.ProcessEnv = { NETPLAY_WEBHOOK_RETRY_DELAYS_MS: '600000' };

describe('webhook deliveries lost with Redis', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await FaultStack.start({ workers: 0 });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 120_000);

  it('F20: Redis FLUSHALL while deliveries wait for their retry: each is rebuilt from the database and delivered under its first webhook id', async () => {
    const path = '/f20';
    const tenant = await stack.tenant('f20');
    await stack.subscribe(tenant, stack.receiver.endpoint(path));
    stack.receiver.behave(path, { kind: 'fail', status: 500 });
    await stack.startWorker(LONG_RETRY_ENV);
    await stack.startWorker(LONG_RETRY_ENV);
    const ids = await stack.submitMany(tenant, 10);
    await waitFor(
      "each run's message to be refused once and its attempt logged",
      async () => {
        const { rows } = await stack.service.sql.query<{ n: number }>(
          `SELECT count(DISTINCT e.id)::int AS n FROM webhook_event e
             JOIN webhook_delivery d ON d.event_id = e.id
            WHERE e.tenant_id = (SELECT tenant_id FROM run WHERE id = $1)`,
          [ids[0]],
        );
        return rows[0].n === ids.length;
      },
      { timeoutMs: 60_000, everyMs: 200 },
    );
    const firstTries = new Map(
      stack.receiver.received(path).map((request) => [request.runId, request.webhookId]),
    );

    // Only the database knows of the deliveries now: nothing in Redis would ever send them again.
    await Promise.all(stack.service.workers.map((worker) => worker.stop()));
    await stack.redis.flushAll();
    stack.receiver.behave(path, { kind: 'ok' });
    await stack.startWorker();
    await stack.startWorker();

    await checkInvariants(
      stack.service.sql,
      { byTenant: new Map([[tenant.name, ids]]) },
      {
        terminalWithinMs: 30_000,
        webhooks: {
          receiver: stack.receiver,
          tenants: new Map([[tenant.name, path]]),
          withinMs: 60_000,
        },
      },
    );
    for (const id of ids) {
      const requests = stack.receiver.received(path).filter((request) => request.runId === id);
      expect(requests.map((request) => request.webhookId)).toEqual(
        requests.map(() => firstTries.get(id)),
      );
      expect(requests.length).toBeGreaterThanOrEqual(2);
    }
  });
});
