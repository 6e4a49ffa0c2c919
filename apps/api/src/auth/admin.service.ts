// The operator's tenant and key management (the NETPLAY_ADMIN_KEY holder).
import { Injectable } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import { isUuid } from '@netplay/contracts';
import type { CreatedApiKeyView, TenantRateLimitView, TenantView } from './admin.dto';
import { CachedApiKeyAuthenticator } from './cached-api-key-authenticator';
import { ApiKeyRepository, TenantRepository, type TenantRateLimit } from '@netplay/db';
import { RateLimitsService } from '../throttling/rate-limits.service';

@Injectable()
export class AdminService {
  constructor(
    private readonly apiKeys: ApiKeyRepository,
    private readonly tenants: TenantRepository,
    private readonly authenticator: CachedApiKeyAuthenticator,
    private readonly limits: RateLimitsService,
  ) {}

  async createTenant(name: string): Promise<TenantView> {
    const tenant = await this.tenants.create(name);
    return { id: tenant.id, name: tenant.name, createdAt: tenant.createdAt.toISOString() };
  }

  async createApiKey(tenantId: string, name = 'default'): Promise<CreatedApiKeyView> {
    if (!isUuid(tenantId) || !(await this.tenants.get(tenantId))) throw tenantNotFound(tenantId);
    const { key, plaintext } = await this.apiKeys.create(tenantId, name);
    return {
      id: key.id,
      tenantId: key.tenantId,
      name: key.name,
      prefix: key.prefix,
      createdAt: key.createdAt.toISOString(),
      key: plaintext,
    };
  }

  async revokeApiKey(id: string): Promise<void> {
    if (!isUuid(id) || !(await this.apiKeys.revokeById(id)))
      throw new ApiError('not-found', `active API key ${id} not found`);
    this.authenticator.forget(id);
  }

  async rateLimit(tenantId: string): Promise<TenantRateLimitView> {
    const own = isUuid(tenantId) ? await this.tenants.rateLimit(tenantId) : undefined;
    if (!own) throw tenantNotFound(tenantId);
    return this.rateLimitView(tenantId, own);
  }

  async setRateLimit(tenantId: string, own: TenantRateLimit): Promise<TenantRateLimitView> {
    if (!isUuid(tenantId) || !(await this.tenants.setRateLimit(tenantId, own)))
      throw tenantNotFound(tenantId);
    this.limits.tenantBudgetChanged(tenantId);
    return this.rateLimitView(tenantId, own);
  }

  private rateLimitView(tenantId: string, own: TenantRateLimit): TenantRateLimitView {
    return { tenantId, ...own, effective: this.limits.effectiveTenantBudget(own) };
  }
}

const tenantNotFound = (tenantId: string) =>
  new ApiError('not-found', `tenant ${tenantId} not found`);
