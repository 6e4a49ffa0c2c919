// The scenario job: one run, from its id to exactly one visible outcome. The queue delivers at
// least once (a retry, a stalled job re-delivered while its first worker still runs, the
// reconciler re-enqueueing after Redis lost the job), so every step is safe to repeat: claim and
// complete are compare-and-set in the database, and only one completion of a run can win.
// Used by the worker process and, in embedded mode, in-process by the API.
import type { FinishedRun, RunStatusChangedEvent, RunStatus } from '@netplay/contracts';
import { isTerminalRunStatus } from '@netplay/contracts';
import type {
  ClaimOptions,
  ClaimResult,
  CompleteOptions,
  Completion,
  RunOutcome,
  RunRecord,
  SandboxRevisionRecord,
} from '@netplay/db';
import {
  isReadingStep,
  loadCluster,
  runSteps,
  type EngineIssue,
  type InputLimits,
  type LoadResult,
  type ScenarioResult,
} from '@netplay/engine';
import type { CachedRevision, RevisionClusterCache } from './revision-cluster-cache';
import {
  runCompletedData,
  runCompletedDedupeKey,
  storedRunOutcome,
  type RunCompletedPublisher,
} from './run-completed-event';
import { formatIssues, revisionManifests, scenarioSteps } from './scenario-run-input';

