// The BullMQ driver on real Redis and PostgreSQL: retries follow the injected schedule through
// BullMQ's custom backoff, and a re-published event does not schedule a second series.
import {
  TEST_BACKENDS,
  POSTGRES_SKIP_REASON,
  startTestReceiver,
  waitFor,
  type TestReceiver,
} from '@netplay/testing';
import { QUEUE_NAMES } from '@netplay/contracts';
import {
  SecretCipher,
  TenantRepository,
  WebhookEndpointRepository,
  WebhookEventRepository,
  type DatabaseHandle,
} from '@netplay/db';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { deliverWebhook } from './deliver-webhook';
import { storedEvent } from './testing/stored-event';
import { publishWebhookEvent } from './publish-webhook-event';
import { generateWebhookSecret } from './signing';
import { BullmqJobQueue } from '@netplay/queue';
import { consumeDeliveries, deliveryRetry } from './webhook-delivery-queue';

const REDIS_URL = process.env.REDIS_URL;
const skipReason = !process.env.DATABASE_URL
  ? POSTGRES_SKIP_REASON
  : !REDIS_URL
    ? 'skipped: REDIS_URL is not set (CI sets it)'
    : undefined;
const describeWithServices = skipReason
  ? (name: string, suite: () => void) => describe.skip(`${name} (${skipReason})`, suite)
  : describe;

describeWithServices('BullMQ webhook delivery queue', () => {
  const prefix = `netplay-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  let queue: BullmqJobQueue<'deliver-webhook'>;
  let receiver: TestReceiver;

  beforeAll(async () => {
    const postgres = TEST_BACKENDS.find((backend) => backend.name === 'postgres');
    if (!postgres) throw new Error('no postgres backend');
    ({ handle, cleanup } = await postgres.open());
    queue = await BullmqJobQueue.connect('deliver-webhook', {
      redisUrl: REDIS_URL ?? '',
      prefix,
      retry: deliveryRetry({ delaysMs: [10, 10, 10], jitter: false }),
    });
  });
  afterAll(async () => {
    await queue.close();
    const admin = new Queue(QUEUE_NAMES.webhookDelivery, {
      connection: { url: REDIS_URL },
      prefix,
    });
    await admin.obliterate({ force: true });
    await admin.close();
    await receiver?.close();
    await cleanup();
  });

  it('retries through BullMQ until the receiver accepts: 500, 500, 200 is three attempts of one message', async () => {
    receiver = await startTestReceiver([{ status: 500 }, { status: 500 }, { status: 200 }]);
    const tenant = await new TenantRepository(handle.prisma).create('bullmq-webhooks');
    const endpoints = new WebhookEndpointRepository(handle, SecretCipher.fromKey(randomBytes(32)));
    const events = new WebhookEventRepository(handle);
    const endpoint = await endpoints.create(tenant.id, {
      url: receiver.url,
      eventTypes: ['run.completed'],
      secret: generateWebhookSecret(),
    });
    consumeDeliveries(queue, (job) =>
      deliverWebhook(job, { endpoints, events, policy: { allowedHosts: ['127.0.0.1/32'] } }),
    );

    const data = {
      runId: 'r-1',
      sandboxId: 's-1',
      status: 'succeeded' as const,
      summary: { steps: 1, verdicts: { delivered: 1 } },
    };
    const published = storedEvent(
      await publishWebhookEvent(
        tenant.id,
        'run.completed',
        data,
        { endpoints, events, queue },
        'run.completed:r-1',
      ),
    );
    // A duplicate publish (the run job ran twice) re-adds the same job id: no second series.
    await publishWebhookEvent(
      tenant.id,
      'run.completed',
      data,
      { endpoints, events, queue },
      'run.completed:r-1',
    );
    await waitFor(
      'a successful attempt',
      async () =>
        (await events.deliveries(tenant.id, published.eventId)).some(
          (row) => row.statusCode === 200,
        ),
      { timeoutMs: 15_000 },
    );

    const log = await events.deliveries(tenant.id, published.eventId);
    expect(log.map((row) => row.statusCode)).toEqual([500, 500, 200]);
    expect(new Set(receiver.requests.map((request) => request.headers['webhook-id']))).toEqual(
      new Set([published.eventId]),
    );
    expect(new Set(receiver.requests.map((request) => request.body)).size).toBe(1);

    // What Redis holds is persisted: the job's id, name, payload and retry options stay as they were.
    const admin = new Queue(QUEUE_NAMES.webhookDelivery, {
      connection: { url: REDIS_URL },
      prefix,
    });
    try {
      const job = await admin.getJob(`dlv-${published.eventId}-${endpoint.id}`);
      expect(job?.name).toBe('deliver-webhook');
      expect(job?.data).toEqual({
        eventId: published.eventId,
        endpointId: endpoint.id,
        tenantId: tenant.id,
      });
      expect(job?.opts).toMatchObject({
        attempts: 4,
        backoff: { type: 'webhook-schedule' },
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
    } finally {
      await admin.close();
    }
  });
});
