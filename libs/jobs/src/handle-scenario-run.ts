// The scenario job: one run, from its id to exactly one visible outcome. The queue delivers at
// least once (a retry, a stalled job re-delivered while its first worker still runs, the
// reconciler re-enqueueing after Redis lost the job), so every step is safe to repeat: claim and
// complete are compare-and-set in the database, and only one completion of a run can win.
// Used by the worker process and, in embedded mode, in-process by the API.
import type { RunStatus } from '@netplay/contracts';
import { isTerminalRunStatus } from '@netplay/contracts';
import type {
  ClaimOptions,
  ClaimResult,
  CompleteOptions,
  Completion,
  RunOutcome,
  RunRecord,
} from '@netplay/db';
import type { EngineIssue, ScenarioResult } from '@netplay/engine';
import { failpointHold, FAILPOINTS, SLOW_RUN_HOLD_MS } from '@netplay/queue';
import {
  ScenarioEngine,
  type RevisionReader,
  type SimulatedRun,
} from './engine-pool/scenario-engine';
import { RunAnnouncer, type RunStatusPublisher } from './run-announcer';
import type { RunCompletedPublisher } from './run-completed-event';
import { formatIssues, scenarioSteps } from './scenario-run-input';

export interface ScenarioRunDeps {
  runs: {
    getForWorker(id: string): Promise<RunRecord | undefined>;
    claim(runId: string, options?: ClaimOptions): Promise<ClaimResult>;
    complete(runId: string, outcome: RunOutcome, options?: CompleteOptions): Promise<Completion>;
    /** The stored result of a finished run: `run.completed` is rebuilt from it on a repeated delivery. */
    getResult(tenantId: string, runId: string): Promise<unknown>;
  };
  revisions: RevisionReader;
  events: RunStatusPublisher;
  now?: () => Date;
  /**
   * Runs the engine (ScenarioEngine: the pool with its budget, the revisions' text, quick runs of
   * small clusters inline). Shared across runs; without it each run is simulated inline afresh.
   */
  engine?: ScenarioEngine;
  /** Publishes the `run.completed` webhook event; without it no event is published. */
  webhooks?: RunCompletedPublisher;
}

export type ScenarioRunOutcome =
  /** No run has this id (its tenant was deleted, or the id is not a run's). */
  | { kind: 'missing' }
  /** The run was finished before this delivery; its status was announced again. */
  | { kind: 'already-finished'; status: RunStatus }
  /** Another delivery holds the run. */
  | { kind: 'not-claimed'; status?: RunStatus }
  /** This delivery finished the run. */
  | { kind: 'completed'; status: 'succeeded' | 'failed'; error?: string }
  /** This delivery ran the engine but another one finished first; its outcome was discarded. */
  | { kind: 'superseded' };

/** What a run's result row holds: the engine's ScenarioResult. */
export type StoredScenarioResult = ScenarioResult;

/** `startedAt < now + 1 ms`: every running run, also one claimed within the same millisecond. */
const RECLAIM_ANY_RUNNING_RUN_MS = -1;

/**
 * Handles one delivery of a run: load (claim the row), engine, complete, announce. Resolves with
 * what happened; rejects only for what a retry can fix (the database or Redis unreachable), so
 * the queue retries it. `replyTo`: the API process waiting on the run, sent the finished row.
 */
export async function handleScenarioRun(
  deps: ScenarioRunDeps,
  runId: string,
  delivery: { replyTo?: string } = {},
): Promise<ScenarioRunOutcome> {
  const now = deps.now ?? (() => new Date());
  const announcer = new RunAnnouncer(deps);
  // Load. Claim first: on the common path (a queued run) the claim's own read is the only one.
  // Job id = run id, so at most one job exists per run: a delivery that finds the run `running`
  // means the job that held it is gone (its worker died and the job stalled, the handler threw
  // after claiming, or Redis lost the job and the reconciler enqueued it again). Taking it over at
  // once is safe because completion is a compare-and-set: if the first execution is in fact still
  // alive (an event-loop stall longer than the lock), only one of the two can finish the run.
  const claim = await deps.runs.claim(runId, {
    reclaimRunningAfterMs: RECLAIM_ANY_RUNNING_RUN_MS,
    now: now(),
  });
  if (!claim.claimed) {
    if (claim.status === undefined) return { kind: 'missing' };
    if (!isTerminalRunStatus(claim.status)) return { kind: 'not-claimed', status: claim.status };
    // A retry after a failed publish lands here: announcing again is harmless.
    const finished = await deps.runs.getForWorker(runId);
    if (finished)
      await announcer.repeat(finished, claim.status, now(), () =>
        deps.runs.getResult(finished.tenantId, finished.id),
      );
    return { kind: 'already-finished', status: claim.status };
  }
  const { run } = claim;
  const steps = scenarioSteps(run.steps);
  const engine = deps.engine ?? new ScenarioEngine();
  const claimed = announcer.claimed(run, now(), {
    quick: steps.ok && engine.isQuick(run.sandboxRevisionId, steps.steps),
    replyTo: delivery.replyTo,
  });

  await failpointHold(FAILPOINTS.slowRun, SLOW_RUN_HOLD_MS);
  // Engine. Steps first, so an invalid run fails with its own issues whatever its revision holds.
  const simulated: SimulatedRun = steps.ok
    ? await engine.simulate(run.tenantId, run.sandboxRevisionId, steps.steps, deps.revisions)
    : failedWith(steps.issues);
  await claimed.runningAnnounced();

  // Complete: a compare-and-set on `running`, writing the result row in the same statement.
  const finishedAt = now();
  const completion = await deps.runs.complete(
    runId,
    simulated.status === 'succeeded'
      ? { status: 'succeeded' }
      : { status: 'failed', error: simulated.error ?? '' },
    {
      now: finishedAt,
      subscribersOf: announcer.subscribersOf,
      resultsJson: simulated.resultJson ?? undefined,
    },
  );
  if (!completion.finished) return { kind: 'superseded' };

  // Announce.
  await claimed.finished(simulated, { finishedAt, subscriberIds: completion.subscriberIds });
  return simulated.status === 'succeeded'
    ? { kind: 'completed', status: 'succeeded' }
    : { kind: 'completed', status: 'failed', error: simulated.error };
}

/** A run whose steps do not read: failed with their issues, which are also its result. */
function failedWith(issues: readonly EngineIssue[]): SimulatedRun {
  const errors = issues.filter((issue) => issue.severity === 'error');
  return {
    status: 'failed',
    error: formatIssues(errors.length > 0 ? errors : issues),
    resultJson: JSON.stringify({ issues, steps: [] }),
  };
}
