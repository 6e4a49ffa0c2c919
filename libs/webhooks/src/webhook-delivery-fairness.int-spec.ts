// Noisy neighbours on the BullMQ driver (real Redis): one tenant's deliveries that hang hold at
// most its share of a process's delivery slots, so another tenant's delivery goes out meanwhile
// instead of waiting for them to time out.
import { QUEUE_NAMES } from '@netplay/contracts';
import { waitFor, withTimeout } from '@netplay/testing';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import type { DeliveryJob, DeliveryOutcome } from './deliver-webhook';
import { BullmqJobQueue } from '@netplay/queue';
import { DEFAULT_RETRY_SCHEDULE } from './retry-schedule';
import { consumeDeliveries, deliveryRetry, enqueueDelivery } from './webhook-delivery-queue';

const REDIS_URL = process.env.REDIS_URL;
const describeWithRedis = REDIS_URL
  ? describe
  : (name: string, suite: () => void) =>
      describe.skip(`${name} (skipped: REDIS_URL is not set (CI sets it))`, suite);

jest.setTimeout(60_000);

describeWithRedis('webhook delivery fairness between tenants', () => {
  const prefix = `netplay-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  let queue: BullmqJobQueue<'deliver-webhook'>;
  let releaseNoisy: () => void = () => undefined;

  afterAll(async () => {
    releaseNoisy();
    await queue?.close();
    const admin = new Queue(QUEUE_NAMES.webhookDelivery, {
      connection: { url: REDIS_URL },
      prefix,
    });
    await admin.obliterate({ force: true });
    await admin.close();
  });

  it("delivers a quiet tenant's event while another tenant's endpoints hang", async () => {
    queue = await BullmqJobQueue.connect('deliver-webhook', {
      redisUrl: REDIS_URL ?? '',
      prefix,
      retry: deliveryRetry(DEFAULT_RETRY_SCHEDULE),
    });
    const hanging = new Promise<void>((resolve) => (releaseNoisy = resolve));
    const noisyStarted = new Set<string>();
    let noisyInFlight = 0;
    let noisyPeak = 0;
    let quietDelivered: () => void = () => undefined;
    const quiet = new Promise<void>((resolve) => (quietDelivered = resolve));
    const delivered: DeliveryOutcome = { status: 'delivered', attempt: 1, statusCode: 200 };
    const handler = async (job: DeliveryJob) => {
      if (job.tenantId === 'quiet') {
        quietDelivered();
        return delivered;
      }
      noisyStarted.add(job.eventId);
      noisyInFlight += 1;
      noisyPeak = Math.max(noisyPeak, noisyInFlight);
      await hanging;
      noisyInFlight -= 1;
      return delivered;
    };
    consumeDeliveries(queue, handler, { concurrency: 6, perTenantConcurrency: 2 });
    for (let i = 0; i < 12; i += 1)
      await enqueueDelivery(queue, {
        eventId: `msg_noisy${i}`,
        endpointId: `e${i}`,
        tenantId: 'noisy',
      });
    // Wait until the noisy tenant holds its slots, then send the quiet tenant's event.
    await waitFor('the noisy deliveries to start', () => noisyStarted.size >= 2, {
      timeoutMs: 20_000,
    });
    await enqueueDelivery(queue, { eventId: 'msg_quiet', endpointId: 'q1', tenantId: 'quiet' });
    await withTimeout(quiet, 20_000, "the quiet tenant's delivery");
    expect(noisyPeak).toBe(2);
    expect(noisyInFlight).toBe(2);
  });
});
