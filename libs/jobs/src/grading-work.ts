// What a process does with exercises' submissions and webhook messages once its composition root
// has opened the repositories and queues: publish messages, take grading and delivery jobs (a
// worker, or the API in embedded mode) and dispatch (the submission outbox's relay and reconciler,
// and the webhook delivery reconciler). Each piece takes exactly what it uses.
import {
  DatabaseClock,
  type Database,
  type ExerciseRepository,
  type LtiPlatformRepository,
  type OutboxRepository,
  type WebhookEndpointRepository,
  type WebhookEventRepository,
} from '@netplay/db';
import {
  DEFAULT_RECONCILE_INTERVAL_MS,
  OutboxDispatcher,
  PeriodicPass,
  type JobQueue,
} from '@netplay/queue';
import {
  consumeDeliveries,
  deliverWebhook,
  publishWebhookEvent,
  reconcileWebhookDeliveries,
  type DeliveryLogLine,
  type DeliveryReconcileReport,
  type WebhookEventData,
  type WebhookEventType,
} from '@netplay/webhooks';
import { handleSubmissionGrade, type SubmissionGradeDeps } from './handle-submission-grade';
import type { EngineTaskRunner } from './engine-pool/scenario-engine';
import { passBackSubmissionScore } from './lti-score-passback';
import type { WebhookSettings } from './webhook-settings';

/** Stores a message and schedules its deliveries (publishWebhookEvent, bound). */
export type WebhookPublish = <Type extends WebhookEventType>(
  tenantId: string,
  type: Type,
  data: WebhookEventData[Type],
  dedupeKey?: string,
  knownSubscriberIds?: readonly string[],
) => Promise<unknown>;

export function webhookPublisher(deps: {
  endpoints: WebhookEndpointRepository;
  events: WebhookEventRepository;
  deliveryQueue: JobQueue<'deliver-webhook'>;
}): WebhookPublish {
  const { endpoints, events, deliveryQueue } = deps;
  return (tenantId, type, data, dedupeKey, knownSubscriberIds) =>
    publishWebhookEvent(
      tenantId,
      type,
      data,
      { endpoints, events, queue: deliveryQueue },
      dedupeKey,
      knownSubscriberIds,
    );
}

/**
 * What the grading and delivery consumers read and write, as a composition root opened it: each
 * root provides this one object (the API's Infrastructure.grading, the worker's GRADING_SOURCES).
 */
export interface GradingSources {
  gradingQueue: JobQueue<'grade-submission'>;
  deliveryQueue: JobQueue<'deliver-webhook'>;
  /** Read for its clock: signatures carry the database's time, not this host's. */
  database: Database;
  exercises: ExerciseRepository;
  endpoints: WebhookEndpointRepository;
  events: WebhookEventRepository;
  ltiPlatforms: LtiPlatformRepository;
}

export interface GradingConsumerOptions {
  settings: WebhookSettings;
  /** The process's engine pool: grading runs there, within its budget (inline without it). */
  engine?: EngineTaskRunner;
  gradingConcurrency?: number;
  warn?: (message: string) => void;
  deliveryLog?: (line: DeliveryLogLine) => void;
}

/** The consumers started by startGradingConsumers; the queues' close() waits for their jobs. */
export interface GradingConsumers {
  /** Stops re-reading the database's clock (the queues close after, in the composition root). */
  stop(): void;
}

/**
 * Takes grading and delivery jobs in this process: a worker, or the API in embedded mode (the one
 * composition both use, and the tests too).
 */
