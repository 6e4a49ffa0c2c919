import type { PrismaClient } from './generated/prisma/client';

export interface TenantRecord {
  id: string;
  name: string;
  createdAt: Date;
}

/** A tenant's own work budget; a null field is the deployment's default. */
export interface TenantRateLimit {
  perMinute: number | null;
  burst: number | null;
}

export class TenantRepository {
  constructor(private readonly prisma: PrismaClient) {}

  create(name: string): Promise<TenantRecord> {
    return this.prisma.tenant.create({ data: { name } });
  }

  async get(id: string): Promise<TenantRecord | undefined> {
    return (await this.prisma.tenant.findUnique({ where: { id } })) ?? undefined;
  }

  /** Origins allowed to frame the tenant's embedded pages; empty for an unknown tenant. */
  async embedOrigins(id: string): Promise<string[]> {
    const tenant = await this.prisma.tenant.findUnique({
      where: { id },
      select: { embedOrigins: true },
    });
    return tenant?.embedOrigins ?? [];
  }

  /** Replaces the tenant's embed origins; false when the tenant does not exist. */
  async setEmbedOrigins(id: string, origins: string[]): Promise<boolean> {
    const updated = await this.prisma.tenant.updateMany({
      where: { id },
      data: { embedOrigins: origins },
    });
    return updated.count === 1;
  }

  /** The tenant's own work budget; undefined for an unknown tenant. */
  async rateLimit(id: string): Promise<TenantRateLimit | undefined> {
    const tenant = await this.prisma.tenant.findUnique({
      where: { id },
      select: { rateLimitPerMinute: true, rateLimitBurst: true },
    });
    return tenant
      ? { perMinute: tenant.rateLimitPerMinute, burst: tenant.rateLimitBurst }
      : undefined;
  }

  /** Replaces the tenant's own work budget; false when the tenant does not exist. */
  async setRateLimit(id: string, limit: TenantRateLimit): Promise<boolean> {
    const updated = await this.prisma.tenant.updateMany({
      where: { id },
      data: { rateLimitPerMinute: limit.perMinute, rateLimitBurst: limit.burst },
    });
    return updated.count === 1;
  }
}
