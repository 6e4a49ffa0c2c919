// Run status events over Redis pub/sub between two connections (as between a worker and an API).
import { REDIS_SKIP_REASON, REDIS_URL, withTimeout } from '@netplay/testing';
import { randomBytes } from 'node:crypto';
import { RedisRunStatusEvents } from './run-status-events';

const title = 'run status events on Redis pub/sub';
(REDIS_URL ? describe : describe.skip)(
  REDIS_URL ? title : `${title} (${REDIS_SKIP_REASON})`,
  () => {
    const channel = `netplay-test:run-status:${randomBytes(4).toString('hex')}`;
    let publisher: RedisRunStatusEvents;
    let listener: RedisRunStatusEvents;

    beforeEach(() => {
      publisher = new RedisRunStatusEvents({ redisUrl: REDIS_URL ?? '', channel });
      listener = new RedisRunStatusEvents({ redisUrl: REDIS_URL ?? '', channel });
    });

    afterEach(async () => {
      await Promise.all([publisher.close(), listener.close()]);
    });

    it("delivers a run's changes to its listeners only, in order", async () => {
      const seen: string[] = [];
      const other: string[] = [];
      let done: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => (done = resolve));
      listener.subscribe('run-1', (event) => {
        seen.push(event.status);
        if (event.status === 'succeeded') done();
      });
      listener.subscribe('run-2', (event) => other.push(event.status));
      await listener.ready();
      for (const status of ['running', 'succeeded'] as const) {
        await publisher.publish({
          runId: 'run-1',
          tenantId: 't',
          status,
          at: new Date(0).toISOString(),
        });
      }
      await withTimeout(finished, 5_000, 'the succeeded event');
      expect(seen).toEqual(['running', 'succeeded']);
      expect(other).toEqual([]);
    });

    it('sends a finished run to the process that waits on it, before the status events', async () => {
      const bystander = new RedisRunStatusEvents({ redisUrl: REDIS_URL ?? '', channel });
      try {
        const received: Array<{ status: string; result?: string | null }> = [];
        const heardByBystander: string[] = [];
        let done: () => void = () => undefined;
        const both = new Promise<void>((resolve) => (done = resolve));
        let bystanderDone: () => void = () => undefined;
        const bystanderHeard = new Promise<void>((resolve) => (bystanderDone = resolve));
        listener.subscribe('run-4', (event, finished) => {
          received.push({ status: event.status, result: finished?.resultJson });
          if (received.length === 3) done();
        });
        bystander.subscribe('run-4', (event, finished) => {
          heardByBystander.push(`${event.status} ${finished?.resultJson}`);
          if (heardByBystander.length === 2) bystanderDone();
        });
        await Promise.all([listener.ready(), bystander.ready()]);
        const finished = {
          status: 'succeeded' as const,
          attempts: 1,
          startedAt: new Date(0).toISOString(),
          finishedAt: new Date(1).toISOString(),
          error: null,
          resultJson: '{"steps":[]}',
        };
        const changes = [
          { runId: 'run-4', tenantId: 't', status: 'running' as const, at: finished.startedAt },
          { runId: 'run-4', tenantId: 't', status: 'succeeded' as const, at: finished.finishedAt },
        ];
        await publisher.publish(changes, { to: listener.replyAddress, finished });
        await withTimeout(both, 5_000, 'the reply and the status events');
        expect(received).toEqual([
          { status: 'succeeded', result: '{"steps":[]}' },
          { status: 'running', result: undefined },
          { status: 'succeeded', result: undefined },
        ]);
        // Every process hears the status event; only the addressed one gets the run.
        await withTimeout(bystanderHeard, 5_000, "the bystander's events");
        expect(heardByBystander).toEqual(['running undefined', 'succeeded undefined']);
      } finally {
        await bystander.close();
      }
    });

    it('stops delivering after unsubscribe', async () => {
      const seen: string[] = [];
      const unsubscribe = listener.subscribe('run-3', (event) => seen.push(event.status));
      let marker: () => void = () => undefined;
      const markerSeen = new Promise<void>((resolve) => (marker = resolve));
      listener.subscribe('marker', () => marker());
      await listener.ready();
      unsubscribe();
      await publisher.publish({
        runId: 'run-3',
        tenantId: 't',
        status: 'running',
        at: new Date(0).toISOString(),
      });
      // Messages on one channel arrive in order: once the marker is in, the earlier event was dropped.
      await publisher.publish({
        runId: 'marker',
        tenantId: 't',
        status: 'running',
        at: new Date(0).toISOString(),
      });
      await withTimeout(markerSeen, 5_000, 'the marker event');
      expect(seen).toEqual([]);
    });
  },
);
