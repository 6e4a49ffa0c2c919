// Each tenant's work budget: the deployment's (NETPLAY_RATE_LIMIT_PER_MINUTE and _BURST) unless
// the operator gave the tenant its own (PUT /v1/admin/tenants/:id/rate-limit). A tenant's budget is
// read once and trusted for NETPLAY_API_KEY_CACHE_TTL_MS, like its keys, so metering costs no
// database round trip per request; a change made through this process applies at once, elsewhere
// within that time. While the database does not answer, the deployment's budget applies.
import { Inject, Injectable } from '@nestjs/common';
import { TenantRepository, type TenantRateLimit } from '@netplay/db';
import { LRUCache } from 'lru-cache';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import type { TokenBucketPolicy } from './token-bucket';

const MAX_CACHED_TENANTS = 10_000;

@Injectable()
export class TenantRateLimits {
  private readonly policies?: LRUCache<string, TokenBucketPolicy>;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly tenants: TenantRepository,
  ) {
    if (config.apiKeyCacheTtlMs <= 0) return;
    this.policies = new LRUCache<string, TokenBucketPolicy>({
      max: MAX_CACHED_TENANTS,
      ttl: config.apiKeyCacheTtlMs,
      // Concurrent first requests of one tenant share one read.
      fetchMethod: (tenantId) => this.lookUp(tenantId),
    });
  }

  /** The tenant's token bucket: its capacity (burst) and refill (points a minute ÷ 60). */
  async policyOf(tenantId: string): Promise<TokenBucketPolicy> {
    return (await this.policies?.fetch(tenantId)) ?? this.lookUp(tenantId);
  }

  /** The budget that applies to a tenant whose own settings are `own`. */
  effective(own: TenantRateLimit): { perMinute: number; burst: number } {
    const perMinute = own.perMinute ?? this.config.rateLimitPerMinute;
    // A rate given alone brings its own burst, as NETPLAY_RATE_LIMIT_PER_MINUTE does.
    const burst = own.burst ?? (own.perMinute === null ? this.config.rateLimitBurst : perMinute);
    return { perMinute, burst };
  }

  /** Drops what this process knows of the tenant's budget (after the operator changed it). */
  forget(tenantId: string): void {
    this.policies?.delete(tenantId);
  }

  private async lookUp(tenantId: string): Promise<TokenBucketPolicy> {
    // Metering must not fail a request that a cached key lets through.
    const own = await this.tenants.rateLimit(tenantId).catch(() => undefined);
    const { perMinute, burst } = this.effective(own ?? { perMinute: null, burst: null });
    return { capacity: burst, refillPerSecond: perMinute / 60 };
  }
}
