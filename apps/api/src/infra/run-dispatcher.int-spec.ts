// How a new run reaches the queue with Redis: enqueued right after its commit, while its outbox
// event (committed with the run) is still relayed and marked dispatched — the queue absorbs that
// second send, so there is one job per run.
import { waitFor } from '@netplay/testing';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { describeWithServices, startTestApi, type TestApi } from '../testing/test-api';

jest.setTimeout(60_000);

const WEBSITE = readFileSync(
  path.resolve(__dirname, '../../../../examples/manifests/website.yaml'),
  'utf8',
);
const STEPS = [{ name: 'wget', probe: { from: 'default/client', to: 'http://website.default/' } }];
const WAIT = { timeoutMs: 10_000, everyMs: 20 };

describeWithServices('run dispatch with Redis', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it('puts a new run on the queue at once and still marks its outbox event dispatched, with one job', async () => {
    const tenant = await api.newTenant();
    const sandbox = await request(api.http)
      .post('/v1/sandboxes')
      .set(tenant.auth)
      .send({ name: 'website', manifests: WEBSITE })
      .expect(201);
    const runs = await Promise.all(
      [1, 2, 3].map(
        async () =>
          (
            await request(api.http)
              .post(`/v1/sandboxes/${sandbox.body.id}/runs`)
              .set(tenant.auth)
              .send({ steps: STEPS })
              .expect(202)
          ).body.id as string,
      ),
    );
    const { queue, database } = api.api.infra;
    for (const runId of runs)
      await waitFor(
        `run ${runId} on the queue`,
        async () => (await queue.getJobState(runId)) === 'waiting',
        WAIT,
      );
    await waitFor(
      'the relay to mark every outbox event dispatched',
      async () =>
        (await database.prisma.outboxEvent.count({
          where: { runId: { in: runs }, dispatchedAt: null },
        })) === 0,
      WAIT,
    );
    expect(await database.prisma.outboxEvent.count({ where: { runId: { in: runs } } })).toBe(
      runs.length,
    );
    for (const runId of runs) expect(await queue.getJobState(runId)).toBe('waiting');
  });
});
