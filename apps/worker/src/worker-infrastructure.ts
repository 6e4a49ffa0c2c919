// The worker's connections, opened once at start: PostgreSQL (migrated by the deploy step or the
// API, never by a worker), the scenario queue on Redis and the run status channel. Only the
// repositories and the queue use them.
import {
  createPrismaClient,
  OutboxRepository,
  RunRepository,
  SandboxRepository,
  type DatabaseHandle,
} from '@netplay/db';
import {
  BullmqScenarioQueue,
  RedisRunStatusEvents,
  type RunStatusEvents,
  type ScenarioQueue,
} from '@netplay/queue';
import type { WorkerConfig } from './worker-config';

export interface WorkerInfrastructure {
  database: DatabaseHandle;
  runs: RunRepository;
  sandboxes: SandboxRepository;
  outbox: OutboxRepository;
  queue: ScenarioQueue;
  runStatusEvents: RunStatusEvents;
  close(): Promise<void>;
}

export const WORKER_INFRASTRUCTURE = Symbol('WORKER_INFRASTRUCTURE');

export async function openWorkerInfrastructure(
  config: WorkerConfig,
  onError: (error: unknown) => void,
): Promise<WorkerInfrastructure> {
  const database = await createPrismaClient({
    databaseUrl: config.databaseUrl,
    onConnectionError: onError,
  });
  const closers: Array<() => Promise<void>> = [() => database.close()];
  try {
    // Fails start-up when the database is unreachable instead of failing every job later.
    await database.prisma.$queryRaw`SELECT 1`;
    const queue = await BullmqScenarioQueue.connect({
      redisUrl: config.redisUrl,
      prefix: config.queuePrefix,
      onError,
    });
    closers.push(() => queue.close());
    const runStatusEvents = new RedisRunStatusEvents({ redisUrl: config.redisUrl, onError });
    closers.push(() => runStatusEvents.close());
    return {
      database,
      runs: new RunRepository(database),
      sandboxes: new SandboxRepository(database),
      outbox: new OutboxRepository(database),
      queue,
      runStatusEvents,
      close: () => closeInReverse(closers),
    };
  } catch (error) {
    await closeInReverse(closers);
    throw error;
  }
}

async function closeInReverse(closers: Array<() => Promise<void>>): Promise<void> {
  for (const close of [...closers].reverse()) await close().catch(() => undefined);
}
