// The process's connections, opened once at start: the database (PostgreSQL, migrated on start, or
// the embedded PGlite folder), the scenario queue (BullMQ or in-process), Redis for rate limits and
// run status events. Only repositories and the queue use them; handlers never do.
import {
  applyMigrationsTo,
  ApiKeyRepository,
  createPrismaClient,
  OutboxRepository,
  RunRepository,
  SandboxRepository,
  ServiceStatusRepository,
  TenantRepository,
  type DatabaseHandle,
} from '@netplay/db';
import {
  BullmqScenarioQueue,
  InProcessRunStatusEvents,
  InProcessScenarioQueue,
  RedisRunStatusEvents,
  type RunStatusEvents,
  type ScenarioQueue,
} from '@netplay/queue';
import IORedis from 'ioredis';
import type { ApiConfig } from '../config/api-config';

export interface Infrastructure {
  mode: { database: 'postgres' | 'embedded'; queue: 'redis' | 'in-process' };
  database: DatabaseHandle;
  tenants: TenantRepository;
  apiKeys: ApiKeyRepository;
  sandboxes: SandboxRepository;
  runs: RunRepository;
  outbox: OutboxRepository;
  status: ServiceStatusRepository;
  queue: ScenarioQueue;
  runStatusEvents: RunStatusEvents;
  /** Absent in embedded mode. */
  redis?: IORedis;
  /** Prefix of this process's own Redis keys (rate-limit counters). */
  redisKeyPrefix: string;
  close(): Promise<void>;
}

export const INFRASTRUCTURE = Symbol('INFRASTRUCTURE');

export interface InfrastructureOptions {
  /** BullMQ key prefix, also used for the rate-limit keys (tests use a unique one). */
  queuePrefix?: string;
  onError?: (error: unknown) => void;
}

export async function openInfrastructure(
  config: ApiConfig,
  options: InfrastructureOptions = {},
): Promise<Infrastructure> {
  const onError = options.onError ?? (() => undefined);
  if (config.databaseUrl) {
    const report = await applyMigrationsTo({
      databaseUrl: config.databaseUrl,
      migrationsDir: config.migrationsDir,
    });
    if (report.problems.length > 0)
      throw new Error(
        `database migrations failed: ${report.problems.map((problem) => problem.message).join('; ')}`,
      );
  }
  const database = await createPrismaClient(
    config.databaseUrl
      ? { databaseUrl: config.databaseUrl, onConnectionError: onError }
      : { dataDir: config.dataDir, migrationsDir: config.migrationsDir },
  );
  const opened: Array<() => Promise<void>> = [() => database.close()];
  try {
    let queue: ScenarioQueue;
    let runStatusEvents: RunStatusEvents;
    let redis: IORedis | undefined;
    if (config.redisUrl) {
      queue = await BullmqScenarioQueue.connect({
        redisUrl: config.redisUrl,
        prefix: options.queuePrefix ?? config.queuePrefix,
        onError,
      });
      opened.push(() => queue.close());
      const redisEvents = new RedisRunStatusEvents({ redisUrl: config.redisUrl, onError });
      runStatusEvents = redisEvents;
      opened.push(() => redisEvents.close());
      // Subscribed before the first request: a listener registered later misses nothing published after it.
      await redisEvents.ready();
      // Rate-limit counters and /readyz's PING; fails fast rather than queueing commands while Redis is down.
      const client = new IORedis(config.redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        lazyConnect: true,
      });
      client.on('error', onError);
      await client.connect();
      redis = client;
      opened.push(async () => void (await client.quit().catch(() => client.disconnect())));
    } else {
      queue = new InProcessScenarioQueue({ onError: (error) => onError(error) });
      opened.push(() => queue.close());
      runStatusEvents = new InProcessRunStatusEvents();
      opened.push(() => runStatusEvents.close());
    }
    const prisma = database.prisma;
    return {
      mode: { database: database.mode, queue: config.redisUrl ? 'redis' : 'in-process' },
      database,
      tenants: new TenantRepository(prisma),
      apiKeys: new ApiKeyRepository(prisma),
      sandboxes: new SandboxRepository(database),
      runs: new RunRepository(database),
      outbox: new OutboxRepository(database),
      status: new ServiceStatusRepository(prisma),
      queue,
      runStatusEvents,
      redis,
      redisKeyPrefix: options.queuePrefix ?? 'netplay',
      close: () => closeAll(opened),
    };
  } catch (error) {
    await closeAll(opened);
    throw error;
  }
}

/** Closes in reverse order of opening; one failure does not keep the rest open. */
async function closeAll(opened: Array<() => Promise<void>>): Promise<void> {
  for (const close of [...opened].reverse()) await close().catch(() => undefined);
}