export function startGradingConsumers(
  sources: GradingSources,
  options: GradingConsumerOptions,
): GradingConsumers {
  const { exercises, endpoints, events, ltiPlatforms } = sources;
  const { settings } = options;
  const publish = webhookPublisher(sources);
  const warn = options.warn ?? (() => undefined);
  // Receivers refuse timestamps 5 minutes off theirs, so signatures follow the database's clock.
  const clock = new DatabaseClock(sources.database.sql, {
    onError: (error) => warn(`reading the database's clock failed: ${String(error)}`),
    onSkew: (offsetMs) =>
      warn(
        `this host's clock is ${Math.abs(Math.round(offsetMs / 1000))} s ${offsetMs < 0 ? 'ahead of' : 'behind'} the database's: webhook timestamps follow the database; fix the host's NTP`,
      ),
  });
  const gradeDeps: SubmissionGradeDeps = {
    exercises,
    engine: options.engine,
    publishGraded: (
      tenantId: string,
      data: WebhookEventData['submission.graded'],
      dedupeKey: string,
    ) => publish(tenantId, 'submission.graded', data, dedupeKey),
    passBackScore: (submission: Parameters<typeof passBackSubmissionScore>[1]) =>
      passBackSubmissionScore(
        { platforms: ltiPlatforms, submissions: exercises, policy: settings.policy },
        submission,
      ),
  };
  sources.gradingQueue.consume(
    async ({ payload }) => void (await handleSubmissionGrade(gradeDeps, payload.submissionId)),
    { concurrency: options.gradingConcurrency },
  );
  consumeDeliveries(sources.deliveryQueue, (job) =>
    deliverWebhook(job, {
      endpoints,
      events,
      policy: settings.policy,
      disableAfterFailures: settings.disableAfterFailures,
      log: options.deliveryLog,
      now: clock.now,
    }),
  );
  void clock.start();
  return { stop: () => clock.stop() };
}

export interface GradingDispatchOptions {
  relayIntervalMs?: number;
  reconcileIntervalMs?: number;
  /** Submissions and webhook messages younger than this are left alone by the reconcilers. */
  reconcileMinAgeMs?: number;
  onError?: (error: unknown) => void;
  /** Told of each delivery reconcile pass that put lost deliveries on the queue again. */
  onDeliveriesRebuilt?: (report: DeliveryReconcileReport) => void;
}

/**
 * The submission outbox's dispatcher and the webhook delivery reconciler, started and stopped
 * together: every process that produces submissions or messages runs both.
 */
export class GradingDispatch {
  readonly submissions: OutboxDispatcher;
  private readonly deliveries: PeriodicPass<DeliveryReconcileReport>;

  constructor(
    deps: {
      outbox: OutboxRepository;
      exercises: ExerciseRepository;
      gradingQueue: JobQueue<'grade-submission'>;
      events: WebhookEventRepository;
      deliveryQueue: JobQueue<'deliver-webhook'>;
      settings: WebhookSettings;
    },
    options: GradingDispatchOptions = {},
  ) {
    this.submissions = OutboxDispatcher.for(
      'submission.grade',
      { outbox: deps.outbox, records: deps.exercises, queue: deps.gradingQueue },
      {
        relayIntervalMs: options.relayIntervalMs,
        reconcileIntervalMs: options.reconcileIntervalMs,
        reconcileMinAgeMs: options.reconcileMinAgeMs,
        onRelayError: options.onError,
        onReconcileError: options.onError,
      },
    );
    // Deliveries whose job Redis lost (or, embedded, a restart forgot) are rebuilt from the database.
    this.deliveries = new PeriodicPass(
      () =>
        reconcileWebhookDeliveries(deps.events, deps.deliveryQueue, {
          schedule: deps.settings.schedule,
          minAgeMs: options.reconcileMinAgeMs,
        }),
      {
        intervalMs: options.reconcileIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS,
        onReport: (report) => {
          if (report.rebuilt.length > 0) options.onDeliveriesRebuilt?.(report);
        },
        onError: options.onError,
      },
    );
  }

  start(): void {
    this.submissions.start();
    this.deliveries.start();
  }

  /** Relays submissions now (the submit path calls it right after committing). */
  nudge(): void {
    this.submissions.nudge();
  }

  async stop(): Promise<void> {
    await Promise.all([this.submissions.stop(), this.deliveries.stop()]);
  }
}
