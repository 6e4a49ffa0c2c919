// What the API's health and metrics endpoints ask the database: is it answering, and how many runs
// wait for a worker.
import type { PrismaClient } from './generated/prisma/client';

export class ServiceStatusRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** `SELECT 1`: resolves when the database answers a query, rejects otherwise. */
  async ping(): Promise<void> {
    await this.prisma.$queryRaw`SELECT 1`;
  }

  /** Runs queued but not yet claimed by a worker, across tenants. */
  countQueuedRuns(): Promise<number> {
    return this.prisma.run.count({ where: { status: 'queued' } });
  }
}
