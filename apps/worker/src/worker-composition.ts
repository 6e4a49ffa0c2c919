// The worker's composition root: the one place it opens connections (PostgreSQL, migrated by the
// deploy step or the API, never by a worker; the scenario, delivery and grading queues and the run
// status channel on Redis) and closes them, in reverse order of opening, after every service's
// onModuleDestroy (consumers finished, loops stopped). Each repository, queue and event bus is a
// Nest provider of its own, so a service's constructor says exactly what it uses.
import {
  type Provider,
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  createPrismaClient,
  ExerciseRepository,
  LtiPlatformRepository,
  OutboxRepository,
  RunRepository,
  SandboxRepository,
  WebhookEndpointRepository,
  WebhookEventRepository,
  type DatabaseHandle,
  type SecretCipher,
} from '@netplay/db';
import {
  OpenedResources,
  openSecretCipher,
  webhookPublisher,
  type GradingSources,
} from '@netplay/jobs';
import {
  BullmqJobQueue,
  RedisRunStatusEvents,
  type JobQueue,
  type RunStatusEvents,
} from '@netplay/queue';
import { deliveryRetry } from '@netplay/webhooks';
import { WORKER_CONFIG, type WorkerConfig } from './worker-config';

export const DATABASE = Symbol('DATABASE');
export const SCENARIO_QUEUE = Symbol('SCENARIO_QUEUE');
export const RUN_STATUS_EVENTS = Symbol('RUN_STATUS_EVENTS');
export const DELIVERY_QUEUE = Symbol('DELIVERY_QUEUE');
/** GradingSources (@netplay/jobs): the queues and repositories the grading consumers use. */
export const GRADING_SOURCES = Symbol('GRADING_SOURCES');
/** publishWebhookEvent bound to the endpoint and message repositories and the delivery queue. */
export const WEBHOOK_PUBLISH = Symbol('WEBHOOK_PUBLISH');
/** Why stored webhook secrets cannot be decrypted (no NETPLAY_SECRET_KEY), or undefined. */
export const SECRETS_UNAVAILABLE = Symbol('SECRETS_UNAVAILABLE');
const CONNECTIONS = Symbol('CONNECTIONS');
const SECRET_CIPHER = Symbol('SECRET_CIPHER');

interface WorkerConnections {
  opened: OpenedResources;
  database: DatabaseHandle;
  scenarioQueue: JobQueue<'simulate-run'>;
  runStatusEvents: RunStatusEvents;
  deliveryQueue: JobQueue<'deliver-webhook'>;
  gradingQueue: JobQueue<'grade-submission'>;
}

/**
 * Opens in the order shutdown must reverse: grading publishes deliveries, so the grading queue
 * (whose close waits for its jobs) closes before the delivery queue; the database closes last.
 */
async function openWorkerConnections(config: WorkerConfig): Promise<WorkerConnections> {
  const logger = new Logger('Connections');
  const onError = (error: unknown) =>
    logger.warn(error instanceof Error ? error.message : String(error));
  const opened = new OpenedResources((name, error) =>
    logger.warn(`closing ${name} failed: ${String(error)}`),
  );
  const redis = { redisUrl: config.redisUrl, prefix: config.queuePrefix, onError };
  try {
    const database = opened.add(
      'database',
      await createPrismaClient({ databaseUrl: config.databaseUrl, onConnectionError: onError }),
      (handle) => handle.close(),
    );
    // Fails start-up when the database is unreachable instead of failing every job later.
    await database.prisma.$queryRaw`SELECT 1`;
    const scenarioQueue = opened.add(
      'scenario queue',
      await BullmqJobQueue.connect('simulate-run', redis),
      (queue) => queue.close(),
    );
    const runStatusEvents = opened.add(
      'run status events',
      new RedisRunStatusEvents({ redisUrl: config.redisUrl, onError }),
      (events) => events.close(),
    );
    const deliveryQueue = opened.add(
      'webhook delivery queue',
      await BullmqJobQueue.connect('deliver-webhook', {
        ...redis,
        retry: deliveryRetry(config.webhooks.schedule),
      }),
      (queue) => queue.close(),
    );
    const gradingQueue = opened.add(
      'grading queue',
      await BullmqJobQueue.connect('grade-submission', redis),
      (queue) => queue.close(),
    );
    return { opened, database, scenarioQueue, runStatusEvents, deliveryQueue, gradingQueue };
  } catch (error) {
    await opened.closeAll();
    throw error;
  }
}

