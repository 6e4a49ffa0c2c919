import { InProcessScenarioQueue } from './in-process-scenario-queue';
import type { OutboxSource } from './outbox-relay';
import { OutboxRelayLoop } from './outbox-relay-loop';

/** An outbox in memory with the relay's contract: events leave it once published. */
class MemoryOutbox implements OutboxSource {
  readonly pending: string[] = [];
  passes = 0;

  async dispatchBatch(
    _kinds: readonly string[],
    limit: number,
    publish: (event: { runId: string }) => Promise<void>,
  ) {
    this.passes += 1;
    const batch = this.pending.splice(0, limit);
    for (const runId of batch) await publish({ runId });
    return { dispatched: batch.length };
  }
}

/** Resolves when the queue holds a job for every id; bounded so a broken loop fails the test. */
async function enqueued(queue: InProcessScenarioQueue, ids: string[]): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
    if (states.every((state) => state !== 'missing')) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`not enqueued within 5 s: ${ids.join(', ')}`);
}

describe('OutboxRelayLoop', () => {
  it('relays events committed before it started', async () => {
    const outbox = new MemoryOutbox();
    const queue = new InProcessScenarioQueue();
    outbox.pending.push('run-a', 'run-b');
    const loop = new OutboxRelayLoop(outbox, queue, { intervalMs: 60_000 });
    loop.start();
    await enqueued(queue, ['run-a', 'run-b']);
    await loop.stop();
  });

  it('relays at once when nudged, without waiting for the next tick', async () => {
    const outbox = new MemoryOutbox();
    const queue = new InProcessScenarioQueue();
    const loop = new OutboxRelayLoop(outbox, queue, { intervalMs: 60_000 });
    loop.start();
    outbox.pending.push('run-c');
    loop.nudge();
    await enqueued(queue, ['run-c']);
    await loop.stop();
  });

  it('a nudge during a pass schedules one more pass, so no event waits for the timer', async () => {
    const outbox = new MemoryOutbox();
    const queue = new InProcessScenarioQueue();
    const loop = new OutboxRelayLoop(outbox, queue, { intervalMs: 60_000 });
    loop.start();
    // The first pass is in flight: these arrive after it read the outbox.
    outbox.pending.push('run-d');
    loop.nudge();
    loop.nudge();
    await enqueued(queue, ['run-d']);
    await loop.stop();
    expect(outbox.passes).toBe(2);
  });

  it('reports a failing pass and keeps going', async () => {
    const errors: unknown[] = [];
    const failing: OutboxSource = {
      dispatchBatch: async () => Promise.reject(new Error('database unreachable')),
    };
    const loop = new OutboxRelayLoop(failing, new InProcessScenarioQueue(), {
      intervalMs: 60_000,
      onError: (error) => errors.push(error),
    });
    loop.start();
    loop.nudge();
    await loop.stop();
    expect(errors).toEqual([new Error('database unreachable')]);
  });
});
