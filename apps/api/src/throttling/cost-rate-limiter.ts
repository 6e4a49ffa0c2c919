// A token bucket of cost points per key (token-bucket.ts), counted in Redis so every API process
// shares it: one EVALSHA per decision. When Redis does not answer, decisions fall back to buckets
// kept in this process instead of failing the request: limits become per process, the service
// keeps answering, and `degraded` says so until Redis answers again.
import type IORedis from 'ioredis';
import {
  MemoryTokenBuckets,
  RedisTokenBuckets,
  type TakeDecision,
  type TokenBucketPolicy,
} from './token-bucket';

export interface RateDecision {
  allowed: boolean;
  /** Refused: when the bucket will hold the request's cost (the exact wait). Allowed: 0. */
  retryAfterMs: number;
}

export interface CostRateLimiterOptions extends TokenBucketPolicy {
  /** Absent: the per-process buckets only (embedded mode). */
  redis?: IORedis;
  keyPrefix: string;
  /** Called when decisions move to the per-process fallback (with the cause) and back. */
  onDegradedChange?: (degraded: boolean, cause?: unknown) => void;
  /** The per-process buckets' clock (tests). */
  now?: () => number;
}

export class CostRateLimiter {
  private readonly shared?: RedisTokenBuckets;
  private readonly local: MemoryTokenBuckets;
  /** Keys refused lately and until when (ms), known without a Redis round trip. */
  private readonly refusedUntil = new Map<string, number>();
  private readonly now: () => number;
  /** The policy of keys that bring none. */
  private readonly policy: TokenBucketPolicy;
  private degradedNow = false;

  constructor(private readonly options: CostRateLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.policy = { capacity: options.capacity, refillPerSecond: options.refillPerSecond };
    this.local = new MemoryTokenBuckets(options, this.now);
    if (options.redis) this.shared = new RedisTokenBuckets(options.redis, options);
  }

  get degraded(): boolean {
    return this.degradedNow;
  }

  /** Takes `cost` points from the key's bucket, under its own policy when given (a tenant's budget). */
  async consume(key: string, cost: number, policy?: TokenBucketPolicy): Promise<RateDecision> {
    const points = Math.max(1, Math.ceil(cost));
    const decision = await this.take(`${this.options.keyPrefix}:${key}`, points, policy);
    if (!decision.allowed) this.remember(key, decision.retryAfterMs);
    return { allowed: decision.allowed, retryAfterMs: decision.retryAfterMs };
  }

  /**
   * Milliseconds the key is still refused, known without a Redis round trip (0: not known to be
   * refused): from this process's last refusal of the key, however it was decided.
   */
  blockedMs(key: string): number {
    const until = this.refusedUntil.get(key);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left > 0) return left;
    this.refusedUntil.delete(key);
    return 0;
  }

  /**
   * Takes `cost` points from the key's bucket whatever it holds (work measured after the request
   * passed): a bucket left without a whole point refuses the key, from here on, until the refill
   * has paid the debt.
   */
  async charge(key: string, cost: number, policy: TokenBucketPolicy = this.policy): Promise<void> {
    const points = Math.max(1, Math.ceil(cost));
    const bucketKey = `${this.options.keyPrefix}:${key}`;
    const decision = await this.decide(
      (shared) => shared.debit(bucketKey, points, policy),
      () => this.local.debit(bucketKey, points, policy),
    );
    if (decision.blockedMs > 0) this.remember(key, decision.blockedMs);
  }

  /** Forgets this process's last refusal of the key (its budget changed). */
  forgetRefusal(key: string): void {
    this.refusedUntil.delete(key);
  }

  private take(
    bucketKey: string,
    points: number,
    policy: TokenBucketPolicy = this.policy,
  ): Promise<TakeDecision> {
    return this.decide(
      (shared) => shared.take(bucketKey, points, policy),
      () => this.local.take(bucketKey, points, policy),
    );
  }

  /** The shared buckets' answer, or this process's while Redis does not answer. */
  private async decide<T>(
    shared: (buckets: RedisTokenBuckets) => Promise<T>,
    local: () => T,
  ): Promise<T> {
    if (!this.shared) return local();
    try {
      const decision = await shared(this.shared);
      this.setDegraded(false);
      return decision;
    } catch (error) {
      this.setDegraded(true, error);
      return local();
    }
  }

  private remember(key: string, retryAfterMs: number): void {
    // Bounded like the buckets: past the bound, expired refusals go, then the oldest.
    if (this.refusedUntil.size >= MAX_REMEMBERED_REFUSALS) {
      const nowMs = this.now();
      for (const [known, until] of this.refusedUntil)
        if (until <= nowMs) this.refusedUntil.delete(known);
      const oldest = this.refusedUntil.keys().next().value;
      if (this.refusedUntil.size >= MAX_REMEMBERED_REFUSALS && oldest !== undefined)
        this.refusedUntil.delete(oldest);
    }
    this.refusedUntil.delete(key);
    this.refusedUntil.set(key, this.now() + retryAfterMs);
  }

  private setDegraded(degraded: boolean, cause?: unknown): void {
    if (degraded === this.degradedNow) return;
    this.degradedNow = degraded;
    this.options.onDegradedChange?.(degraded, cause);
  }
}

const MAX_REMEMBERED_REFUSALS = 100_000;