/** Closes the connections last: Nest runs every onModuleDestroy (consumers, loops) before this. */
@Injectable()
class ConnectionsCloser implements OnApplicationShutdown {
  constructor(@Inject(CONNECTIONS) private readonly connections: WorkerConnections) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connections.opened.closeAll();
  }
}

/** A provider of one part of the connections. */
function part<Key extends keyof WorkerConnections>(token: symbol, key: Key): Provider {
  return { provide: token, useFactory: (c: WorkerConnections) => c[key], inject: [CONNECTIONS] };
}

export function workerProviders(config: WorkerConfig): Provider[] {
  return [
    { provide: WORKER_CONFIG, useValue: config },
    { provide: CONNECTIONS, useFactory: () => openWorkerConnections(config) },
    ConnectionsCloser,
    part(DATABASE, 'database'),
    part(SCENARIO_QUEUE, 'scenarioQueue'),
    part(RUN_STATUS_EVENTS, 'runStatusEvents'),
    part(DELIVERY_QUEUE, 'deliveryQueue'),
    {
      provide: SECRET_CIPHER,
      useFactory: () => openSecretCipher({ secretKey: config.secretKey, embedded: false }),
    },
    {
      provide: SECRETS_UNAVAILABLE,
      useFactory: (opened: { secretsUnavailable?: string }) => opened.secretsUnavailable ?? '',
      inject: [SECRET_CIPHER],
    },
    repository(RunRepository, (database) => new RunRepository(database)),
    repository(SandboxRepository, (database) => new SandboxRepository(database)),
    repository(OutboxRepository, (database) => new OutboxRepository(database)),
    repository(ExerciseRepository, (database) => new ExerciseRepository(database.prisma)),
    repository(WebhookEventRepository, (database) => new WebhookEventRepository(database)),
    repository(
      WebhookEndpointRepository,
      (database, cipher) => new WebhookEndpointRepository(database, cipher),
    ),
    repository(
      LtiPlatformRepository,
      (database, cipher) => new LtiPlatformRepository(database.prisma, cipher),
    ),
    {
      provide: GRADING_SOURCES,
      useFactory: (
        connections: WorkerConnections,
        exercises: ExerciseRepository,
        endpoints: WebhookEndpointRepository,
        events: WebhookEventRepository,
        ltiPlatforms: LtiPlatformRepository,
      ): GradingSources => {
        const { gradingQueue, deliveryQueue, database } = connections;
        return {
          gradingQueue,
          deliveryQueue,
          database,
          exercises,
          endpoints,
          events,
          ltiPlatforms,
        };
      },
      inject: [
        CONNECTIONS,
        ExerciseRepository,
        WebhookEndpointRepository,
        WebhookEventRepository,
        LtiPlatformRepository,
      ],
    },
    {
      provide: WEBHOOK_PUBLISH,
      useFactory: (
        endpoints: WebhookEndpointRepository,
        events: WebhookEventRepository,
        deliveryQueue: JobQueue<'deliver-webhook'>,
      ) => webhookPublisher({ endpoints, events, deliveryQueue }),
      inject: [WebhookEndpointRepository, WebhookEventRepository, DELIVERY_QUEUE],
    },
  ];
}

/** A repository provided under its class, made over the database (and the secret cipher). */
function repository<Repository>(
  type: abstract new (...args: never[]) => Repository,
  make: (database: DatabaseHandle, cipher: SecretCipher) => Repository,
): Provider {
  return {
    provide: type,
    useFactory: (database: DatabaseHandle, secrets: { cipher: SecretCipher }) =>
      make(database, secrets.cipher),
    inject: [DATABASE, SECRET_CIPHER],
  };
}
