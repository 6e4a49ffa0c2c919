import type { FinishedRun, RunStatus } from '@netplay/contracts';
import { InProcessRunStatusEvents } from '@netplay/queue';
import { runStatusChanges, waitForRun } from './run-status-waiter';

const RUN_ID = 'run-1';

/** A run row the test moves, announcing each change like the worker does. */
function fakeRun(events: InProcessRunStatusEvents) {
  const row = { status: 'queued' as RunStatus };
  return {
    row,
    read: async () => ({ ...row }),
    async move(status: RunStatus) {
      row.status = status;
      await events.publish({ runId: RUN_ID, tenantId: 't', status, at: new Date(0).toISOString() });
    },
  };
}

const terminal = (run: { status: RunStatus }) =>
  run.status === 'succeeded' || run.status === 'failed';

describe('waitForRun', () => {
  it('answers at once when the run is already terminal', async () => {
    const events = new InProcessRunStatusEvents();
    const run = fakeRun(events);
    run.row.status = 'succeeded';
    await expect(
      waitForRun({ events, runId: RUN_ID, read: run.read, done: terminal, timeoutMs: 10_000 }),
    ).resolves.toEqual({
      status: 'succeeded',
    });
  });

  it('wakes on the status event and re-reads the row', async () => {
    const events = new InProcessRunStatusEvents();
    const run = fakeRun(events);
    const waiting = waitForRun({
      events,
      runId: RUN_ID,
      read: run.read,
      done: terminal,
      timeoutMs: 10_000,
    });
    await run.move('running');
    await run.move('succeeded');
    await expect(waiting).resolves.toEqual({ status: 'succeeded' });
  });

  it('reads the row again only for the announcements worth a read', async () => {
    const events = new InProcessRunStatusEvents();
    const run = fakeRun(events);
    let reads = 0;
    const read = () => ((reads += 1), run.read());
    const waiting = waitForRun({
      events,
      runId: RUN_ID,
      read,
      done: terminal,
      timeoutMs: 10_000,
      worthReading: (event) => event.status === 'succeeded' || event.status === 'failed',
    });
    await run.move('running');
    await run.move('succeeded');
    await expect(waiting).resolves.toEqual({ status: 'succeeded' });
    expect(reads).toBe(2);
  });

  it("answers with the worker's reply without reading the row again", async () => {
    const events = new InProcessRunStatusEvents();
    const run = fakeRun(events);
    let reads = 0;
    const read = () => ((reads += 1), run.read());
    const fromReply = (finished: FinishedRun) => ({ status: finished.status, replied: true });
    const waiting = waitForRun<{ status: RunStatus; replied?: boolean }>({
      events,
      runId: RUN_ID,
      read,
      done: terminal,
      timeoutMs: 10_000,
      worthReading: terminal,
      fromReply,
    });
    await events.publish({ runId: RUN_ID, tenantId: 't', status: 'running', at: 'then' });
    const finished: FinishedRun = {
      status: 'succeeded',
      attempts: 1,
      startedAt: 'then',
      finishedAt: 'now',
      error: null,
      resultJson: '{}',
    };
    await events.publish(
      { runId: RUN_ID, tenantId: 't', status: 'succeeded', at: 'now' },
      { finished },
    );
    await expect(waiting).resolves.toEqual({ status: 'succeeded', replied: true });
    expect(reads).toBe(1);
  });

  it('takes the first look from firstLook and reads the row after it', async () => {
    const events = new InProcessRunStatusEvents();
    const run = fakeRun(events);
    const looks: string[] = [];
    const waiting = waitForRun({
      events,
      runId: RUN_ID,
      firstLook: async () => (looks.push('first'), { status: 'queued' as RunStatus }),
      read: () => (looks.push('read'), run.read()),
      done: terminal,
      timeoutMs: 10_000,
    });
    await run.move('succeeded');
    await expect(waiting).resolves.toEqual({ status: 'succeeded' });
    expect(looks[0]).toBe('first');
    expect(looks.slice(1)).toEqual(looks.slice(1).map(() => 'read'));
    expect(looks.length).toBeGreaterThan(1);
  });

  it('answers with the run as it is when the deadline passes', async () => {
    const events = new InProcessRunStatusEvents();
    const run = fakeRun(events);
    await expect(
      waitForRun({ events, runId: RUN_ID, read: run.read, done: terminal, timeoutMs: 0 }),
    ).resolves.toEqual({
      status: 'queued',
    });
  });
});

describe('runStatusChanges', () => {
  it('yields the current status, then each later one in order, and ends after a terminal one', async () => {
    const events = new InProcessRunStatusEvents();
    const run = fakeRun(events);
    const changes = runStatusChanges(events, RUN_ID, 't', async () => ({
      status: run.row.status,
      at: 'now',
    }));
    const seen: RunStatus[] = [];
    const first = await changes.next();
    if (!first.done) seen.push(first.value.status);
    // A repeated announcement (at-least-once delivery) and a stale one are skipped.
    await run.move('running');
    await run.move('running');
    await run.move('queued');
    await run.move('succeeded');
    for await (const change of changes) seen.push(change.status);
    expect(seen).toEqual(['queued', 'running', 'succeeded']);
  });

  it('reads the row again when an announcement was lost, and still ends', async () => {
    const events = new InProcessRunStatusEvents();
    const run = fakeRun(events);
    const changes = runStatusChanges(
      events,
      RUN_ID,
      't',
      async () => ({ status: run.row.status, at: 'now' }),
      20,
    );
    const seen: RunStatus[] = [];
    const first = await changes.next();
    if (!first.done) seen.push(first.value.status);
    // The run finished without a word: the subscriber was reconnecting.
    run.row.status = 'succeeded';
    for await (const change of changes) seen.push(change.status);
    expect(seen).toEqual(['queued', 'succeeded']);
  });
});
