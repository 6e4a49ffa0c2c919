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
}
