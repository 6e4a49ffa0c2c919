// The token buckets in a real Redis: shared by every API process (two clients here), refilled on
// Redis's clock, forgotten once full, and replaced by per-process buckets while Redis is down.
import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';
import { describeWithServices } from '../testing/test-api';
import { ThrowawayRedis } from '@netplay/testing';
import { CostRateLimiter } from './cost-rate-limiter';
import { RedisTokenBuckets } from './token-bucket';

jest.setTimeout(60_000);

const REDIS_URL = process.env.REDIS_URL ?? '';

function client(url: string): IORedis {
  const redis = new IORedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  return redis;
}

async function ready(redis: IORedis): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise((resolve) => redis.once('ready', resolve));
}

describeWithServices('token buckets in Redis', () => {
  const prefix = `netplay-spec-bucket-${randomUUID()}`;
  let first: IORedis;
  let second: IORedis;

  beforeAll(async () => {
    first = client(REDIS_URL);
    second = client(REDIS_URL);
    await Promise.all([ready(first), ready(second)]);
  });

  afterAll(async () => {
    const keys = await first.keys(`${prefix}:*`);
    if (keys.length > 0) await first.del(...keys);
    first.disconnect();
    second.disconnect();
  });

  it('is one bucket for every process: a burst spent through one is refused through the other', async () => {
    // One token a minute: nothing refills within the test.
    const policy = { capacity: 10, refillPerSecond: 1 / 60 };
    const one = new RedisTokenBuckets(first, policy);
    const other = new RedisTokenBuckets(second, policy);
    const key = `${prefix}:shared`;
    expect((await one.take(key, 6)).allowed).toBe(true);
    expect((await other.take(key, 4)).allowed).toBe(true);
    const refused = await one.take(key, 5);
    expect(refused.allowed).toBe(false);
    // Five tokens at one a minute: 5 minutes, to the millisecond (less what refilled meanwhile).
    expect(refused.retryAfterMs).toBeLessThanOrEqual(300_000);
    expect(refused.retryAfterMs).toBeGreaterThan(299_000);
    // A refused request took nothing; the bucket's key expires when it would be full again.
    expect(refused.tokens).toBeLessThan(0.1);
    const ttl = await first.pttl(key);
    expect(ttl).toBeGreaterThan(590_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
  });

  it('refills at its rate on Redis clock and lets the request through when the wait is over', async () => {
    const policy = { capacity: 4, refillPerSecond: 20 };
    const buckets = new RedisTokenBuckets(first, policy);
    const key = `${prefix}:refill`;
    expect((await buckets.take(key, 4)).allowed).toBe(true);
    const refused = await buckets.take(key, 2);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(100);
    await new Promise((resolve) => setTimeout(resolve, refused.retryAfterMs + 5));
    expect((await buckets.take(key, 2)).allowed).toBe(true);
  });

  it('falls back to per-process buckets while its Redis is down, and says so', async () => {
    const redis = await ThrowawayRedis.start();
    const connection = client(redis.url);
    try {
      await ready(connection);
      const changes: boolean[] = [];
      const limiter = new CostRateLimiter({
        capacity: 3,
        refillPerSecond: 1 / 60,
        redis: connection,
        keyPrefix: `${prefix}:fallback`,
        onDegradedChange: (degraded) => changes.push(degraded),
      });
      expect((await limiter.consume('tenant', 3)).allowed).toBe(true);
      await redis.stop();
      // The process's own bucket: full, since it never saw the tenant.
      const whileDown = await limiter.consume('tenant', 3);
      expect(whileDown.allowed).toBe(true);
      expect(limiter.degraded).toBe(true);
      expect((await limiter.consume('tenant', 1)).allowed).toBe(false);
      await redis.start();
      await ready(connection);
      // Redis kept nothing (no persistence): a full bucket there again.
      expect((await limiter.consume('tenant', 3)).allowed).toBe(true);
      expect(limiter.degraded).toBe(false);
      expect(changes).toEqual([true, false]);
    } finally {
      connection.disconnect();
      await redis.stop();
    }
  });
});
