// Degrade, don't fall over: with its Redis (a throwaway redis-server of this suite) killed, the API
// keeps answering, rate limits count per process and say so in /metrics, /readyz answers 503
// naming Redis, and runs submitted meanwhile are accepted into the outbox and complete once Redis
// is back. PostgreSQL unreachable is a 503 `unavailable`, never a 500.
import { withTimeout, ThrowawayRedis } from '@netplay/testing';
import request from 'supertest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { toApiError } from './errors/to-api-error';
import { startInProcessWorker, type TestWorker } from './testing/run-worker';
import { describeWithServices, startTestApi, type TestApi } from './testing/test-api';

jest.setTimeout(120_000);

const WEBSITE = readFileSync(
  path.resolve(__dirname, '../../../examples/manifests/website.yaml'),
  'utf8',
);
const STEPS = [{ probe: { from: 'default/client', to: 'http://website.default/' } }];

/** Re-checks `condition` until it holds, bounded. */
async function until(what: string, condition: () => Promise<boolean>, ms = 60_000): Promise<void> {
  await withTimeout(
    (async () => {
      while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 100));
    })(),
    ms,
    what,
  );
}

describeWithServices('the API while its Redis is down', () => {
  let redis: ThrowawayRedis;
  let api: TestApi;
  let worker: TestWorker;

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    api = await startTestApi({ redisUrl: redis.url });
    worker = startInProcessWorker(api.api.infra);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await redis?.stop();
  });

  it('answers, limits per process, reports not ready, and completes accepted runs once Redis is back', async () => {
    const { auth } = await api.newTenant();
    const sandbox = await request(api.http)
      .post('/v1/sandboxes')
      .set(auth)
      .send({ name: 'website', manifests: WEBSITE })
      .expect(201);

    await redis.stop();

    await request(api.http).get('/healthz').expect(200);
    const ready = await request(api.http).get('/readyz').expect(503);
    expect(ready.body.checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'queue', uses: 'redis', ok: false }),
      ]),
    );
    await request(api.http).get('/v1/sandboxes').set(auth).expect(200);
    const runIds: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const submitted = await request(api.http)
        .post(`/v1/sandboxes/${sandbox.body.id}/runs`)
        .set(auth)
        .send({ steps: STEPS })
        .expect(202);
      runIds.push(submitted.body.id);
    }
    const metrics = await request(api.http).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/netplay_rate_limiter_degraded\{bucket="work"\} 1/);

    await redis.start();

    await until('/readyz to answer 200', async () => {
      return (await request(api.http).get('/readyz')).status === 200;
    });
    for (const id of runIds)
      await until(`run ${id} to succeed`, async () => {
        const run = await request(api.http).get(`/v1/runs/${id}`).set(auth).expect(200);
        return run.body.status === 'succeeded';
      });
    await request(api.http).get('/v1/sandboxes').set(auth).expect(200);
    const after = await request(api.http).get('/metrics').expect(200);
    expect(after.text).toMatch(/netplay_rate_limiter_degraded\{bucket="work"\} 0/);
  });
});

describe('an unreachable PostgreSQL', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['a connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a server shutting down', Object.assign(new Error('terminating'), { code: '57P01' })],
    [
      'a wrapped driver error',
      new Error('driver', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }),
    ],
  ])('is a 503 unavailable with Retry-After, not a 500: %s', (_, error) => {
    const mapped = toApiError(error);
    expect(mapped.code).toBe('unavailable');
    expect(mapped.message).toBe('the database is unavailable; retry shortly');
    expect(mapped.retryAfterSeconds).toBeGreaterThan(0);
  });
});
