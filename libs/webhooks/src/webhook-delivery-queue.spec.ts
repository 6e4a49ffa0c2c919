import { InProcessJobQueue } from '@netplay/queue';
import { waitFor } from '@netplay/testing';
import type { DeliveryJob, DeliveryOutcome } from './deliver-webhook';
import {
  consumeDeliveries,
  deliveryJobState,
  deliveryRetry,
  enqueueDelivery,
} from './webhook-delivery-queue';

const JOB: DeliveryJob = { eventId: 'msg_1', endpointId: 'endpoint-1' };
const RETRY: DeliveryOutcome = {
  status: 'failed',
  attempt: 1,
  errorClass: 'http_5xx',
  statusCode: 500,
  retry: true,
  endpointDisabled: false,
};
const DELIVERED: DeliveryOutcome = { status: 'delivered', attempt: 1, statusCode: 200 };

/** A handler whose attempts finish only when the test says so. */
function heldHandler() {
  const started: DeliveryJob[] = [];
  const releases: Array<(outcome: DeliveryOutcome) => void> = [];
  const handler = jest.fn(
    (job: DeliveryJob) =>
      new Promise<DeliveryOutcome>((resolve) => {
        started.push(job);
        releases.push(resolve);
      }),
  );
  return {
    handler,
    started,
    release: (outcome: DeliveryOutcome) => releases.shift()?.(outcome),
  };
}

function deliveryQueue(delaysMs: number[] = [1]) {
  return new InProcessJobQueue('deliver-webhook', {
    retry: deliveryRetry({ delaysMs, jitter: false }),
  });
}

describe('the delivery queue in one process', () => {
  it('waits for the attempt in progress before it closes', async () => {
    const queue = deliveryQueue();
    const { handler, release } = heldHandler();
    consumeDeliveries(queue, handler);
    await enqueueDelivery(queue, JOB);
    await waitFor('the attempt to start', () => handler.mock.calls.length === 1);

    let closed = false;
    const closing = queue.close().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);

    release(RETRY);
    await closing;
    expect(closed).toBe(true);
  });

  it('schedules no retry for an attempt that finishes after close', async () => {
    const queue = deliveryQueue([60_000]);
    const { handler, release } = heldHandler();
    consumeDeliveries(queue, handler);
    await enqueueDelivery(queue, JOB);
    await waitFor('the attempt to start', () => handler.mock.calls.length === 1);

    const closing = queue.close();
    release(RETRY);
    await closing;

    expect(handler).toHaveBeenCalledTimes(1);
    expect(await deliveryJobState(queue, JOB)).toBe('delayed');
  });

  it('retries on the schedule until the receiver accepts, then keeps the series as completed', async () => {
    const queue = deliveryQueue([1, 1]);
    const { handler, release } = heldHandler();
    consumeDeliveries(queue, handler);
    await enqueueDelivery(queue, JOB);
    await waitFor('the first attempt', () => handler.mock.calls.length === 1);
    release(RETRY);
    await waitFor('the second attempt', () => handler.mock.calls.length === 2);
    release(DELIVERED);
    await waitFor('the series to finish', () => queue.pending() === 0);
    expect(await deliveryJobState(queue, JOB)).toBe('completed');
    // The same series again while it is retained: nothing is added.
    await enqueueDelivery(queue, JOB);
    await queue.close();
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('makes one attempt of a manual redelivery', async () => {
    const queue = deliveryQueue([1, 1]);
    const { handler, release } = heldHandler();
    consumeDeliveries(queue, handler);
    await enqueueDelivery(queue, { ...JOB, manual: true });
    await waitFor('the attempt', () => handler.mock.calls.length === 1);
    release(RETRY);
    await waitFor('the job to fail', () => queue.pending() === 0);
    await queue.close();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it("sends another tenant's delivery while one tenant holds its share of the slots", async () => {
    const queue = deliveryQueue();
    const { handler, started, release } = heldHandler();
    consumeDeliveries(queue, handler, { concurrency: 4, perTenantConcurrency: 2 });
    for (const eventId of ['msg_n1', 'msg_n2', 'msg_n3'])
      await enqueueDelivery(queue, { eventId, endpointId: 'e1', tenantId: 'noisy' });
    await waitFor('two noisy deliveries to start', () => started.length === 2);
    await enqueueDelivery(queue, { eventId: 'msg_q', endpointId: 'e2', tenantId: 'quiet' });
    await waitFor('the quiet delivery to start', () => started.length === 3);
    expect(started.map((job) => job.tenantId)).toEqual(['noisy', 'noisy', 'quiet']);
    // The noisy tenant's third waits, deferred, until one of its slots is free.
    release(DELIVERED);
    await waitFor('the third noisy delivery', () => started.length === 4);
    for (let i = 0; i < 3; i += 1) release(DELIVERED);
    await waitFor('every delivery', () => queue.pending() === 0);
    await queue.close();
  });
});