export interface ScenarioRunDeps {
  runs: {
    getForWorker(id: string): Promise<RunRecord | undefined>;
    claim(runId: string, options?: ClaimOptions): Promise<ClaimResult>;
    complete(runId: string, outcome: RunOutcome, options?: CompleteOptions): Promise<Completion>;
    /** The stored result of a finished run: `run.completed` is rebuilt from it on a repeated delivery. */
    getResult(tenantId: string, runId: string): Promise<unknown>;
  };
  revisions: { getRevisionForWorker(id: string): Promise<SandboxRevisionRecord | undefined> };
  events: {
    publish(
      changes: RunStatusChangedEvent | readonly RunStatusChangedEvent[],
      reply?: { to: string; finished: FinishedRun },
    ): Promise<void>;
  };
  now?: () => Date;
  /** The engine's input limits for hosted runs (the engine's defaults otherwise). */
  limits?: Partial<InputLimits>;
  /**
   * Loaded clusters per revision id, kept across runs (revisions are immutable). With it a run of
   * a revision seen before skips reading the revision and loading its cluster. The limits must be
   * the same for every run that shares one cache.
   */
  clusterCache?: RevisionClusterCache;
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

/** More steps than this, and a run announces 'running' before its engine starts. */
const QUICK_RUN_MAX_STEPS = 10;

type ScenarioStepsInput = ReturnType<typeof scenarioSteps>;

/** The webhook event a completion announces (docs/webhooks.md). */
const RUN_COMPLETED = 'run.completed';

export const MISSING_REVISION_ERROR = 'internal: the sandbox revision of this run no longer exists';
export const ENGINE_CRASH_ERROR_PREFIX = 'internal: the engine failed';

/**
 * Handles one delivery of a run. Resolves with what happened; rejects only for what a retry can
 * fix (the database or Redis unreachable), so the queue retries it.
 */
export async function handleScenarioRun(
  deps: ScenarioRunDeps,
  runId: string,
  delivery: { replyTo?: string } = {},
): Promise<ScenarioRunOutcome> {
  const now = deps.now ?? (() => new Date());
  // Claim first: on the common path (a queued run) the claim's own read is the only one. Job id =
  // run id, so at most one job exists per run: a delivery that finds the run `running` means the
  // job that held it is gone (its worker died and the job stalled, the handler threw after
  // claiming, or Redis lost the job and the reconciler enqueued it again). Taking it over at once
  // is safe because completion is a compare-and-set: if the first execution is in fact still alive
  // (an event-loop stall longer than the lock), only one of the two can finish the run.
  const claim = await deps.runs.claim(runId, {
    reclaimRunningAfterMs: RECLAIM_ANY_RUNNING_RUN_MS,
    now: now(),
  });
  if (!claim.claimed) {
    if (claim.status === undefined) return { kind: 'missing' };
    if (isTerminalRunStatus(claim.status)) {
      // A retry after a failed publish lands here: announcing again is harmless (listeners re-read the
      // row), and `run.completed` is published again from the stored row under the same dedupe key,
      // so an event lost between the completion and its publish is sent, and one already stored is
      // not duplicated.
      const finished = await deps.runs.getForWorker(runId);
      if (finished) {
        await deps.events.publish(statusChange(finished, claim.status, now()));
        await republishRunCompleted(deps, finished);
      }
      return { kind: 'already-finished', status: claim.status };
    }
    return { kind: 'not-claimed', status: claim.status };
  }
  const run = claim.run;
  const input = scenarioSteps(run.steps);
  const cached = deps.clusterCache?.get(run.sandboxRevisionId);
  const running = statusChange(run, 'running', now());
  // A quick run — a few probes, DNS lookups or views on a cluster this worker has loaded — lasts
  // milliseconds: its 'running' goes out with its outcome, in one round trip, and a watcher still
  // sees queued, running, succeeded in order. Any other run (a cluster to load, a mutation, many
  // steps) announces it while the engine runs; a failed announcement still fails the delivery.
  const quick =
    input.ok &&
    cached !== undefined &&
    input.steps.length <= QUICK_RUN_MAX_STEPS &&
    input.steps.every(isReadingStep);
  const announcedRunning = quick ? undefined : settled(deps.events.publish(running));
  const { outcome, sandboxId } = await simulate(deps, run, input, cached);
  const announceFailure = await announcedRunning;
  if (announceFailure) throw announceFailure.error;
  const finishedAt = now();
  const resultJson = outcome.results === undefined ? null : JSON.stringify(outcome.results);
  const completion = await deps.runs.complete(runId, outcome, {
    now: finishedAt,
    subscribersOf: deps.webhooks ? RUN_COMPLETED : undefined,
    resultsJson: resultJson ?? undefined,
  });
  if (!completion.finished) return { kind: 'superseded' };
  const finished: FinishedRun = {
    status: outcome.status,
    attempts: run.attempts,
    startedAt: (run.startedAt ?? finishedAt).toISOString(),
    finishedAt: finishedAt.toISOString(),
    error: outcome.status === 'failed' ? outcome.error : null,
    resultJson,
  };
  const outcomeChange = statusChange(run, outcome.status, finishedAt);
  await deps.events.publish(
    quick ? [running, outcomeChange] : outcomeChange,
    delivery.replyTo ? { to: delivery.replyTo, finished } : undefined,
  );
  await publishRunCompleted(deps, run, outcome, sandboxId, completion.subscriberIds);
  return outcome.status === 'succeeded'
    ? { kind: 'completed', status: 'succeeded' }
    : { kind: 'completed', status: 'failed', error: outcome.error };
}

/**
 * Runs the engine. Never throws for anything the input can cause: that is a failed run. Also
 * says which sandbox the run's revision belongs to, when it came across it.
 */
async function simulate(
  deps: ScenarioRunDeps,
  run: RunRecord,
  input: ScenarioStepsInput,
  cached: CachedRevision | undefined,
): Promise<{ outcome: RunOutcome; sandboxId?: string }> {
  // Steps first, so an invalid run fails with its own issues whatever its revision holds.
  if (!input.ok) return { outcome: failedWith(input.issues, { issues: input.issues, steps: [] }) };
  // Read outside the engine's try: a database error must reach the queue (a retry), not fail the run.
  const revision = cached
    ? undefined
    : await deps.revisions.getRevisionForWorker(run.sandboxRevisionId);
  const sandboxId = cached?.sandboxId ?? revision?.sandboxId;
  try {
    const loaded =
      cached?.loaded ??
      (revision ? loadRevision(deps, run.sandboxRevisionId, revision) : undefined);
    if (!loaded) return { outcome: { status: 'failed', error: MISSING_REVISION_ERROR } };
    if (!loaded.state)
      return {
        outcome: failedWith(loaded.issues, { issues: loaded.issues, steps: [] }),
        sandboxId,
      };
    const steps = runSteps(loaded.state, input.steps, deps.limits);
    return {
      outcome: { status: 'succeeded', results: asStoredJson({ issues: loaded.issues, steps }) },
      sandboxId,
    };
  } catch (error) {
    // The engine is deterministic: the same input would fail the same way on every retry.
    return {
      outcome: {
        status: 'failed',
        error: `${ENGINE_CRASH_ERROR_PREFIX}: ${error instanceof Error ? error.message : String(error)}`,
      },
      sandboxId,
    };
  }
}

/** Loads the revision's cluster, and keeps it in the cache when there is one. */
function loadRevision(
  deps: ScenarioRunDeps,
  revisionId: string,
  revision: SandboxRevisionRecord,
): LoadResult {
  const stored = { manifests: revision.manifests, clusterSettings: revision.clusterSettings };
  if (!deps.clusterCache) return loadCluster(revisionManifests(stored), { limits: deps.limits });
  return deps.clusterCache.load(
    revisionId,
    { ...stored, sandboxId: revision.sandboxId },
    deps.limits,
  ).loaded;
}

function failedWith(issues: readonly EngineIssue[], result: StoredScenarioResult): RunOutcome {
  const errors = issues.filter((issue) => issue.severity === 'error');
  return {
    status: 'failed',
    error: formatIssues(errors.length > 0 ? errors : issues),
    results: asStoredJson(result),
  };
}

function statusChange(run: RunRecord, status: RunStatus, at: Date): RunStatusChangedEvent {
  return { runId: run.id, tenantId: run.tenantId, status, at: at.toISOString() };
}

/**
 * After the completion won, and again on every delivery that finds the run finished. A failure
 * rejects (the job is retried, finds the run finished and publishes again); the dedupe key keeps a
 * message that was stored once from being duplicated.
 */
async function publishRunCompleted(
  deps: ScenarioRunDeps,
  run: RunRecord,
  outcome: RunOutcome,
  knownSandboxId?: string,
  knownSubscriberIds?: readonly string[],
): Promise<void> {
  if (!deps.webhooks) return;
  // Nobody subscribed when the run finished: nothing to store or send, and no need to find the sandbox.
  if (knownSubscriberIds?.length === 0) return;
  const sandboxId =
    knownSandboxId ?? (await deps.revisions.getRevisionForWorker(run.sandboxRevisionId))?.sandboxId;
  if (sandboxId === undefined) return;
  await deps.webhooks.publishRunCompleted(
    run.tenantId,
    runCompletedData(run, sandboxId, outcome),
    runCompletedDedupeKey(run.id),
    knownSubscriberIds,
  );
}

/** Resolves (never rejects) with the failure, if any, so the promise can wait without an unhandled rejection. */
async function settled(promise: Promise<void>): Promise<{ error: unknown } | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return { error };
  }
}

/** The outcome as stored (status, error, result row), for a delivery that finds the run finished. */
async function republishRunCompleted(deps: ScenarioRunDeps, run: RunRecord): Promise<void> {
  if (!deps.webhooks) return;
  const outcome = storedRunOutcome(run, await deps.runs.getResult(run.tenantId, run.id));
  if (outcome) await publishRunCompleted(deps, run, outcome);
}

type StoredJson = NonNullable<Extract<RunOutcome, { status: 'succeeded' }>['results']>;

/**
 * Traces are plain data, serialised once by the completion (JSON.stringify drops `undefined`
 * fields, which JSONB cannot hold); copying them through a JSON round trip here would only double
 * the cost of the largest value a run produces.
 */
function asStoredJson(result: StoredScenarioResult): StoredJson {
  return result as unknown as StoredJson;
}
