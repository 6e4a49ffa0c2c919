// What the world hears of a run: its status changes on the status channel, the finished run sent
// to the API process that waits on it (`replyTo`), and the `run.completed` webhook event. Two
// measured tricks live here (docs/architecture.md, "The run hot path"):
// - a quick run's 'running' goes out with its outcome, in one round trip, and a watcher still
//   sees queued, running, succeeded in order;
// - the finished row is sent to the waiting API process, which answers from it without a read.
import type { FinishedRun, RunStatus, RunStatusChangedEvent } from '@netplay/contracts';
import type { RunOutcome, RunRecord } from '@netplay/db';
import type { RevisionReader, SimulatedRun } from './engine-pool/scenario-engine';
import {
  runCompletedData,
  runCompletedDedupeKey,
  storedRunOutcome,
  type RunCompletedPublisher,
} from './run-completed-event';

export interface RunStatusPublisher {
  publish(
    changes: RunStatusChangedEvent | readonly RunStatusChangedEvent[],
    reply?: { to: string; finished: FinishedRun },
  ): Promise<void>;
}

export interface RunAnnouncerDeps {
  events: RunStatusPublisher;
  /** Publishes the `run.completed` webhook event; without it no event is published. */
  webhooks?: RunCompletedPublisher;
  /** Finds a run's sandbox when the engine did not come across it (a repeated delivery). */
  revisions: RevisionReader;
}

/** The webhook event a completion announces (docs/webhooks.md). */
export const RUN_COMPLETED = 'run.completed';

/** A completion as the repository answered it. */
export interface CommittedRun {
  finishedAt: Date;
  /** The tenant's endpoints subscribed to `run.completed`, read by the completion itself. */
  subscriberIds: readonly string[];
}

export class RunAnnouncer {
  constructor(private readonly deps: RunAnnouncerDeps) {}

  /** The webhook event type whose subscribers the completion should list, if any. */
  get subscribersOf(): string | undefined {
    return this.deps.webhooks ? RUN_COMPLETED : undefined;
  }

  /**
   * The run was claimed: announces 'running' now, or, for a quick run, holds it to go out with
   * the outcome. `replyTo`: the API process that waits on the run.
   */
  claimed(run: RunRecord, at: Date, options: { quick: boolean; replyTo?: string }): ClaimedRun {
    return new ClaimedRun(this.deps, run, statusChange(run, 'running', at), options);
  }

  /**
   * A delivery found the run finished: its status is announced again (listeners re-read the row)
   * and `run.completed` is published again from the stored row under the same dedupe key, so an
   * event lost between a completion and its publish is sent, and one stored once is not duplicated.
   */
  async repeat(
    run: RunRecord,
    status: RunStatus,
    at: Date,
    readResult: () => Promise<unknown>,
  ): Promise<void> {
    await this.deps.events.publish(statusChange(run, status, at));
    if (!this.deps.webhooks) return;
    const outcome = storedRunOutcome(run, await readResult());
    if (outcome) await publishRunCompleted(this.deps, run, outcome);
  }
}

export class ClaimedRun {
  private readonly running?: Promise<{ error: unknown } | undefined>;

  constructor(
    private readonly deps: RunAnnouncerDeps,
    private readonly run: RunRecord,
    private readonly runningChange: RunStatusChangedEvent,
    private readonly options: { quick: boolean; replyTo?: string },
  ) {
    if (!options.quick) this.running = settled(deps.events.publish(runningChange));
  }

  /** Rejects when 'running' could not be announced: the delivery fails before it completes. */
  async runningAnnounced(): Promise<void> {
    const failure = await this.running;
    if (failure) throw failure.error;
  }

  /**
   * The completion won: its status change (with 'running' before it for a quick run), the reply
   * to the waiting process, then `run.completed` to the subscribers the completion listed. A
   * failure rejects: the job is retried, finds the run finished and announces it again.
   */
  async finished(simulated: SimulatedRun, committed: CommittedRun): Promise<void> {
    const { run } = this;
    const finished: FinishedRun = {
      status: simulated.status,
      attempts: run.attempts,
      startedAt: (run.startedAt ?? committed.finishedAt).toISOString(),
      finishedAt: committed.finishedAt.toISOString(),
      error: simulated.error ?? null,
      resultJson: simulated.resultJson,
    };
    const outcomeChange = statusChange(run, simulated.status, committed.finishedAt);
    await this.deps.events.publish(
      this.options.quick ? [this.runningChange, outcomeChange] : outcomeChange,
      this.options.replyTo ? { to: this.options.replyTo, finished } : undefined,
    );
    // Nobody subscribed when the run finished: nothing to store or send, and no result to parse.
    if (!this.deps.webhooks || committed.subscriberIds.length === 0) return;
    await publishRunCompleted(
      this.deps,
      run,
      outcomeOf(simulated),
      simulated.sandboxId,
      committed.subscriberIds,
    );
  }
}

/** The outcome with its result as data: the webhook's summary counts steps and verdicts. */
function outcomeOf(simulated: SimulatedRun): RunOutcome {
  const results = simulated.resultJson === null ? undefined : JSON.parse(simulated.resultJson);
  return simulated.status === 'succeeded'
    ? { status: 'succeeded', results }
    : { status: 'failed', error: simulated.error ?? '', results };
}

async function publishRunCompleted(
  deps: RunAnnouncerDeps,
  run: RunRecord,
  outcome: RunOutcome,
  knownSandboxId?: string,
  knownSubscriberIds?: readonly string[],
): Promise<void> {
  if (!deps.webhooks) return;
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

function statusChange(run: RunRecord, status: RunStatus, at: Date): RunStatusChangedEvent {
  return { runId: run.id, tenantId: run.tenantId, status, at: at.toISOString() };
}

/** Resolves (never rejects) with the failure, if any, so it can wait without an unhandled rejection. */
async function settled(promise: Promise<void>): Promise<{ error: unknown } | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return { error };
  }
}
