// Events a tenant should see about its own account (its webhook endpoint was disabled, …), listed
// newest first. The `type` strings are persisted and shown to tenants: add new ones, never rename.
import type { Prisma, PrismaClient } from './generated/prisma/client';
import { keysetPage, NEWEST_FIRST, type Page, type PageRequest } from './paging';

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

  /** Newest first, a page at a time (index (tenant_id, created_at, id)). */
  list(tenantId: string, request: PageRequest = {}): Promise<Page<TenantEventRecord>> {
    return keysetPage(request, (after, take) =>
      this.prisma.tenantEvent.findMany({
        where: { tenantId, ...after },
        orderBy: NEWEST_FIRST,
        take,
      }),
    );
  }
}
