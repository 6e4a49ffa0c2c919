import { InProcessJobQueue } from './in-process-job-queue';
import type { OutboxSource } from './outbox-relay';
import { OutboxDispatcher, type OutboxDispatcherOptions } from './outbox-dispatcher';
import type { UnfinishedRunSource } from './run-reconciler';

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

/** A runs table in memory: the runs it lists are unfinished; re-enqueues are counted. */
class MemoryRuns implements UnfinishedRunSource {
  readonly unfinished: string[] = [];
  readonly reenqueued: string[] = [];

  async listUnfinished() {
    return this.unfinished.map((id) => ({ id, enqueueCount: 0 }));
  }

  async recordReenqueue(runId: string) {
    this.reenqueued.push(runId);
  }

  async failUnfinished() {
    return false;
  }
}

/** A run dispatcher whose timers never fire within a test: passes come from start and nudges. */
function runDispatcher(
  outbox: OutboxSource,
  queue: InProcessJobQueue<'simulate-run'>,
  options: OutboxDispatcherOptions = {},
  runs: UnfinishedRunSource = new MemoryRuns(),
) {
  return OutboxDispatcher.for(
    'run.enqueue',
    { outbox, records: runs, queue },
    { relayIntervalMs: 60_000, reconcileIntervalMs: 60_000, ...options },
  );
}

/** Resolves when the queue holds a job for every id; bounded so a broken loop fails the test. */
async function enqueued(queue: InProcessJobQueue<'simulate-run'>, ids: string[]): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const states = await Promise.all(ids.map((id) => queue.getJobState(id)));
    if (states.every((state) => state !== 'missing')) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`not enqueued within 5 s: ${ids.join(', ')}`);
}

describe('OutboxDispatcher for run.enqueue', () => {
  it('relays events committed before it started', async () => {
    const outbox = new MemoryOutbox();
    const queue = new InProcessJobQueue('simulate-run');
    outbox.pending.push('run-a', 'run-b');
    const loop = runDispatcher(outbox, queue);
    loop.start();
    await enqueued(queue, ['run-a', 'run-b']);
    await loop.stop();
  });

  it('relays at once when nudged, without waiting for the next tick', async () => {
    const outbox = new MemoryOutbox();
    const queue = new InProcessJobQueue('simulate-run');
    const loop = runDispatcher(outbox, queue);
    loop.start();
    outbox.pending.push('run-c');
    loop.nudge();
    await enqueued(queue, ['run-c']);
    await loop.stop();
  });

  it('a nudge during a pass schedules one more pass, so no event waits for the timer', async () => {
    const outbox = new MemoryOutbox();
    const queue = new InProcessJobQueue('simulate-run');
    const loop = runDispatcher(outbox, queue);
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
    const loop = runDispatcher(failing, new InProcessJobQueue('simulate-run'), {
      onRelayError: (error) => errors.push(error),
    });
    loop.start();
    loop.nudge();
    await loop.stop();
    expect(errors).toEqual([new Error('database unreachable')]);
  });

  it('reconciles at start when asked: an unfinished run whose job is missing is enqueued again', async () => {
    const runs = new MemoryRuns();
    runs.unfinished.push('run-e');
    const queue = new InProcessJobQueue('simulate-run');
    const loop = runDispatcher(new MemoryOutbox(), queue, { reconcileAtStart: true }, runs);
    loop.start();
    await enqueued(queue, ['run-e']);
    await loop.stop();
    expect(runs.reenqueued).toEqual(['run-e']);
  });
});
