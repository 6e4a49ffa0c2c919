// The repositories and queues behind exercises, submissions and webhooks, opened the same way by
// the API and the worker: BullMQ `grading` and `webhook-delivery` queues on Redis (the API
// produces, workers consume), or in-process queues (embedded mode: the API consumes itself).
import {
  ExerciseRepository,
  LtiPlatformRepository,
  OutboxRepository,
  SecretCipher,
  secretCipherFromEnv,
  TenantEventRepository,
  WebhookEndpointRepository,
  WebhookEventRepository,
  type Database,
} from '@netplay/db';
import { randomBytes } from 'node:crypto';
import { BullmqGradingQueue, InProcessGradingQueue, type GradingQueue } from '@netplay/queue';
import {
  BullmqWebhookDeliveryQueue,
  deliverWebhook,
  InProcessWebhookDeliveryQueue,
  publishWebhookEvent,
  type DeliveryLogLine,
  type WebhookDeliveryQueue,
  type WebhookEventData,
  type WebhookEventType,
} from '@netplay/webhooks';
import { GradingDispatcher, type GradingDispatcherOptions } from './grading-dispatcher';
import { handleSubmissionGrade, type SubmissionGradeDeps } from './handle-submission-grade';
import { passBackSubmissionScore } from './lti-score-passback';
import type { WebhookSettings } from './webhook-settings';

export interface GradingRuntimeOptions {
  database: Database;
  /** Absent: in-process queues. */
  redisUrl?: string;
  /** BullMQ key prefix; the API and the workers of a deployment share it. */
  queuePrefix?: string;
  settings: WebhookSettings;
  env?: Record<string, string | undefined>;
  onError?: (error: unknown) => void;
  warn?: (message: string) => void;
  deliveryLog?: (line: DeliveryLogLine) => void;
  /** Timers of the submission outbox relay and reconciler (defaults in grading-dispatcher.ts). */
  dispatch?: Omit<GradingDispatcherOptions, 'onError'>;
}

export interface GradingRuntime {
  exercises: ExerciseRepository;
  endpoints: WebhookEndpointRepository;
  events: WebhookEventRepository;
  tenantEvents: TenantEventRepository;
  /** LTI platform registrations (tool private keys encrypted with the endpoint-secret cipher). */
  ltiPlatforms: LtiPlatformRepository;
  gradingQueue: GradingQueue;
  /** Relays submission outbox events to `gradingQueue` and reconciles lost jobs; started on open. */
  gradingDispatcher: GradingDispatcher;
  deliveryQueue: WebhookDeliveryQueue;
  settings: WebhookSettings;
  inProcess: boolean;
  /**
   * Why endpoint secrets cannot be stored (NETPLAY_SECRET_KEY missing outside embedded mode), or
   * undefined. The API then refuses to create endpoints instead of refusing to start.
   */
  secretsUnavailable?: string;
  publish<Type extends WebhookEventType>(
    tenantId: string,
    type: Type,
    data: WebhookEventData[Type],
    dedupeKey?: string,
    knownSubscriberIds?: readonly string[],
  ): Promise<unknown>;
  /** Takes grading and delivery jobs in this process (a worker, or the API in embedded mode). */
  startConsumers(options?: { gradingConcurrency?: number }): void;
  close(): Promise<void>;
}

export async function openGradingRuntime(options: GradingRuntimeOptions): Promise<GradingRuntime> {
  const { database, settings } = options;
  const { prisma } = database;
  const onError = options.onError ?? (() => undefined);
  const { cipher, secretsUnavailable } = openCipher(options);
  const exercises = new ExerciseRepository(prisma);
  const endpoints = new WebhookEndpointRepository(database, cipher);
  const events = new WebhookEventRepository(database);
  const ltiPlatforms = new LtiPlatformRepository(prisma, cipher);
  let gradingQueue: GradingQueue;
  let deliveryQueue: WebhookDeliveryQueue;
  if (options.redisUrl) {
    gradingQueue = await BullmqGradingQueue.connect({
      redisUrl: options.redisUrl,
      prefix: options.queuePrefix,
      onError,
    });
    try {
      deliveryQueue = await BullmqWebhookDeliveryQueue.connect({
        redisUrl: options.redisUrl,
        prefix: options.queuePrefix,
        schedule: settings.schedule,
        onError,
      });
    } catch (error) {
      await gradingQueue.close();
      throw error;
    }
  } else {
    gradingQueue = new InProcessGradingQueue(onError);
    deliveryQueue = new InProcessWebhookDeliveryQueue(settings.schedule, onError);
  }
  const publish: GradingRuntime['publish'] = (
    tenantId,
    type,
    data,
    dedupeKey,
    knownSubscriberIds,
  ) =>
    publishWebhookEvent(
      tenantId,
      type,
      data,
      { endpoints, events, queue: deliveryQueue },
      dedupeKey,
      knownSubscriberIds,
    );
  const gradeDeps: SubmissionGradeDeps = {
    exercises,
    publishGraded: (tenantId, data, dedupeKey) =>
      publish(tenantId, 'submission.graded', data, dedupeKey),
    passBackScore: (submission) =>
      passBackSubmissionScore(
        { platforms: ltiPlatforms, submissions: exercises, policy: settings.policy },
        submission,
      ),
  };
  const gradingDispatcher = new GradingDispatcher(
    new OutboxRepository(database),
    exercises,
    gradingQueue,
    { ...options.dispatch, onError },
  );
  gradingDispatcher.start();
  return {
    exercises,
    endpoints,
    events,
    tenantEvents: new TenantEventRepository(prisma),
    ltiPlatforms,
    gradingQueue,
    gradingDispatcher,
    deliveryQueue,
    settings,
    inProcess: !options.redisUrl,
    secretsUnavailable,
    publish,
    startConsumers(consumerOptions = {}) {
      gradingQueue.consume(
        async (submissionId) => void (await handleSubmissionGrade(gradeDeps, submissionId)),
        { concurrency: consumerOptions.gradingConcurrency },
      );
      deliveryQueue.consume((job) =>
        deliverWebhook(job, {
          endpoints,
          events,
          policy: settings.policy,
          disableAfterFailures: settings.disableAfterFailures,
          log: options.deliveryLog,
        }),
      );
    },
    async close() {
      await gradingDispatcher.stop().catch(onError);
      await gradingQueue.close().catch(onError);
      await deliveryQueue.close().catch(onError);
    },
  };
}

function openCipher(options: GradingRuntimeOptions): {
  cipher: SecretCipher;
  secretsUnavailable?: string;
} {
  try {
    return {
      cipher: secretCipherFromEnv({
        env: options.env,
        embedded: !options.redisUrl,
        warn: options.warn,
      }),
    };
  } catch (error) {
    // A throwaway key: nothing can be encrypted with it for later, so creating endpoints is refused.
    return {
      cipher: SecretCipher.fromKey(randomBytes(32)),
      secretsUnavailable: error instanceof Error ? error.message : String(error),
    };
  }
}
