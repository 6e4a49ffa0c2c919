// A budget of cost points per key and per window, counted in Redis so every API process shares it
// (rate-limiter-flexible's RateLimiterRedis: one EVALSHA per decision, the same single round trip
// the request path paid before). When Redis does not answer, decisions fall back to a budget kept in
// this process (RateLimiterMemory) instead of failing the request: limits become per process, the
// service keeps answering, and `degraded` says so until Redis answers again.
import type IORedis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

export interface RateLimitBudget {
  /** Cost points a key may spend per window. */
  points: number;
  windowSeconds: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Until the window ends (when refused: when to retry). */
  retryAfterMs: number;
}

export interface CostRateLimiterOptions extends RateLimitBudget {
  /** Absent: the per-process budget only (embedded mode). */
  redis?: IORedis;
  keyPrefix: string;
  /** Called when decisions move to the per-process fallback (with the cause) and back. */
  onDegradedChange?: (degraded: boolean, cause?: unknown) => void;
}

export class CostRateLimiter {
  private readonly shared?: RateLimiterRedis;
  private readonly local: RateLimiterMemory;
  private degradedNow = false;

  constructor(private readonly options: CostRateLimiterOptions) {
    this.local = new RateLimiterMemory({
      points: options.points,
      duration: options.windowSeconds,
      keyPrefix: options.keyPrefix,
    });
    if (options.redis)
      this.shared = new RateLimiterRedis({
        storeClient: options.redis,
        points: options.points,
        duration: options.windowSeconds,
        keyPrefix: options.keyPrefix,
        // Fail over at once while the connection is down rather than after a command timeout.
        rejectIfRedisNotReady: true,
        // Once a key is over its budget, refuse it from memory until its window ends: an abusive
        // caller costs no Redis round trip per request.
        inMemoryBlockOnConsumed: options.points + 1,
      });
  }

  get degraded(): boolean {
    return this.degradedNow;
  }

  async consume(key: string, cost: number): Promise<RateDecision> {
    const points = Math.max(1, Math.ceil(cost));
    if (!this.shared) return decide(() => this.local.consume(key, points));
    try {
      const decision = await decide(() => this.shared!.consume(key, points));
      this.setDegraded(false);
      return decision;
    } catch (error) {
      this.setDegraded(true, error);
      return decide(() => this.local.consume(key, points));
    }
  }

  /**
   * Milliseconds the key is still refused, known without a Redis round trip (0: not known to be
   * over its budget): the shared limiter's in-memory block, or the per-process budget.
   */
  async blockedMs(key: string): Promise<number> {
    if (this.shared && !this.degradedNow)
      return (this.shared as unknown as InMemoryBlocks).getInMemoryBlockMsBeforeExpire(
        this.shared.getKey(key),
      );
    const spent = await this.local.get(key);
    return spent && spent.consumedPoints > this.options.points ? spent.msBeforeNext : 0;
  }

  private setDegraded(degraded: boolean, cause?: unknown): void {
    if (degraded === this.degradedNow) return;
    this.degradedNow = degraded;
    this.options.onDegradedChange?.(degraded, cause);
  }
}

/** Public in rate-limiter-flexible's store limiters, missing from its type declarations. */
interface InMemoryBlocks {
  getInMemoryBlockMsBeforeExpire(rlKey: string): number;
}

/** A refusal is a resolved decision; anything else (Redis unreachable) is thrown to the caller. */
async function decide(consume: () => Promise<RateLimiterRes>): Promise<RateDecision> {
  try {
    const result = await consume();
    return { allowed: true, retryAfterMs: result.msBeforeNext };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes)
      return { allowed: false, retryAfterMs: rejection.msBeforeNext };
    throw rejection;
  }
}
