// The process's two budgets, token buckets (token-bucket.ts): work per tenant (requests weighed by
// RATE_COSTS, and engine time once measured; callers without a key per client address), refilled
// at NETPLAY_RATE_LIMIT_PER_MINUTE points a minute up to a burst of NETPLAY_RATE_LIMIT_BURST (or
// the tenant's own budget, tenant-rate-limits.ts), and failed authentications per client address
// (NETPLAY_AUTH_FAILURES_PER_MINUTE, the same number as their burst), so made-up keys cannot buy
// unbounded database lookups. Both count in Redis and fall back to per-process buckets while
// Redis does not answer: `netplay_rate_limiter_degraded` is 1 then, and one log line says so
// (another when Redis answers again).
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { rateLimited } from '../errors/api-error';
import { RATE_LIMIT_REDIS } from '../infra/tokens';
import type { TenantRateLimit } from '@netplay/db';
import type IORedis from 'ioredis';
import { MetricsService } from '../metrics/metrics.service';
import { CostRateLimiter, type RateDecision } from './cost-rate-limiter';
import { engineTimePoints } from './rate-costs';
import { TenantRateLimits } from './tenant-rate-limits';

export type RateBucket = 'work' | 'auth-failures';

@Injectable()
export class RateLimitsService {
  private readonly logger = new Logger('RateLimits');
  private readonly work: CostRateLimiter;
  private readonly authFailures: CostRateLimiter;
  private readonly refused: Counter<'bucket'>;
  private readonly engineTimeCharged: Counter;

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(RATE_LIMIT_REDIS) rateLimitRedis: { redis?: IORedis; keyPrefix: string },
    metrics: MetricsService,
    private readonly tenantBudgets: TenantRateLimits,
  ) {
    const degradedGauge = new Gauge({
      name: 'netplay_rate_limiter_degraded',
      help: '1 while Redis does not answer and rate limits are counted per API process',
      labelNames: ['bucket'] as const,
      registers: [metrics.registry],
    });
    this.refused = new Counter({
      name: 'netplay_rate_limited_total',
      help: 'Requests refused with 429, by budget',
      labelNames: ['bucket'] as const,
      registers: [metrics.registry],
    });
    this.engineTimeCharged = new Counter({
      name: 'netplay_engine_time_points_total',
      help: 'Points charged to tenants for engine time beyond what a request includes',
      registers: [metrics.registry],
    });
    const limiter = (bucket: RateBucket, perMinute: number, burst: number) => {
      degradedGauge.set({ bucket }, 0);
      return new CostRateLimiter({
        capacity: burst,
        refillPerSecond: perMinute / 60,
        redis: rateLimitRedis.redis,
        // `rate-bucket`, not the fixed windows' `rate`: those keys hold counters, not buckets.
        keyPrefix: `${rateLimitRedis.keyPrefix}:rate-bucket:${bucket}`,
        onDegradedChange: (degraded, cause) => {
          degradedGauge.set({ bucket }, degraded ? 1 : 0);
          if (degraded)
            this.logger.warn(
              `Redis does not answer (${String(cause instanceof Error ? cause.message : cause)}): the ${bucket} rate limit counts per API process until it does`,
            );
          else this.logger.log(`Redis answers again: the ${bucket} rate limit is shared again`);
        },
      });
    };
    this.work = limiter('work', config.rateLimitPerMinute, config.rateLimitBurst);
    this.authFailures = limiter(
      'auth-failures',
      config.authFailuresPerMinute,
      config.authFailuresPerMinute,
    );
  }

  /** Spends `cost` of the tenant's budget, or throws a 429 naming when to retry. */
  async spendTenantWork(tenantId: string, cost: number): Promise<void> {
    const policy = await this.tenantBudgets.policyOf(tenantId);
    this.spent(await this.work.consume(tenantWorkKey(tenantId), cost, policy));
  }

  /** Spends `cost` of a caller without a key from its address's budget, or throws a 429. */
  async spendAddressWork(address: string, cost: number): Promise<void> {
    this.spent(await this.work.consume(`address:${address}`, cost));
  }

  /**
   * Charges the tenant for the engine time one of its requests took, once it is known: every
   * ENGINE_MS_PER_POINT beyond the first ENGINE_MS_INCLUDED cost a point (rate-costs.ts), so a
   * request's price follows the work it made. The bucket may go into debt; the tenant's next
   * requests are refused until it is paid. Never throws: the request it charges has been answered.
   */
  async chargeEngineTime(tenantId: string, engineMs: number): Promise<void> {
    const points = engineTimePoints(engineMs);
    if (points <= 0) return;
    try {
      const policy = await this.tenantBudgets.policyOf(tenantId);
      await this.work.charge(tenantWorkKey(tenantId), points, policy);
      this.engineTimeCharged.inc(points);
    } catch (error) {
      this.logger.warn(`charging ${tenantId} for engine time failed: ${String(error)}`);
    }
  }

  /**
   * Milliseconds the tenant is still refused, known without a Redis round trip (0: not known to
   * be refused), so its requests can be answered before their bodies are read.
   */
  tenantBlockedMs(tenantId: string): number {
    return this.work.blockedMs(tenantWorkKey(tenantId));
  }

  /** The budget that applies to a tenant whose own settings are `own` (null: the deployment's). */
  effectiveTenantBudget(own: TenantRateLimit): { perMinute: number; burst: number } {
    return this.tenantBudgets.effective(own);
  }

  /**
   * The operator changed the tenant's budget: this process reads it again on the next request, and
   * forgets its last refusal of the tenant (that refusal was under the old budget).
   */
  tenantBudgetChanged(tenantId: string): void {
    this.tenantBudgets.forget(tenantId);
    this.work.forgetRefusal(tenantWorkKey(tenantId));
  }

  /** Before a key is looked up: refuses an address that has failed too often lately. */
  async assertMayAuthenticate(address: string): Promise<void> {
    const blockedMs = this.authFailures.blockedMs(address);
    if (blockedMs > 0)
      this.refuse('auth-failures', { allowed: false, retryAfterMs: blockedMs }, TOO_MANY_FAILURES);
  }

  /** After a failed authentication: counts it, and throws a 429 once the address is over. */
  async recordAuthFailure(address: string): Promise<void> {
    const decision = await this.authFailures.consume(address, 1);
    if (!decision.allowed) this.refuse('auth-failures', decision, TOO_MANY_FAILURES);
  }

  get degraded(): boolean {
    return this.work.degraded || this.authFailures.degraded;
  }

  private spent(decision: RateDecision): void {
    if (!decision.allowed)
      this.refuse(
        'work',
        decision,
        'the rate limit is spent: too much work too fast; retry after the Retry-After seconds',
      );
  }

  private refuse(bucket: RateBucket, decision: RateDecision, message: string): never {
    this.refused.inc({ bucket });
    throw rateLimited(message, Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
  }
}

const TOO_MANY_FAILURES =
  'too many failed authentications from this address; retry after the Retry-After seconds';

const tenantWorkKey = (tenantId: string) => `tenant:${tenantId}`;
