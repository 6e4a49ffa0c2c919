// Webhook receivers failing, gone, hanging, and URLs aimed at the service's own network
// (docs/reliability.md, "Fault matrix" F12–F15): the programmable receiver on 127.0.0.2 (allowed
// through WEBHOOK_ALLOWED_HOSTS) and a canary on 127.0.0.1 that must never hear a request.
import { waitFor } from '@netplay/testing';
import { FaultStack, type Tenant } from './harness/fault-stack';
import { checkInvariants } from './harness/invariants';

describe('webhook receivers failing, gone, hanging or forbidden', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await FaultStack.start({ workers: 2 });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 120_000);

  async function deliveries(
    endpointId: string,
  ): Promise<Array<{ status_code: number | null; error_class: string | null }>> {
    const { rows } = await stack.service.sql.query<{
      status_code: number | null;
      error_class: string | null;
    }>('SELECT status_code, error_class FROM webhook_delivery WHERE endpoint_id = $1 ORDER BY at', [
      endpointId,
    ]);
    return rows;
  }

  async function subscribedTenant(name: string, path: string): Promise<[Tenant, string]> {
    const tenant = await stack.tenant(name);
    return [tenant, await stack.subscribe(tenant, stack.receiver.endpoint(path))];
  }

  it('F12: a receiver failing with 500 gets every retry under the same webhook id, and the delivery succeeds once it recovers', async () => {
    const path = '/f12';
    const [tenant, endpointId] = await subscribedTenant('f12', path);
    stack.receiver.behave(path, { kind: 'fail', status: 500 });
    const ids = await stack.submitMany(tenant, 3);
    await waitFor(
      'each run to be refused at least twice',
      async () =>
        ids.every((id) => stack.receiver.received(path).filter((r) => r.runId === id).length >= 2),
      { timeoutMs: 60_000, everyMs: 100 },
    );
    stack.receiver.behave(path, { kind: 'ok' });
    await checkInvariants(
      stack.service.sql,
      { byTenant: new Map([[tenant.name, ids]]) },
      {
        terminalWithinMs: 30_000,
        webhooks: {
          receiver: stack.receiver,
          tenants: new Map([[tenant.name, path]]),
          withinMs: 30_000,
        },
      },
    );
    expect((await deliveries(endpointId)).some((row) => row.error_class === 'http_5xx')).toBe(true);
  });

  it('F13: a receiver answering 410 disables its endpoint at once; later events are not sent to it', async () => {
    const path = '/f13';
    const [tenant, endpointId] = await subscribedTenant('f13', path);
    stack.receiver.behave(path, { kind: 'gone' });
    const [first] = await stack.submitMany(tenant, 1);
    await waitFor(
      'the endpoint to be disabled',
      async () =>
        (
          await stack.service.sql.query(
            'SELECT 1 FROM webhook_endpoint WHERE id = $1 AND disabled_at IS NOT NULL',
            [endpointId],
          )
        ).rowCount === 1,
      { timeoutMs: 30_000, everyMs: 100 },
    );
    expect(stack.receiver.received(path).filter((r) => r.runId === first)).toHaveLength(1);
    const later = await stack.submitMany(tenant, 2);
    await checkInvariants(
      stack.service.sql,
      { byTenant: new Map([[tenant.name, [first, ...later]]]) },
      { terminalWithinMs: 30_000 },
    );
    // Nothing more was sent: messages are stored only for enabled subscribers (docs/webhooks.md).
    expect(stack.receiver.received(path)).toHaveLength(1);
    expect(await deliveries(endpointId)).toEqual([{ status_code: 410, error_class: 'http_4xx' }]);
  });

  it("F14: one tenant's hanging receiver does not delay another tenant's deliveries", async () => {
    const hangingPath = '/f14-hanging';
    const quietPath = '/f14-quiet';
    const [hanging] = await subscribedTenant('f14-hanging', hangingPath);
    const [quiet] = await subscribedTenant('f14-quiet', quietPath);
    stack.receiver.behave(hangingPath, { kind: 'hang' });
    // More hanging deliveries than both workers' senders together (2 × 20), were there no cap.
    const stuck = await stack.submitMany(hanging, 24);
    await waitFor(
      'deliveries to the hanging receiver to be held open',
      async () => stack.receiver.received(hangingPath).length >= 4,
      { timeoutMs: 60_000, everyMs: 100 },
    );
    const quietIds = await stack.submitMany(quiet, 5);
    const report = await checkInvariants(
      stack.service.sql,
      { byTenant: new Map([[quiet.name, quietIds]]) },
      {
        terminalWithinMs: 30_000,
        webhooks: {
          receiver: stack.receiver,
          tenants: new Map([[quiet.name, quietPath]]),
          // Well under the sender's 10 s response timeout: nothing waited for a hanging slot.
          withinMs: 8_000,
        },
      },
    );
    const finished = await stack.service.sql.query<{ id: string; at: Date }>(
      'SELECT id, finished_at AS at FROM run WHERE id = ANY($1::uuid[])',
      [quietIds],
    );
    const lags = finished.rows.map((row) => {
      const received = stack.receiver.received(quietPath).find((r) => r.runId === row.id);
      return (received?.receivedAt ?? Infinity) - row.at.getTime();
    });
    console.log(`F14: quiet tenant's deliveries ${lags.join(', ')} ms after their runs finished`);
    expect(Math.max(...lags)).toBeLessThan(8_000);
    // The hanging tenant's messages go out once its receiver answers again.
    stack.receiver.behave(hangingPath, { kind: 'ok' });
    await checkInvariants(
      stack.service.sql,
      { byTenant: new Map([[hanging.name, stuck]]) },
      {
        terminalWithinMs: 30_000,
        webhooks: {
          receiver: stack.receiver,
          tenants: new Map([[hanging.name, hangingPath]]),
          withinMs: 90_000,
        },
      },
    );
    expect(report.runs).toBe(quietIds.length);
  });

  it('F15: webhook URLs aimed at the service itself are refused or blocked, and the canary hears nothing', async () => {
    const tenant = await stack.tenant('f15');
    const canaryPort = stack.canary.port;
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      `http://[::ffff:127.0.0.1]:${canaryPort}/`,
      `http://2130706433:${canaryPort}/`,
      `http://0x7f.1:${canaryPort}/`,
      `http://127.0.0.1:${canaryPort}/`,
    ]) {
      const refused = await stack.service.request<{ error?: { code: string } }>(
        'POST',
        '/v1/webhook-endpoints',
        { url, eventTypes: ['run.completed'] },
        tenant.key,
      );
      expect([url, refused.status, refused.body.error?.code]).toEqual([
        url,
        422,
        'unsafe-webhook-url',
      ]);
    }
    // A host name is only resolved when sending, and a redirect is not followed.
    const byName = await stack.subscribe(tenant, `http://localhost:${canaryPort}/by-name`);
    const redirectPath = '/f15-redirect';
    const redirecting = await stack.subscribe(
      tenant,
      stack.receiver.endpoint(redirectPath, {
        kind: 'redirect',
        location: `http://127.0.0.1:${canaryPort}/redirected`,
      }),
    );
    const ids = await stack.submitMany(tenant, 1);
    await checkInvariants(
      stack.service.sql,
      { byTenant: new Map([[tenant.name, ids]]) },
      { terminalWithinMs: 30_000 },
    );
    await waitFor(
      'an attempt for each endpoint',
      async () =>
        (await deliveries(byName)).length > 0 && (await deliveries(redirecting)).length > 0,
      { timeoutMs: 30_000, everyMs: 100 },
    );
    expect((await deliveries(byName))[0]).toEqual({
      status_code: null,
      error_class: 'ssrf_blocked',
    });
    expect((await deliveries(redirecting))[0]).toEqual({
      status_code: 302,
      error_class: 'http_3xx',
    });
    expect(stack.receiver.received(redirectPath).length).toBeGreaterThan(0);
    expect(stack.canary.requests).toEqual([]);
  });
});
