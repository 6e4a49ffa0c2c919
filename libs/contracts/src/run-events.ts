// Run status changes, published by whoever moves a run (the worker's claim/complete, the
// reconciler's give-up) and read by the API's `?wait=true` and GraphQL subscription.
// The channel name is persisted (processes of different versions share it): never rename it.
import type { RunStatus } from './run-status';

/** Redis pub/sub channel for every run's status changes; the payload is a JSON `RunStatusChangedEvent`. */
export const RUN_STATUS_CHANNEL = 'netplay:run-status';

export interface RunStatusChangedEvent {
  runId: string;
  tenantId: string;
  status: RunStatus;
  /** ISO-8601 time of the change. */
  at: string;
}
