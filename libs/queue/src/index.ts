// @netplay/queue: the job queue keyed by job name (BullMQ and in-process drivers), the outbox
// dispatcher (relays and reconcilers) and the run status channel.
export * from './job-queue';
export { BullmqJobQueue, probeRedis, type BullmqJobQueueOptions } from './bullmq-job-queue';
export { InProcessJobQueue, type InProcessJobQueueOptions } from './in-process-job-queue';
export {
  DIRECT_ENQUEUE_GRACE_MS,
  relayOutbox,
  type OutboxSource,
  type RelayOptions,
  type RelayReport,
} from './outbox-relay';
export {
  reconcileRuns,
  DEFAULT_RECONCILE_MIN_AGE_MS,
  MAX_REENQUEUES_AFTER_ERRORS,
  QUEUE_GAVE_UP_ERROR,
  type ReconcileOptions,
  type ReconcileReport,
  type UnfinishedRunSource,
} from './run-reconciler';
export {
  InProcessRunStatusEvents,
  RedisRunStatusEvents,
  type RedisRunStatusEventsOptions,
  type RunStatusEvents,
  type RunStatusListener,
} from './run-status-events';
export { RelayLoop, DEFAULT_RELAY_INTERVAL_MS, type RelayLoopOptions } from './outbox-relay-loop';
export {
  OutboxDispatcher,
  DEFAULT_RECONCILE_INTERVAL_MS,
  type OutboxDispatcherOptions,
  type OutboxKindSources,
} from './outbox-dispatcher';
export { relayGradingOutbox, type GradingOutboxSource } from './grading-outbox-relay';
export { reconcileSubmissions, type QueuedSubmissionSource } from './submission-reconciler';
export { PeriodicPass, type PeriodicPassOptions } from './periodic-pass';
export * from './bullmq-connections';
export {
  failpoint,
  failpointHold,
  FAILPOINTS,
  FAILPOINT_ENV,
  SLOW_RUN_HOLD_MS,
  type Failpoint,
} from './failpoint';
export {
  REQUIRED_EVICTION_POLICY,
  evictionPolicyIn,
  redisEvictionProblem,
} from './redis-eviction-policy';
