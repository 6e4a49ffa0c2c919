// The retention job as workers schedule it: every worker upserts the same BullMQ job scheduler
// (one schedule however many workers start), and a scheduled job deletes an expired run. Real
// PostgreSQL and Redis; skipped, saying why, without them.
import { QUEUE_NAMES, RETENTION_SCHEDULER_ID } from '@netplay/contracts';
import { createPrismaClient, type DatabaseHandle } from '@netplay/db';
import {
  createMigratedPostgresDatabase,
  POSTGRES_URL,
  type TestPostgresDatabase,
} from '@netplay/testing';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { uniqueQueuePrefix, withTimeout } from '@netplay/testing';
import { RetentionService } from './retention.service';
import { readWorkerConfig } from './worker-config';

jest.setTimeout(60_000);

const REDIS_URL = process.env.REDIS_URL;
const skip =
  POSTGRES_URL && REDIS_URL
    ? undefined
    : 'skipped: DATABASE_URL and REDIS_URL must both be set (CI sets them)';
const title = 'the retention job scheduled by workers';

(skip ? describe.skip : describe)(skip ? `${title} (${skip})` : title, () => {
  let database: TestPostgresDatabase;
  let handle: DatabaseHandle;
  const prefix = uniqueQueuePrefix();
  const services: RetentionService[] = [];

  beforeAll(async () => {
    database = await createMigratedPostgresDatabase(POSTGRES_URL ?? '');
    handle = await createPrismaClient({ databaseUrl: database.url });
  });

  afterAll(async () => {
    for (const service of services) await service.onModuleDestroy();
    const queue = new Queue(QUEUE_NAMES.maintenance, { connection: { url: REDIS_URL }, prefix });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await handle?.close();
    await database?.drop();
  });

  it('schedules one pass for the deployment and deletes an expired run in it', async () => {
    const tenantId = randomUUID();
    const sandboxId = randomUUID();
    const revisionId = randomUUID();
    const runId = randomUUID();
    const sql = handle.sql;
    await sql.query(`INSERT INTO tenant (id, name) VALUES ($1, 'retention')`, [tenantId]);
    await sql.query(
      `INSERT INTO sandbox (id, tenant_id, name, manifests, cluster_settings, updated_at)
       VALUES ($1, $2, 'web', '', '{}', now())`,
      [sandboxId, tenantId],
    );
    await sql.query(
      `INSERT INTO sandbox_revision (id, sandbox_id, version, manifests, cluster_settings)
       VALUES ($1, $2, 1, '', '{}')`,
      [revisionId, sandboxId],
    );
    await sql.query(
      `INSERT INTO run (id, tenant_id, sandbox_revision_id, steps, status, created_at)
       VALUES ($1, $2, $3, '[]', 'succeeded', now() - interval '40 days')`,
      [runId, tenantId, revisionId],
    );

    const { config, problems } = readWorkerConfig({
      NETPLAY_DATABASE_URL: database.url,
      NETPLAY_REDIS_URL: REDIS_URL,
      NETPLAY_QUEUE_PREFIX: prefix,
      NETPLAY_RETENTION_DAYS: '30',
      NETPLAY_RETENTION_INTERVAL_MS: '3600000',
    });
    expect(problems).toEqual([]);
    // Two workers of one deployment start.
    for (let index = 0; index < 2; index += 1) {
      const service = new RetentionService(config, handle);
      services.push(service);
      await service.onApplicationBootstrap();
    }

    const queue = new Queue(QUEUE_NAMES.maintenance, { connection: { url: REDIS_URL }, prefix });
    try {
      expect(await queue.getJobSchedulersCount()).toBe(1);
      const scheduler = await queue.getJobScheduler(RETENTION_SCHEDULER_ID);
      expect(scheduler?.every).toBe(3_600_000);
      await withTimeout(
        (async () => {
          for (;;) {
            const rows = await sql.query('SELECT 1 FROM run WHERE id = $1', [runId]);
            if (rows.length === 0) return;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        })(),
        20_000,
        'the scheduled retention pass to delete the expired run',
      );
    } finally {
      await queue.close();
    }
  });
});
