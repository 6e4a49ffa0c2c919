import type { PrismaClient } from './generated/prisma/client';

export interface TenantRecord {
  id: string;
  name: string;
  createdAt: Date;
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
}
