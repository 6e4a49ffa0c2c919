// The public shape of a run, shared by REST and GraphQL. Traces appear only on a single run read
// (`result`), never in lists: they can be large and live in their own table.
import type { RunRecord, RunRevisionRef } from '@netplay/db';
import type { FinishedRun, RunStatus } from '@netplay/contracts';
import { StoredJson } from './stored-json';

export interface RunView {
  id: string;
  status: RunStatus;
  sandboxId: string | null;
  sandboxVersion: number | null;
  sandboxRevisionId: string;
  steps: unknown;
  attempts: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Milliseconds from submit to start and from start to finish, when known. */
  queuedMs: number | null;
  runMs: number | null;
}

export interface RunWithResult extends RunView {
  /** The engine's ScenarioResult (`{issues, steps}`) once the run is terminal; null before. */
  result: StoredJson | null;
}

export function toRunView(run: RunRecord, ref: RunRevisionRef | undefined): RunView {
  return {
    id: run.id,
    status: run.status,
    sandboxId: ref?.sandboxId ?? null,
    sandboxVersion: ref?.sandboxVersion ?? null,
    sandboxRevisionId: run.sandboxRevisionId,
    steps: run.steps,
    attempts: run.attempts,
    error: run.error,
    ...timings(run.createdAt, run.startedAt, run.finishedAt),
  };
}

/** The view of a run as submitted, updated with its committed outcome (a worker's reply). */
export function finishedRunView(submitted: RunView, finished: FinishedRun): RunWithResult {
  return {
    ...submitted,
    status: finished.status,
    attempts: finished.attempts,
    error: finished.error,
    ...timings(
      new Date(submitted.createdAt),
      new Date(finished.startedAt),
      new Date(finished.finishedAt),
    ),
    result: finished.resultJson === null ? null : new StoredJson(finished.resultJson),
  };
}

function timings(
  createdAt: Date,
  startedAt: Date | null,
  finishedAt: Date | null,
): Pick<RunView, 'createdAt' | 'startedAt' | 'finishedAt' | 'queuedMs' | 'runMs'> {
  return {
    createdAt: createdAt.toISOString(),
    startedAt: startedAt?.toISOString() ?? null,
    finishedAt: finishedAt?.toISOString() ?? null,
    queuedMs: startedAt ? startedAt.getTime() - createdAt.getTime() : null,
    runMs: startedAt && finishedAt ? finishedAt.getTime() - startedAt.getTime() : null,
  };
}
