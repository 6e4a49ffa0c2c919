// The API's composition root: its connections, opened once at start in one sequence — the database
// (PostgreSQL, migrated on start, or the embedded PGlite folder), the scenario, webhook-delivery and
// grading queues (BullMQ, or in-process in embedded mode), Redis for rate limits and run status
// events — and closed once, in reverse (OpenedResources). CoreModule registers each repository,
// queue and event bus as its own provider; services inject those, never this object.
import {
  applyMigrationsTo,
  ApiKeyRepository,
  createPrismaClient,
  ExerciseRepository,
  LearnerSessionRepository,
  LtiLaunchRepository,
  LtiPlatformRepository,
  OutboxRepository,
  RunRepository,
  SandboxRepository,
  ServiceStatusRepository,
  ShareLinkRepository,
  TenantEventRepository,
  TenantRepository,
  WebhookEndpointRepository,
  WebhookEventRepository,
  type DatabaseHandle,
} from '@netplay/db';
import { OpenedResources, openSecretCipher, type GradingSources } from '@netplay/jobs';
import {
  BullmqJobQueue,
  InProcessJobQueue,
  InProcessRunStatusEvents,
  RedisRunStatusEvents,
  type JobQueue,
  type RunStatusEvents,
} from '@netplay/queue';
import { deliveryRetry } from '@netplay/webhooks';
import IORedis from 'ioredis';
import type { ApiConfig } from '../config/api-config';

export interface ServiceMode {
  database: 'postgres' | 'embedded';
  queue: 'redis' | 'in-process';
}

export interface Infrastructure {
  mode: ServiceMode;
  database: DatabaseHandle;
  tenants: TenantRepository;
  apiKeys: ApiKeyRepository;
  learnerSessions: LearnerSessionRepository;
  shareLinks: ShareLinkRepository;
  sandboxes: SandboxRepository;
  runs: RunRepository;
  outbox: OutboxRepository;
  status: ServiceStatusRepository;
  exercises: ExerciseRepository;
  endpoints: WebhookEndpointRepository;
  webhookEvents: WebhookEventRepository;
  tenantEvents: TenantEventRepository;
  /** LTI platform registrations (tool private keys encrypted with the endpoint-secret cipher). */
  ltiPlatforms: LtiPlatformRepository;
  /** LTI launches, nonces and sealed browser-carried values (same cipher). */
  ltiLaunches: LtiLaunchRepository;
  queue: JobQueue<'simulate-run'>;
  deliveryQueue: JobQueue<'deliver-webhook'>;
  gradingQueue: JobQueue<'grade-submission'>;
  /** The queues and repositories above that the grading and delivery consumers use. */
  grading: GradingSources;
  runStatusEvents: RunStatusEvents;
  /**
   * Why endpoint secrets cannot be stored (NETPLAY_SECRET_KEY missing outside embedded mode), or
   * ''. The API then refuses to create endpoints instead of refusing to start.
   */
  secretsUnavailable: string;
  /** Absent in embedded mode. */
  redis?: IORedis;
  /** Prefix of this process's own Redis keys (rate-limit counters). */
  redisKeyPrefix: string;
  close(): Promise<void>;
}

export interface InfrastructureOptions {
  /** BullMQ key prefix, also used for the rate-limit keys (tests use a unique one). */
  queuePrefix?: string;
  onError?: (error: unknown) => void;
  warn?: (message: string) => void;
}

