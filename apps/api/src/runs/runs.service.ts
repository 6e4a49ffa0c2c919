// Runs: submit a scenario against a sandbox's current revision, read one (with its traces), list
// them (without), wait for one to finish. REST and GraphQL both call these methods with the caller's
// scope: a learner session reaches only the runs of its own sandboxes.
import { isTerminalRunStatus, type RunStatusChangedEvent } from '@netplay/contracts';
import {
  newRunId,
  scopeOf,
  type OwnerScope,
  type RunRecord,
  type RunRevisionRef,
} from '@netplay/db';
import { failpoint, FAILPOINTS } from '@netplay/queue';
import type { Step } from '@netplay/engine';
import { Inject, Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { ApiError } from '../errors/api-error';
import { RunDispatcher } from '../infra/run-dispatcher';
import { pageView } from '../paging/page-view';
import { readRunSteps } from './read-run-steps';
import { finishedRunView, toRunView, type RunView, type RunWithResult } from './run-view';
import { StoredJson } from './stored-json';
import { runStatusChanges, waitForRun, type RunWait } from './run-status-waiter';
import { type RunStatusEvents } from '@netplay/queue';
import { RunRepository } from '@netplay/db';
import { RUN_STATUS_EVENTS } from '../infra/tokens';

/** Keys are opaque to us; the bound keeps the unique index small. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export interface SubmitRunInput {
  sandboxId: string;
  /** The body as sent: `{steps: [...]}`, validated here. */
  body: unknown;
  idempotencyKey?: string;
}

export interface SubmittedRun {
  run: RunView;
  /** False when an earlier submit with the same idempotency key made the run. */
  created: boolean;
}

export interface RunListQuery {
  sandboxId?: string;
  cursor?: string;
  limit?: number;
}

export interface RunPage {
  items: RunView[];
  /** Absent on the last page. */
  nextCursor?: string;
}

@Injectable()
export class RunsService {
  constructor(
    @Inject(RUN_STATUS_EVENTS) private readonly runStatusEvents: RunStatusEvents,
    private readonly runs: RunRepository,
    @Inject(API_CONFIG) private readonly config: Pick<ApiConfig, 'runWaitMaxMs'>,
    private readonly dispatcher: RunDispatcher,
  ) {}

  submit(scope: OwnerScope | string, input: SubmitRunInput): Promise<SubmittedRun> {
    return this.create(scope, input, {});
  }

