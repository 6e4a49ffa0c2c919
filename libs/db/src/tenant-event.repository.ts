// Events a tenant should see about its own account (its webhook endpoint was disabled, …), listed
// newest first. The `type` strings are persisted and shown to tenants: add new ones, never rename.
import type { Prisma, PrismaClient } from './generated/prisma/client';

export const TENANT_EVENT_TYPES = { endpointDisabled: 'endpoint.disabled' } as const;
export type TenantEventType = (typeof TENANT_EVENT_TYPES)[keyof typeof TENANT_EVENT_TYPES];

export interface TenantEventRecord {
  id: string;
  tenantId: string;
  type: string;
  data: Prisma.JsonValue;
  createdAt: Date;
}

export class TenantEventRepository {
  constructor(private readonly prisma: PrismaClient) {}

  list(tenantId: string, limit = 50): Promise<TenantEventRecord[]> {
    return this.prisma.tenantEvent.findMany({
      where: { tenantId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
  }
}
