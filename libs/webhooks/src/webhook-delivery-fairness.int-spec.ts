// Noisy neighbours on the BullMQ driver (real Redis): one tenant's deliveries that hang hold at
// most its share of a process's delivery slots, so another tenant's delivery goes out meanwhile
// instead of waiting for them to time out.
import { QUEUE_NAMES } from '@netplay/contracts';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import type { DeliveryJob, DeliveryOutcome } from './deliver-webhook';
import { BullmqWebhookDeliveryQueue } from './webhook-delivery-queue';

const REDIS_URL = process.env.REDIS_URL;
const describeWithRedis = REDIS_URL
  ? describe
  : (name: string, suite: () => void) =>
      describe.skip(`${name} (skipped: REDIS_URL is not set (CI sets it))`, suite);

jest.setTimeout(60_000);

describeWithRedis('webhook delivery fairness between tenants', () => {
  const prefix = `netplay-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  let queue: BullmqWebhookDeliveryQueue;
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
    queue = await BullmqWebhookDeliveryQueue.connect({
      redisUrl: REDIS_URL ?? '',
      prefix,
      concurrency: 6,
      perTenantConcurrency: 2,
    });
    const hanging = new Promise<void>((resolve) => (releaseNoisy = resolve));
    const noisyStarted = new Set<string>();
    let noisyInFlight = 0;
    let noisyPeak = 0;
    let quietDelivered: () => void = () => undefined;
    const quiet = new Promise<void>((resolve) => (quietDelivered = resolve));
    const delivered: DeliveryOutcome = { status: 'delivered', attempt: 1, statusCode: 200 };
    queue.consume(async (job: DeliveryJob) => {
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
    });
    for (let i = 0; i < 12; i += 1)
      await queue.enqueue({ eventId: `msg_noisy${i}`, endpointId: `e${i}`, tenantId: 'noisy' });
    // Wait until the noisy tenant holds its slots, then send the quiet tenant's event.
    await waitUntil(() => noisyStarted.size >= 2, 20_000, 'the noisy deliveries to start');
    await queue.enqueue({ eventId: 'msg_quiet', endpointId: 'q1', tenantId: 'quiet' });
    await waitFor(quiet, 20_000, "the quiet tenant's delivery");
    expect(noisyPeak).toBe(2);
    expect(noisyInFlight).toBe(2);
  });
});

async function waitUntil(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function waitFor(promise: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
