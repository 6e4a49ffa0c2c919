// Delivery end to end below the apps: repositories on a real database (PGlite and PostgreSQL),
// real HTTP receivers on loopback (allowlisted), the in-process queue with a millisecond schedule.
import {
  describeEachBackend,
  startTestReceiver,
  waitFor,
  type ScriptedResponse,
  type TestReceiver,
} from '@netplay/testing';
import {
  SecretCipher,
  TenantEventRepository,
  TenantRepository,
  WebhookEndpointRepository,
  WebhookEventRepository,
  type DatabaseHandle,
} from '@netplay/db';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { deliverWebhook, type DeliveryLogLine } from './deliver-webhook';
import { storedEvent } from './testing/stored-event';
import { publishWebhookEvent, redeliverWebhookEvent } from './publish-webhook-event';
import type { RetrySchedule } from './retry-schedule';
import { generateWebhookSecret } from './signing';
import type { SsrfPolicy } from './ssrf-guard';
import { InProcessJobQueue } from '@netplay/queue';
import { consumeDeliveries, deliveryRetry } from './webhook-delivery-queue';

const FAST: RetrySchedule = { delaysMs: [5, 5, 5, 5, 5], jitter: false };
const LOOPBACK_ALLOWED: SsrfPolicy = { allowedHosts: ['127.0.0.1/32'] };
const GRADED = {
  submissionId: 's-1',
  exerciseId: 'e-1',
  exerciseSlug: 'clusterip-vs-nodeport',
  learnerRef: 'learner-7',
  status: 'graded' as const,
  score: 3,
  maxScore: 5,
  passedChecks: ['a'],
  failedChecks: ['b'],
};

