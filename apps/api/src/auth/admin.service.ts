// The operator's tenant and key management (the NETPLAY_ADMIN_KEY holder).
import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import { isUuid } from '../errors/validation';
import { INFRASTRUCTURE, type Infrastructure } from '../infra/infrastructure';
import type { CreatedApiKeyView, TenantView } from './admin.dto';
import { CachedApiKeyAuthenticator } from './cached-api-key-authenticator';

@Injectable()
export class AdminService {
  constructor(
    @Inject(INFRASTRUCTURE) private readonly infra: Infrastructure,
    private readonly authenticator: CachedApiKeyAuthenticator,
  ) {}

  async createTenant(name: string): Promise<TenantView> {
    const tenant = await this.infra.tenants.create(name);
    return { id: tenant.id, name: tenant.name, createdAt: tenant.createdAt.toISOString() };
  }

  async createApiKey(tenantId: string, name = 'default'): Promise<CreatedApiKeyView> {
    if (!isUuid(tenantId) || !(await this.infra.tenants.get(tenantId)))
      throw new ApiError('not-found', `tenant ${tenantId} not found`);
    const { key, plaintext } = await this.infra.apiKeys.create(tenantId, name);
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
    if (!isUuid(id) || !(await this.infra.apiKeys.revokeById(id)))
      throw new ApiError('not-found', `active API key ${id} not found`);
    this.authenticator.forget(id);
  }
}
