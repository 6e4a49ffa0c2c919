// Queue names, job names and outbox event kinds are persisted (in Redis keys, job records and the
// outbox table): never rename one casually; add a new name and migrate instead.

export const QUEUE_NAMES = {
  scenario: 'scenario',
  webhookDelivery: 'webhook-delivery',
  grading: 'grading',
  /** Housekeeping on a schedule (retention); one job at a time across all workers. */
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Payloads carry ids only: the handler reads the rows (job data sits in Redis in clear text). */
export interface JobPayloads {
  /**
   * `replyTo`: the reply address of the API process holding the run's `?wait=true` request; the
   * worker sends it the finished run directly (run-events.ts). Absent when nobody waits.
   */
  'simulate-run': { runId: string; replyTo?: string };
  /**
   * One attempt series of one webhook event to one endpoint (libs/webhooks). `tenantId` keys the
   * per-tenant delivery cap; jobs queued before it existed fall back to the endpoint. `manual`: a
   * tenant asked for this one attempt (redelivery).
   */
  'deliver-webhook': { eventId: string; endpointId: string; tenantId?: string; manual?: boolean };
  /** Grades one exercise submission (libs/jobs handleSubmissionGrade). */
  'grade-submission': { submissionId: string };
  /** Deletes what the retention policy lets go (libs/jobs pruneExpired); no payload. */
  'prune-expired': Record<string, never>;
}
export type JobName = keyof JobPayloads;

export const JOBS: { readonly [Name in JobName]: { readonly queue: QueueName } } = {
  'simulate-run': { queue: QUEUE_NAMES.scenario },
  'deliver-webhook': { queue: QUEUE_NAMES.webhookDelivery },
  'grade-submission': { queue: QUEUE_NAMES.grading },
  'prune-expired': { queue: QUEUE_NAMES.maintenance },
};

/** How a failed attempt is followed by the next: BullMQ's exponential back-off, or a named custom one. */
export type JobBackoff =
  | { readonly type: 'exponential'; readonly delayMs: number }
  /**
   * The queue's owner supplies the attempts and the delay after each failure (a setting, such as
   * the webhook retry schedule); `name` is stored with each job in Redis.
   */
  | { readonly type: 'custom'; readonly name: string };

export interface JobRetryPolicy {
  /** Attempts a job makes before it fails for good; a custom back-off brings its own. */
  readonly attempts?: number;
  readonly backoff: JobBackoff;
  /**
   * How long finished jobs are kept. While a job is retained, adding its id again is a no-op, so
   * an outbox relay or reconciler can resend after a crash without duplicating work.
   */
  readonly keepCompletedSeconds: number;
  readonly keepFailedSeconds: number;
}

const DAY_SECONDS = 24 * 60 * 60;

/**
 * Retries, back-off and retention per job name. A handler throws only for what a retry can fix
 * (the database was briefly unreachable, a lock was lost), so a few attempts ride that out; the
 * webhook schedule is a setting (libs/webhooks retry-schedule.ts). The retention job is scheduled
 * with its own options (apps/worker retention.service.ts) and is not here.
 */
export const JOB_RETRY: { readonly [Name in Exclude<JobName, 'prune-expired'>]: JobRetryPolicy } = {
  'simulate-run': {
    attempts: 3,
    backoff: { type: 'exponential', delayMs: 1_000 },
    keepCompletedSeconds: DAY_SECONDS,
    keepFailedSeconds: 7 * DAY_SECONDS,
  },
  'grade-submission': {
    attempts: 3,
    backoff: { type: 'exponential', delayMs: 1_000 },
    keepCompletedSeconds: DAY_SECONDS,
    keepFailedSeconds: 7 * DAY_SECONDS,
  },
  'deliver-webhook': {
    backoff: { type: 'custom', name: 'webhook-schedule' },
    keepCompletedSeconds: DAY_SECONDS,
    keepFailedSeconds: 7 * DAY_SECONDS,
  },
};
export type QueuedJobName = keyof typeof JOB_RETRY;

/** The BullMQ job scheduler (repeatable job) id of the retention job: persisted in Redis. */
export const RETENTION_SCHEDULER_ID = 'retention';

export const OUTBOX_EVENT_KINDS = {
  runEnqueue: 'run.enqueue',
  submissionGrade: 'submission.grade',
} as const;
export type OutboxEventKind = (typeof OUTBOX_EVENT_KINDS)[keyof typeof OUTBOX_EVENT_KINDS];

export interface OutboxPayloads {
  'run.enqueue': { runId: string };
  'submission.grade': { submissionId: string };
}