  /** `runId`: the id to give a new run; `replyTo`: where its worker should send it once finished. */
  private async create(
    scope: OwnerScope | string,
    input: SubmitRunInput,
    options: { runId?: string; replyTo?: string },
  ): Promise<SubmittedRun> {
    if (input.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(input.idempotencyKey)) {
      throw new ApiError(
        'validation-failed',
        'Idempotency-Key must be 1-255 printable ASCII characters',
        [{ field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' }],
      );
    }
    const steps = toJsonSteps(this.readSteps(input.body));
    // The run points at the exact revision it simulates (the sandbox's current one, found by the
    // insert itself), so later edits of the sandbox never change what it shows.
    const submitted = await this.runs.createForSandbox(scope, input.sandboxId, {
      id: options.runId,
      steps,
      idempotencyKey: input.idempotencyKey,
    });
    if (!submitted) throw notFound('sandbox', input.sandboxId);
    const { run, created, ref } = submitted;
    if (!created) return { run: this.replayed(run, ref, input.sandboxId, steps), created };
    failpoint(FAILPOINTS.afterRunCommit);
    // The outbox event committed with the run guarantees delivery; enqueueing now saves waiting for the relay.
    this.dispatcher.enqueueCommitted(run.id, options.replyTo);
    return { run: toRunView(run, ref), created };
  }

  /**
   * Submits, then holds the answer until the run is finished or RUN_WAIT_MAX_MS passed. A new run
   * gets its id here so the waiter listens before the row exists: the insert's own answer is its
   * first look, and its worker's reply (the finished row, sent to this process) the last, with no
   * read; without a reply (a resent job, embedded mode) the terminal announcement makes one read.
   * A replay (Idempotency-Key) answers with an earlier run, known only after the insert, so it
   * waits for that one the usual way.
   */
  async submitAndWait(
    scope: OwnerScope | string,
    input: SubmitRunInput,
  ): Promise<SubmittedRun & { run: RunWithResult }> {
    if (input.idempotencyKey !== undefined) {
      const submitted = await this.submit(scope, input);
      return {
        run: await this.waitForTerminal(scope, submitted.run.id),
        created: submitted.created,
      };
    }
    const runId = newRunId();
    let submitted: RunView | undefined;
    const run = await waitForRun<RunWithResult>({
      ...this.terminalWait(scope, runId),
      // Subscribed before the row exists: the insert's own answer is the first look.
      firstLook: async () => {
        submitted = (
          await this.create(scope, input, {
            runId,
            replyTo: this.runStatusEvents.replyAddress,
          })
        ).run;
        return { ...submitted, result: null };
      },
      fromReply: (finished) => submitted && finishedRunView(submitted, finished),
    });
    if (!run) throw notFound('run', runId);
    return { run, created: true };
  }

  /** One run with its result (the traces) once terminal. */
  async get(scope: OwnerScope | string, runId: string): Promise<RunWithResult> {
    const run = await this.readWithResult(scope, runId);
    if (!run) throw notFound('run', runId);
    return run;
  }

  /** Waits up to RUN_WAIT_MAX_MS for a terminal status, then answers with the run as it is. */
  async waitForTerminal(scope: OwnerScope | string, runId: string): Promise<RunWithResult> {
    const run = await waitForRun(this.terminalWait(scope, runId));
    if (!run) throw notFound('run', runId);
    return run;
  }

  async list(scope: OwnerScope | string, query: RunListQuery): Promise<RunPage> {
    const listed = await this.runs.list(scope, query);
    const refs = await this.runs.revisionRefs(
      scope,
      listed.items.map((run) => run.id),
    );
    return pageView(listed, (run) => toRunView(run, refs.get(run.id)));
  }

  /** The run's status now, then each change until it is terminal. Not found is an error at once. */
  async statusChanges(
    scope: OwnerScope | string,
    runId: string,
  ): Promise<AsyncGenerator<RunStatusChangedEvent>> {
    const exists = await this.runs.get(scope, runId);
    if (!exists) throw notFound('run', runId);
    const { tenantId } = scopeOf(scope);
    return runStatusChanges(this.runStatusEvents, runId, tenantId, async () => {
      const run = await this.runs.get(scope, runId);
      return (
        run && {
          status: run.status,
          at: (run.finishedAt ?? run.startedAt ?? run.createdAt).toISOString(),
        }
      );
    });
  }

  private readSteps(body: unknown): Step[] {
    const reading = readRunSteps(body);
    if (reading.ok) return reading.steps;
    const summary = reading.problems
      .map((problem) => (problem.path ? `${problem.path}: ${problem.message}` : problem.message))
      .join('; ');
    throw new ApiError(
      reading.problems.some((problem) => problem.code === 'LIMIT_EXCEEDED')
        ? 'engine-limit-exceeded'
        : 'invalid-scenario',
      `the scenario is not valid: ${summary}`,
      reading.problems.map((problem) => ({
        field: problem.path,
        message: problem.message,
        code: problem.code,
      })),
    );
  }

  /** A retried submit must be the same request: the same key for another body is a client bug. */
  private replayed(
    run: RunRecord,
    ref: RunRevisionRef,
    sandboxId: string,
    steps: JsonSteps,
  ): RunView {
    if (ref.sandboxId !== sandboxId || !isDeepStrictEqual(run.steps, steps)) {
      throw new ApiError(
        'idempotency-key-reused',
        'this Idempotency-Key was used for a different run request',
        [{ field: 'Idempotency-Key', message: `already used for run ${run.id}` }],
      );
    }
    return toRunView(run, ref);
  }

  /** A wait for the run's terminal status, reading the row when one is announced. */
  private terminalWait(scope: OwnerScope | string, runId: string): RunWait<RunWithResult> {
    return {
      events: this.runStatusEvents,
      runId,
      read: () => this.readWithResult(scope, runId),
      done: (run) => isTerminalRunStatus(run.status),
      timeoutMs: this.config.runWaitMaxMs,
      worthReading: (event) => isTerminalRunStatus(event.status),
    };
  }

  /** The run, its sandbox version and (once terminal) its result, in one database read. */
  private async readWithResult(
    scope: OwnerScope | string,
    runId: string,
  ): Promise<RunWithResult | undefined> {
    const found = await this.runs.getWithResult(scope, runId);
    if (!found) return undefined;
    const { resultJson } = found;
    return {
      ...toRunView(found.run, found.ref),
      result:
        isTerminalRunStatus(found.run.status) && resultJson !== null
          ? new StoredJson(resultJson)
          : null,
    };
  }
}

function notFound(what: 'run' | 'sandbox', id: string): ApiError {
  return new ApiError('not-found', `no ${what} ${id}`);
}

type JsonSteps = Parameters<RunRepository['create']>[1]['steps'];

/** Steps are plain JSON already (they came from a JSON body); the round trip drops `undefined` fields. */
function toJsonSteps(steps: Step[]): JsonSteps {
  return JSON.parse(JSON.stringify(steps)) as JsonSteps;
}
