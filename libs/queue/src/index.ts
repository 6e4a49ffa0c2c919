// @netplay/queue: the scenario queue (BullMQ and in-process drivers), the outbox relay and the run reconciler.
export * from './scenario-queue';
export { BullmqScenarioQueue, type BullmqQueueOptions } from './bullmq-scenario-queue';
export { InProcessScenarioQueue, type InProcessQueueOptions } from './in-process-scenario-queue';
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
export {
  OutboxRelayLoop,
  RelayLoop,
  DEFAULT_RELAY_INTERVAL_MS,
  type OutboxRelayLoopOptions,
} from './outbox-relay-loop';
export { relayGradingOutbox, type GradingOutboxSource } from './grading-outbox-relay';
export { reconcileSubmissions, type QueuedSubmissionSource } from './submission-reconciler';
export {
  BullmqGradingQueue,
  InProcessGradingQueue,
  type BullmqGradingQueueOptions,
  type GradingJobHandler,
  type GradingQueue,
} from './grading-queue';
export * from './bullmq-connections';
