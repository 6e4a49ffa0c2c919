import { CostRateLimiter } from './cost-rate-limiter';
import { engineTimePoints } from './rate-costs';
import {
  debitTokens,
  MemoryTokenBuckets,
  takeTokens,
  type TokenBucketPolicy,
} from './token-bucket';

// 60 a minute: one token a second, a burst of 10.
const POLICY: TokenBucketPolicy = { capacity: 10, refillPerSecond: 1 };

function clock(startMs = 1_000_000) {
  let now = startMs;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('takeTokens', () => {
  it('starts full, lets a burst of the capacity through, then refuses with the exact wait', () => {
    const time = clock();
    const buckets = new MemoryTokenBuckets(POLICY, time.now);
    const decisions = Array.from({ length: 11 }, () => buckets.take('tenant', 1));
    expect(decisions.slice(0, 10).every((decision) => decision.allowed)).toBe(true);
    expect(decisions[10]).toEqual({ allowed: false, tokens: 0, retryAfterMs: 1_000 });
  });

  it('refills at the rate, never above the capacity', () => {
    const time = clock();
    const buckets = new MemoryTokenBuckets(POLICY, time.now);
    expect(buckets.take('tenant', 10).allowed).toBe(true);
    time.advance(2_500);
    expect(buckets.take('tenant', 3)).toEqual({ allowed: false, tokens: 2.5, retryAfterMs: 500 });
    time.advance(500);
    expect(buckets.take('tenant', 3)).toEqual({ allowed: true, tokens: 0, retryAfterMs: 0 });
    time.advance(3_600_000);
    expect(buckets.take('tenant', 1).tokens).toBe(9);
  });

  it('takes nothing from a refused request', () => {
    const time = clock();
    const buckets = new MemoryTokenBuckets(POLICY, time.now);
    buckets.take('tenant', 6);
    expect(buckets.take('tenant', 5).allowed).toBe(false);
    expect(buckets.take('tenant', 4)).toMatchObject({ allowed: true, tokens: 0 });
  });

  it('bounds what any period can spend by capacity + time × rate (no double burst at a boundary)', () => {
    const time = clock();
    const buckets = new MemoryTokenBuckets(POLICY, time.now);
    let spent = 0;
    // One request every 100 ms for 30 s, each as large as fits.
    for (let step = 0; step < 300; step += 1) {
      if (buckets.take('tenant', 1).allowed) spent += 1;
      time.advance(100);
    }
    expect(spent).toBeLessThanOrEqual(10 + 30);
    expect(spent).toBeGreaterThanOrEqual(10 + 29);
  });

  it('takes a whole full bucket for a cost above the capacity, and refuses it until full again', () => {
    const time = clock();
    const buckets = new MemoryTokenBuckets(POLICY, time.now);
    expect(buckets.take('tenant', 25)).toEqual({ allowed: true, tokens: 0, retryAfterMs: 0 });
    expect(buckets.take('tenant', 25)).toEqual({ allowed: false, tokens: 0, retryAfterMs: 10_000 });
  });

  it('keeps each key its own bucket', () => {
    const time = clock();
    const buckets = new MemoryTokenBuckets(POLICY, time.now);
    buckets.take('a', 10);
    expect(buckets.take('a', 1).allowed).toBe(false);
    expect(buckets.take('b', 1).allowed).toBe(true);
  });

  it('treats a clock that went back as no time passed', () => {
    const { decision } = takeTokens({ tokens: 2, atMs: 5_000 }, POLICY, 3, 4_000);
    expect(decision).toEqual({ allowed: false, tokens: 2, retryAfterMs: 1_000 });
  });

  it('holds at most its bound of keys, forgetting full buckets first (the same as keeping them)', () => {
    const time = clock();
    const buckets = new MemoryTokenBuckets(POLICY, time.now, 100);
    buckets.take('spender', 10);
    for (let key = 0; key < 1_000; key += 1) buckets.take(`address-${key}`, 0);
    expect(buckets.size).toBeLessThanOrEqual(100);
    expect(buckets.take('spender', 1).allowed).toBe(false);
  });
});

describe('CostRateLimiter without Redis', () => {
  it('remembers a refusal until the bucket holds the cost again, without another decision', async () => {
    const time = clock();
    const limiter = new CostRateLimiter({ ...POLICY, keyPrefix: 'spec', now: time.now });
    expect(limiter.blockedMs('address')).toBe(0);
    for (let attempt = 0; attempt < 10; attempt += 1)
      expect((await limiter.consume('address', 1)).allowed).toBe(true);
    expect(await limiter.consume('address', 1)).toEqual({ allowed: false, retryAfterMs: 1_000 });
    expect(limiter.blockedMs('address')).toBe(1_000);
    time.advance(400);
    expect(limiter.blockedMs('address')).toBe(600);
    time.advance(600);
    expect(limiter.blockedMs('address')).toBe(0);
    expect((await limiter.consume('address', 1)).allowed).toBe(true);
  });

  it('charges a fractional cost as whole points', async () => {
    const limiter = new CostRateLimiter({ ...POLICY, keyPrefix: 'spec', now: clock().now });
    expect((await limiter.consume('tenant', 9.2)).allowed).toBe(true);
    expect(await limiter.consume('tenant', 1)).toEqual({ allowed: false, retryAfterMs: 1_000 });
  });

  it('meters a key by the policy it brings (a tenant’s own budget), the others by the default', async () => {
    const time = clock();
    const limiter = new CostRateLimiter({ ...POLICY, keyPrefix: 'spec', now: time.now });
    const raised = { capacity: 40, refillPerSecond: 40 };
    for (let attempt = 0; attempt < 40; attempt += 1)
      expect((await limiter.consume('raised', 1, raised)).allowed).toBe(true);
    // One point at 40 a second: 25 ms, by the key's own refill rate.
    expect(await limiter.consume('raised', 1, raised)).toEqual({
      allowed: false,
      retryAfterMs: 25,
    });
    for (let attempt = 0; attempt < 10; attempt += 1)
      expect((await limiter.consume('default', 1)).allowed).toBe(true);
    expect((await limiter.consume('default', 1)).allowed).toBe(false);
  });

  it('charges work measured afterwards as a debt the refill pays before anything passes', async () => {
    const time = clock();
    const limiter = new CostRateLimiter({ ...POLICY, keyPrefix: 'spec', now: time.now });
    expect((await limiter.consume('tenant', 4)).allowed).toBe(true);
    // 6 points left, 9 charged: 3 in debt, so a point is there again in 4 s.
    await limiter.charge('tenant', 9);
    expect(limiter.blockedMs('tenant')).toBe(4_000);
    expect(await limiter.consume('tenant', 1)).toEqual({ allowed: false, retryAfterMs: 4_000 });
    time.advance(4_000);
    expect((await limiter.consume('tenant', 1)).allowed).toBe(true);
  });
});

describe('debitTokens', () => {
  it('takes the cost whatever the bucket holds, at most one full bucket into debt', () => {
    const full = debitTokens(undefined, POLICY, 4, 0);
    expect(full.decision).toEqual({ tokens: 6, blockedMs: 0 });
    const deep = debitTokens(full.next, POLICY, 1_000, 0);
    expect(deep.decision).toEqual({ tokens: -10, blockedMs: 11_000 });
    // The refill pays the debt first.
    const later = takeTokens(deep.next, POLICY, 1, 10_000);
    expect(later.decision.allowed).toBe(false);
    expect(takeTokens(deep.next, POLICY, 1, 11_000).decision.allowed).toBe(true);
  });
});

describe('engineTimePoints', () => {
  it('includes 50 ms of engine time in a request and charges a point per 10 ms beyond', () => {
    expect([0, 50, 59, 60, 149, 1_050].map(engineTimePoints)).toEqual([0, 0, 0, 1, 9, 100]);
  });
});