export async function openInfrastructure(
  config: ApiConfig,
  options: InfrastructureOptions = {},
): Promise<Infrastructure> {
  const onError = options.onError ?? (() => undefined);
  const opened = new OpenedResources((name, error) => onError(error));
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
  const database = opened.add(
    'database',
    await createPrismaClient(
      config.databaseUrl
        ? { databaseUrl: config.databaseUrl, onConnectionError: onError }
        : { dataDir: config.dataDir, migrationsDir: config.migrationsDir },
    ),
    (handle) => handle.close(),
  );
  try {
    const prefix = options.queuePrefix ?? config.queuePrefix;
    // Grading and deliveries share the deployment's prefix: the workers that take them read it
    // from the same setting (a test may give the scenario queue a prefix of its own).
    const sharedPrefix = config.queuePrefix;
    const deliveryRetries = deliveryRetry(config.webhooks.schedule);
    let queue: JobQueue<'simulate-run'>;
    let runStatusEvents: RunStatusEvents;
    let redis: IORedis | undefined;
    let deliveryQueue: JobQueue<'deliver-webhook'>;
    let gradingQueue: JobQueue<'grade-submission'>;
    // Grading publishes deliveries: the grading queue (whose close waits for its jobs) is opened
    // after the delivery queue, so it closes before it.
    if (config.redisUrl) {
      const redisUrl = config.redisUrl;
      queue = opened.add(
        'scenario queue',
        await BullmqJobQueue.connect('simulate-run', { redisUrl, prefix, onError }),
        (q) => q.close(),
      );
      const redisEvents = opened.add(
        'run status events',
        new RedisRunStatusEvents({ redisUrl, onError }),
        (events) => events.close(),
      );
      runStatusEvents = redisEvents;
      // Subscribed before the first request: a listener registered later misses nothing published after it.
      await redisEvents.ready();
      // Rate-limit counters and /readyz's PING; fails fast rather than queueing commands while Redis is down.
      const client = new IORedis(redisUrl, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        lazyConnect: true,
      });
      client.on('error', onError);
      await client.connect();
      redis = opened.add('redis', client, async (c) => {
        await c.quit().catch(() => c.disconnect());
      });
      deliveryQueue = opened.add(
        'webhook delivery queue',
        await BullmqJobQueue.connect('deliver-webhook', {
          redisUrl,
          prefix: sharedPrefix,
          retry: deliveryRetries,
          onError,
        }),
        (q) => q.close(),
      );
      gradingQueue = opened.add(
        'grading queue',
        await BullmqJobQueue.connect('grade-submission', {
          redisUrl,
          prefix: sharedPrefix,
          onError,
        }),
        (q) => q.close(),
      );
    } else {
      queue = opened.add(
        'scenario queue',
        new InProcessJobQueue('simulate-run', { onError: (error) => onError(error) }),
        (q) => q.close(),
      );
      runStatusEvents = opened.add('run status events', new InProcessRunStatusEvents(), (events) =>
        events.close(),
      );
      deliveryQueue = opened.add(
        'webhook delivery queue',
        new InProcessJobQueue('deliver-webhook', {
          retry: deliveryRetries,
          onError: (error) => onError(error),
        }),
        (q) => q.close(),
      );
      gradingQueue = opened.add(
        'grading queue',
        new InProcessJobQueue('grade-submission', { onError: (error) => onError(error) }),
        (q) => q.close(),
      );
    }
    const prisma = database.prisma;
    const { cipher, secretsUnavailable } = openSecretCipher({
      secretKey: config.secretKey,
      embedded: !config.redisUrl,
      warn: options.warn,
    });
    const exercises = new ExerciseRepository(prisma);
    const endpoints = new WebhookEndpointRepository(database, cipher);
    const webhookEvents = new WebhookEventRepository(database);
    const ltiPlatforms = new LtiPlatformRepository(prisma, cipher);
    return {
      mode: { database: database.mode, queue: config.redisUrl ? 'redis' : 'in-process' },
      database,
      tenants: new TenantRepository(prisma),
      apiKeys: new ApiKeyRepository(prisma),
      learnerSessions: new LearnerSessionRepository(prisma),
      shareLinks: new ShareLinkRepository(prisma),
      sandboxes: new SandboxRepository(database),
      runs: new RunRepository(database),
      outbox: new OutboxRepository(database),
      status: new ServiceStatusRepository(prisma),
      exercises,
      endpoints,
      webhookEvents,
      tenantEvents: new TenantEventRepository(prisma),
      ltiPlatforms,
      ltiLaunches: new LtiLaunchRepository(prisma, cipher),
      queue,
      deliveryQueue,
      gradingQueue,
      grading: {
        gradingQueue,
        deliveryQueue,
        database,
        exercises,
        endpoints,
        events: webhookEvents,
        ltiPlatforms,
      },
      runStatusEvents,
      secretsUnavailable: secretsUnavailable ?? '',
      redis,
      redisKeyPrefix: options.queuePrefix ?? 'netplay',
      close: () => opened.closeAll(),
    };
  } catch (error) {
    await opened.closeAll();
    throw error;
  }
}