/** The tenant's events, newest first (one page is all a test makes). */
async function tenantEventItems(tenantEvents: TenantEventRepository, tenantId: string) {
  return (await tenantEvents.list(tenantId)).items;
}
describeEachBackend('webhook delivery', (backend) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  const cipher = SecretCipher.fromKey(randomBytes(32));
  const receivers: TestReceiver[] = [];
  const queues: InProcessJobQueue<'deliver-webhook'>[] = [];

  beforeAll(async () => {
    ({ handle, cleanup } = await backend.open());
  });
  afterAll(() => cleanup());
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((queue) => queue.close()));
    await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
  });

  async function setUp(
    script: ScriptedResponse[],
    options: { disableAfterFailures?: number; url?: string; now?: () => Date } = {},
  ) {
    const receiver = await startTestReceiver(script);
    receivers.push(receiver);
    const tenant = await new TenantRepository(handle.prisma).create(
      `tenant-${randomBytes(3).toString('hex')}`,
    );
    const endpoints = new WebhookEndpointRepository(handle, cipher);
    const events = new WebhookEventRepository(handle);
    const secret = generateWebhookSecret();
    const endpoint = await endpoints.create(tenant.id, {
      url: options.url ?? receiver.url,
      eventTypes: ['submission.graded'],
      secret,
    });
    const logLines: DeliveryLogLine[] = [];
    const queue = new InProcessJobQueue('deliver-webhook', { retry: deliveryRetry(FAST) });
    queues.push(queue);
    consumeDeliveries(queue, (job) =>
      deliverWebhook(job, {
        endpoints,
        events,
        policy: LOOPBACK_ALLOWED,
        disableAfterFailures: options.disableAfterFailures,
        now: options.now,
        log: (line) => logLines.push(line),
      }),
    );
    return {
      receiver,
      tenant,
      endpoints,
      events,
      endpoint,
      secret,
      queue,
      logLines,
      tenantEvents: new TenantEventRepository(handle.prisma),
    };
  }

  it('retries 500, 500, 200 as three attempts of one event with the same body and fresh signatures', async () => {
    // Attempts a few milliseconds apart would share a one-second timestamp: the clock moves on a second per reading.
    let readings = 0;
    const clock = () => new Date(Date.now() + readings++ * 1000);
    const { receiver, tenant, endpoints, events, endpoint, secret, queue } = await setUp(
      [{ status: 500 }, { status: 500 }, { status: 200 }],
      { now: clock },
    );
    const published = storedEvent(
      await publishWebhookEvent(tenant.id, 'submission.graded', GRADED, {
        endpoints,
        events,
        queue,
      }),
    );
    await waitFor('three attempts', () => queue.pending() === 0 && receiver.requests.length === 3);

    const ids = new Set(receiver.requests.map((request) => request.headers['webhook-id']));
    expect(ids).toEqual(new Set([published.eventId]));
    expect(new Set(receiver.requests.map((request) => request.body)).size).toBe(1);
    expect(
      new Set(receiver.requests.map((request) => request.headers['webhook-timestamp'])).size,
    ).toBe(3);
    expect(
      new Set(receiver.requests.map((request) => request.headers['webhook-signature'])).size,
    ).toBe(3);
    for (const request of receiver.requests) {
      expect(
        new Webhook(secret).verify(request.body, request.headers as Record<string, string>),
      ).toMatchObject({ type: 'submission.graded', data: GRADED });
    }
    const log = await events.deliveries(tenant.id, published.eventId);
    expect(log.map((row) => [row.attempt, row.statusCode, row.errorClass])).toEqual([
      [1, 500, 'http_5xx'],
      [2, 500, 'http_5xx'],
      [3, 200, null],
    ]);
    expect((await endpoints.get(tenant.id, endpoint.id))?.consecutiveFailures).toBe(0);
  });

  it('disables an endpoint that keeps failing after the configured number of failures, and tells the tenant', async () => {
    const { receiver, tenant, endpoints, events, endpoint, queue, tenantEvents } = await setUp(
      [{ status: 503 }],
      { disableAfterFailures: 3 },
    );
    await publishWebhookEvent(tenant.id, 'submission.graded', GRADED, { endpoints, events, queue });
    await waitFor('the attempts to stop', () => queue.pending() === 0);

    expect(receiver.requests).toHaveLength(3);
    const stored = await endpoints.get(tenant.id, endpoint.id);
    expect(stored?.disabledAt).toBeInstanceOf(Date);
    expect(stored?.disabledReason).toBe('3 consecutive failed deliveries');
    expect(
      (await tenantEventItems(tenantEvents, tenant.id)).map((event) => [event.type, event.data]),
    ).toEqual([
      [
        'endpoint.disabled',
        { endpointId: endpoint.id, url: endpoint.url, reason: '3 consecutive failed deliveries' },
      ],
    ]);
    // A disabled endpoint gets no later events; with no other subscriber none is stored either.
    const later = await publishWebhookEvent(tenant.id, 'submission.graded', GRADED, {
      endpoints,
      events,
      queue,
    });
    expect(later).toEqual({ eventId: null, created: false, endpointIds: [] });
    expect(receiver.requests).toHaveLength(3);
  });

  it('stores no message for an event type no enabled endpoint subscribes to', async () => {
    const { tenant, endpoints, events, queue } = await setUp([{ status: 200 }]);
    const published = await publishWebhookEvent(
      tenant.id,
      'run.completed',
      { runId: 'r-1', sandboxId: 's-1', status: 'succeeded', summary: { steps: 1, verdicts: {} } },
      { endpoints, events, queue },
      'run.completed:r-1',
    );
    expect(published).toEqual({ eventId: null, created: false, endpointIds: [] });
    expect(await handle.prisma.webhookEvent.count({ where: { tenantId: tenant.id } })).toBe(0);
  });

  it('disables an endpoint whose receiver is down for good (connection refused)', async () => {
    const { receiver, tenant, endpoints, events, endpoint, queue, tenantEvents } = await setUp(
      [{ status: 200 }],
      { disableAfterFailures: 4 },
    );
    await receiver.close();
    receivers.splice(receivers.indexOf(receiver), 1);
    const published = storedEvent(
      await publishWebhookEvent(tenant.id, 'submission.graded', GRADED, {
        endpoints,
        events,
        queue,
      }),
    );
    await waitFor('the attempts to stop', () => queue.pending() === 0);

    const log = await events.deliveries(tenant.id, published.eventId);
    expect(log.map((row) => row.errorClass)).toEqual([
      'connection_refused',
      'connection_refused',
      'connection_refused',
      'connection_refused',
    ]);
    expect((await endpoints.get(tenant.id, endpoint.id))?.disabledAt).toBeInstanceOf(Date);
    expect((await tenantEventItems(tenantEvents, tenant.id)).map((event) => event.type)).toEqual([
      'endpoint.disabled',
    ]);
  });

  it('disables an endpoint at once when the receiver answers 410 Gone', async () => {
    const { receiver, tenant, endpoints, events, endpoint, queue, tenantEvents } = await setUp([
      { status: 410 },
    ]);
    await publishWebhookEvent(tenant.id, 'submission.graded', GRADED, { endpoints, events, queue });
    await waitFor('the attempt to finish', () => queue.pending() === 0);

    expect(receiver.requests).toHaveLength(1);
    expect((await endpoints.get(tenant.id, endpoint.id))?.disabledReason).toBe(
      'the receiver answered 410 Gone',
    );
    expect((await tenantEventItems(tenantEvents, tenant.id)).map((event) => event.type)).toEqual([
      'endpoint.disabled',
    ]);
  });

  it('counts a redirect as a failed attempt and does not follow it', async () => {
    const canary = await startTestReceiver([{ status: 200 }]);
    receivers.push(canary);
    const { tenant, endpoints, events, queue } = await setUp([
      { status: 301, headers: { location: canary.url } },
      { status: 200 },
    ]);
    const published = storedEvent(
      await publishWebhookEvent(tenant.id, 'submission.graded', GRADED, {
        endpoints,
        events,
        queue,
      }),
    );
    await waitFor('the attempts to finish', () => queue.pending() === 0);

    expect(canary.requests).toHaveLength(0);
    expect(
      (await events.deliveries(tenant.id, published.eventId)).map((row) => row.errorClass),
    ).toEqual(['http_3xx', null]);
  });

  it('logs an SSRF refusal as ssrf_blocked without contacting the address', async () => {
    const { receiver, tenant, endpoints, events, queue } = await setUp([{ status: 200 }], {
      url: 'http://169.254.169.254/latest/meta-data/',
    });
    const published = storedEvent(
      await publishWebhookEvent(tenant.id, 'submission.graded', GRADED, {
        endpoints,
        events,
        queue,
      }),
    );
    await waitFor(
      'the first attempt',
      async () => (await events.deliveries(tenant.id, published.eventId)).length > 0,
    );

    const [first] = await events.deliveries(tenant.id, published.eventId);
    expect(first).toMatchObject({ errorClass: 'ssrf_blocked', statusCode: null });
    expect(receiver.requests).toHaveLength(0);
  });

  it('caps the stored response excerpt at 1 KiB', async () => {
    const { tenant, endpoints, events, queue } = await setUp([
      { status: 200, body: 'y'.repeat(100_000) },
    ]);
    const published = storedEvent(
      await publishWebhookEvent(tenant.id, 'submission.graded', GRADED, {
        endpoints,
        events,
        queue,
      }),
    );
    await waitFor('the attempt to finish', () => queue.pending() === 0);
    const [row] = await events.deliveries(tenant.id, published.eventId);
    expect(row.responseExcerpt).toHaveLength(1024);
  });

  it('redelivers an event on request as a new, manual attempt with the same id and body', async () => {
    const { receiver, tenant, endpoints, events, endpoint, queue } = await setUp([{ status: 200 }]);
    const published = storedEvent(
      await publishWebhookEvent(tenant.id, 'submission.graded', GRADED, {
        endpoints,
        events,
        queue,
      }),
    );
    await waitFor('the first delivery', () => receiver.requests.length === 1);
    expect(
      await redeliverWebhookEvent(tenant.id, published.eventId, endpoint.id, {
        endpoints,
        events,
        queue,
      }),
    ).toBe('scheduled');
    await waitFor('the redelivery', () => receiver.requests.length === 2 && queue.pending() === 0);

    expect(receiver.requests[1].headers['webhook-id']).toBe(published.eventId);
    expect(receiver.requests[1].body).toBe(receiver.requests[0].body);
    expect(
      (await events.deliveries(tenant.id, published.eventId)).map((row) => [
        row.attempt,
        row.manual,
      ]),
    ).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(
      await redeliverWebhookEvent(tenant.id, 'msg_unknown', endpoint.id, {
        endpoints,
        events,
        queue,
      }),
    ).toBe('not_found');
  });

  it('publishes once per dedupe key', async () => {
    const { receiver, tenant, endpoints, events, queue } = await setUp([{ status: 200 }]);
    const first = storedEvent(
      await publishWebhookEvent(
        tenant.id,
        'submission.graded',
        GRADED,
        { endpoints, events, queue },
        'submission.graded:s-1',
      ),
    );
    await waitFor('the delivery', () => queue.pending() === 0);
    const again = storedEvent(
      await publishWebhookEvent(
        tenant.id,
        'submission.graded',
        GRADED,
        { endpoints, events, queue },
        'submission.graded:s-1',
      ),
    );
    expect(again).toMatchObject({ eventId: first.eventId, created: false });
    expect(new Set(receiver.requests.map((request) => request.headers['webhook-id']))).toEqual(
      new Set([first.eventId]),
    );
  });

  it('stores secrets encrypted and keeps them out of log lines', async () => {
    const { receiver, tenant, endpoints, events, endpoint, secret, queue, logLines } = await setUp([
      { status: 200 },
    ]);
    await publishWebhookEvent(tenant.id, 'submission.graded', GRADED, { endpoints, events, queue });
    await waitFor('the delivery', () => receiver.requests.length === 1 && queue.pending() === 0);

    const rows = await handle.prisma.$queryRaw<
      Record<string, unknown>[]
    >`SELECT * FROM webhook_endpoint WHERE id = ${endpoint.id}::uuid`;
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(secret.slice('whsec_'.length));
    expect(JSON.stringify(await endpoints.list(tenant.id))).not.toContain(
      secret.slice('whsec_'.length),
    );
    expect(logLines).toHaveLength(1);
    expect(JSON.stringify(logLines)).not.toContain(secret.slice('whsec_'.length));
    expect(JSON.stringify(logLines)).not.toContain(
      String(receiver.requests[0].headers['webhook-signature']).slice(3, 20),
    );
  });

  it('signs with both secrets during a rotation overlap and with the new one only after it', async () => {
    const {
      receiver,
      tenant,
      endpoints,
      events,
      endpoint,
      secret: oldSecret,
      queue,
    } = await setUp([{ status: 200 }]);
    const newSecret = generateWebhookSecret();
    await endpoints.rotateSecret(tenant.id, endpoint.id, newSecret, 60_000);
    await publishWebhookEvent(tenant.id, 'submission.graded', GRADED, { endpoints, events, queue });
    await waitFor('the delivery', () => receiver.requests.length === 1);
    const [request] = receiver.requests;
    for (const secret of [oldSecret, newSecret])
      expect(() =>
        new Webhook(secret).verify(request.body, request.headers as Record<string, string>),
      ).not.toThrow();

    const afterOverlap = await endpoints.getForDelivery(
      endpoint.id,
      new Date(Date.now() + 120_000),
    );
    expect(afterOverlap?.signingSecrets).toEqual([newSecret]);
  });
});
