import type { DeliveryJob, DeliveryOutcome } from './deliver-webhook';
import { InProcessWebhookDeliveryQueue } from './webhook-delivery-queue';

const JOB: DeliveryJob = { eventId: 'msg_1', endpointId: 'endpoint-1' };
const RETRY: DeliveryOutcome = {
  status: 'failed',
  attempt: 1,
  errorClass: 'http_5xx',
  statusCode: 500,
  retry: true,
  endpointDisabled: false,
};

/** A handler whose attempts finish only when the test says so. */
function heldHandler() {
  const releases: Array<(outcome: DeliveryOutcome) => void> = [];
  const handler = jest.fn(() => new Promise<DeliveryOutcome>((resolve) => releases.push(resolve)));
  return { handler, release: (outcome: DeliveryOutcome) => releases.shift()?.(outcome) };
}

describe('InProcessWebhookDeliveryQueue.close', () => {
  it('waits for the attempt in progress before it resolves', async () => {
    const queue = new InProcessWebhookDeliveryQueue({ delaysMs: [1], jitter: false });
    const { handler, release } = heldHandler();
    queue.consume(handler);
    await queue.enqueue(JOB);

    let closed = false;
    const closing = queue.close().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);

    release(RETRY);
    await closing;
    expect(closed).toBe(true);
  });

  it('schedules no retry for an attempt that finishes after close', async () => {
    const queue = new InProcessWebhookDeliveryQueue({ delaysMs: [1], jitter: false });
    const { handler, release } = heldHandler();
    queue.consume(handler);
    await queue.enqueue(JOB);

    const closing = queue.close();
    release(RETRY);
    await closing;
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(handler).toHaveBeenCalledTimes(1);
    expect(queue.pending()).toBe(0);
  });
});
