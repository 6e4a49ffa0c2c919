// The public shape of a run, shared by REST and GraphQL. Traces appear only on a single run read
// (`result`), never in lists: they can be large and live in their own table.
import type { RunRecord, RunRevisionRef } from '@netplay/db';
import type { RunStatus } from '@netplay/contracts';
import type { StoredJson } from './stored-json';

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
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    queuedMs: run.startedAt ? run.startedAt.getTime() - run.createdAt.getTime() : null,
    runMs: run.startedAt && run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
  };
}
