// The delivery reconciler against a real database (PGlite and PostgreSQL): a queue that lost its jobs
// is stood in for by a queue nobody consumes and that is then thrown away; a fresh queue with a
// consumer is what the reconciler refills. Receivers are real HTTP servers on loopback.
import {
  SecretCipher,
  TenantRepository,
  WebhookEndpointRepository,
  WebhookEventRepository,
  type DatabaseHandle,
} from '@netplay/db';
import {
  describeEachBackend,
  startTestReceiver,
  waitFor,
  type ScriptedResponse,
  type TestReceiver,
} from '@netplay/testing';
import { randomBytes } from 'node:crypto';
import { deliverWebhook } from './deliver-webhook';
import { reconcileWebhookDeliveries } from './delivery-reconciler';
import { publishWebhookEvent } from './publish-webhook-event';
import type { RetrySchedule } from './retry-schedule';
import { generateWebhookSecret } from './signing';
import { storedEvent } from './testing/stored-event';
import { InProcessJobQueue } from '@netplay/queue';
import { consumeDeliveries, deliveryRetry } from './webhook-delivery-queue';

/** Three attempts in all, a few milliseconds apart. */
const SCHEDULE: RetrySchedule = { delaysMs: [5, 5], jitter: false };
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

describeEachBackend('webhook delivery reconciler', (backend) => {
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

  /** A tenant with one endpoint on a scripted receiver, and a queue that is consumed. */
  async function setUp(script: ScriptedResponse[]) {
    const receiver = await startTestReceiver(script);
    receivers.push(receiver);
    const tenant = await new TenantRepository(handle.prisma).create(
      `tenant-${randomBytes(3).toString('hex')}`,
    );
    const endpoints = new WebhookEndpointRepository(handle, cipher);
    const events = new WebhookEventRepository(handle);
    const endpoint = await endpoints.create(tenant.id, {
      url: receiver.url,
      eventTypes: ['submission.graded'],
      secret: generateWebhookSecret(),
    });
    const consumed = queueConsumedBy(endpoints, events);
    return { receiver, tenant, endpoints, events, endpoint, consumed };
  }

  function queueConsumedBy(endpoints: WebhookEndpointRepository, events: WebhookEventRepository) {
    const queue = new InProcessJobQueue('deliver-webhook', { retry: deliveryRetry(SCHEDULE) });
    queues.push(queue);
    consumeDeliveries(queue, (job) =>
      deliverWebhook(job, { endpoints, events, policy: { allowedHosts: ['127.0.0.1/32'] } }),
    );
    return queue;
  }

  /**
   * One pass, and what it did for this test's endpoint (the database is shared by the file's
   * tests): the series it rebuilt and whether the endpoint had an unfinished delivery at all.
   */
  async function reconcile(
    setup: Awaited<ReturnType<typeof setUp>>,
    queue: InProcessJobQueue<'deliver-webhook'>,
    minAgeMs = 0,
  ) {
    const report = await reconcileWebhookDeliveries(setup.events, queue, {
      schedule: SCHEDULE,
      minAgeMs,
    });
    const unfinished = await setup.events.listUnfinishedDeliveries({
      createdAfter: new Date(0),
      createdBefore: new Date(Date.now() - minAgeMs),
      maxAttempts: 3,
    });
    return {
      rebuilt: report.rebuilt.filter((entry) => entry.endsWith(`→${setup.endpoint.id}`)),
      unfinished: unfinished.filter((delivery) => delivery.endpointId === setup.endpoint.id).length,
    };
  }

  /** Publishes through a queue nobody consumes, then drops it: the stored message's job is lost. */
  async function publishAndLose(setup: Awaited<ReturnType<typeof setUp>>) {
    const lost = new InProcessJobQueue('deliver-webhook', { retry: deliveryRetry(SCHEDULE) });
    const published = await publishWebhookEvent(setup.tenant.id, 'submission.graded', GRADED, {
      endpoints: setup.endpoints,
      events: setup.events,
      queue: lost,
    });
    await lost.close();
    return storedEvent(published);
  }

  it('sends a delivery whose job was lost again, under the same webhook id, and only once', async () => {
    const setup = await setUp([{ status: 200 }]);
    const { eventId } = await publishAndLose(setup);

    const report = await reconcile(setup, setup.consumed);
    expect(report.rebuilt).toEqual([`${eventId}→${setup.endpoint.id}`]);
    await waitFor('the rebuilt delivery', () => setup.receiver.requests.length === 1);
    await waitFor('the attempt to be logged', async () => {
      const log = await setup.events.deliveries(setup.tenant.id, eventId);
      return log.length === 1;
    });
    expect(setup.receiver.requests[0].headers['webhook-id']).toBe(eventId);

    const again = await reconcile(setup, setup.consumed);
    expect(again.rebuilt).toEqual([]);
    expect(setup.receiver.requests).toHaveLength(1);
  });

  it('gives a rebuilt series only the attempts its logged ones left', async () => {
    const setup = await setUp([{ status: 500 }]);
    const { eventId } = await publishAndLose(setup);
    // Two of the schedule's three attempts were made before the job was lost.
    for (let attempt = 0; attempt < 2; attempt += 1)
      await setup.events.recordAttempt({
        eventId,
        endpointId: setup.endpoint.id,
        statusCode: 500,
        latencyMs: 1,
        errorClass: 'http_5xx',
        responseExcerpt: null,
        manual: false,
      });

    const report = await reconcile(setup, setup.consumed);
    expect(report.rebuilt).toHaveLength(1);
    await waitFor('the last attempt', () => setup.consumed.pending() === 0);
    expect(setup.receiver.requests).toHaveLength(1);
    const log = await setup.events.deliveries(setup.tenant.id, eventId);
    expect(log.map((row) => row.attempt)).toEqual([1, 2, 3]);
    // Every attempt is made: nothing is left to rebuild.
    const after = await reconcile(setup, setup.consumed);
    expect(after).toEqual({ rebuilt: [], unfinished: 0 });
  });

  it('leaves alone a series the queue holds, a message younger than the minimum age and a disabled endpoint', async () => {
    const setup = await setUp([{ status: 200 }]);
    await publishAndLose(setup);

    const young = await reconcile(setup, setup.consumed, 60_000);
    expect(young).toEqual({ rebuilt: [], unfinished: 0 });

    // A queue that holds the series (waiting for its consumer) answers for it: nothing is added.
    const holding = new InProcessJobQueue('deliver-webhook', { retry: deliveryRetry(SCHEDULE) });
    queues.push(holding);
    const first = await reconcile(setup, holding);
    expect(first.rebuilt).toHaveLength(1);
    const second = await reconcile(setup, holding);
    expect(second).toEqual({ rebuilt: [], unfinished: 1 });

    await setup.endpoints.disable(setup.endpoint.id, 'the tenant turned it off', new Date());
    const disabled = await reconcile(setup, setup.consumed);
    expect(disabled).toEqual({ rebuilt: [], unfinished: 0 });
    expect(setup.receiver.requests).toHaveLength(0);
  });
});
