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

/**
 * Prefix of the pub/sub channel of one API process: `<prefix><reply address>`. A worker that
 * finishes a run whose job names a reply address publishes a `FinishedRunReply` there, before the
 * status event, so the process waiting on the run answers without reading it back.
 */
export const RUN_REPLY_CHANNEL_PREFIX = 'netplay:run-reply:';

/** The committed outcome of a run, as the completing worker wrote it. */
export interface FinishedRun {
  status: 'succeeded' | 'failed';
  attempts: number;
  startedAt: string;
  finishedAt: string;
  error: string | null;
  /** The stored result row's JSON text; null when the run has none. */
  resultJson: string | null;
}

export interface FinishedRunReply {
  runId: string;
  tenantId: string;
  run: FinishedRun;
}
