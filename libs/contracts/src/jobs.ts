// Queue names, job names and outbox event kinds are persisted (in Redis keys, job records and the
// outbox table): never rename one casually; add a new name and migrate instead.

export const QUEUE_NAMES = {
  scenario: 'scenario',
  webhookDelivery: 'webhook-delivery',
  grading: 'grading',
} as const;
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Payloads carry ids only: the handler reads the rows (job data sits in Redis in clear text). */
export interface JobPayloads {
  /**
   * `replyTo`: the reply address of the API process holding the run's `?wait=true` request; the
   * worker sends it the finished run directly (run-events.ts). Absent when nobody waits.
   */
  'simulate-run': { runId: string; replyTo?: string };
  /** One attempt series of one webhook event to one endpoint (libs/webhooks). */
  /** `tenantId` keys the per-tenant delivery cap; jobs queued before it existed fall back to the endpoint. */
  'deliver-webhook': { eventId: string; endpointId: string; tenantId?: string };
  /** Grades one exercise submission (libs/jobs handleSubmissionGrade). */
  'grade-submission': { submissionId: string };
}
export type JobName = keyof JobPayloads;

export const JOBS: { readonly [Name in JobName]: { readonly queue: QueueName } } = {
  'simulate-run': { queue: QUEUE_NAMES.scenario },
  'deliver-webhook': { queue: QUEUE_NAMES.webhookDelivery },
  'grade-submission': { queue: QUEUE_NAMES.grading },
};

export const OUTBOX_EVENT_KINDS = {
  runEnqueue: 'run.enqueue',
  submissionGrade: 'submission.grade',
} as const;
export type OutboxEventKind = (typeof OUTBOX_EVENT_KINDS)[keyof typeof OUTBOX_EVENT_KINDS];

export interface OutboxPayloads {
  'run.enqueue': { runId: string };
  'submission.grade': { submissionId: string };
}
