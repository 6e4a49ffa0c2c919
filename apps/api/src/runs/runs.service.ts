// Runs: submit a scenario against a sandbox's current revision, read one (with its traces), list
// them (without), wait for one to finish. REST and GraphQL both call these methods.
import {
  isTerminalRunStatus,
  type FinishedRun,
  type RunStatusChangedEvent,
} from '@netplay/contracts';
import { newRunId, type RunRecord, type RunRevisionRef } from '@netplay/db';
import type { Step } from '@netplay/engine';
import { Inject, Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { ApiError } from '../errors/api-error';
import { INFRASTRUCTURE, type Infrastructure } from '../infra/infrastructure';
import { RunDispatcher } from '../infra/run-dispatcher';
import { readRunSteps } from './read-run-steps';
import { finishedRunView, toRunView, type RunView, type RunWithResult } from './run-view';
import { StoredJson } from './stored-json';
import { runStatusChanges, waitForRun } from './run-status-waiter';

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
    @Inject(INFRASTRUCTURE) private readonly infra: Infrastructure,
    @Inject(API_CONFIG) private readonly config: Pick<ApiConfig, 'runWaitMaxMs'>,
    private readonly dispatcher: RunDispatcher,
  ) {}

  submit(tenantId: string, input: SubmitRunInput): Promise<SubmittedRun> {
    return this.create(tenantId, input, {});
  }

  /** `runId`: the id to give a new run; `replyTo`: where its worker should send it once finished. */
  private async create(
    tenantId: string,
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
    const submitted = await this.infra.runs.createForSandbox(tenantId, input.sandboxId, {
      id: options.runId,
      steps,
      idempotencyKey: input.idempotencyKey,
    });
    if (!submitted) throw notFound('sandbox', input.sandboxId);
    const { run, created, ref } = submitted;
    if (!created) return { run: this.replayed(run, ref, input.sandboxId, steps), created };
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
    tenantId: string,
    input: SubmitRunInput,
  ): Promise<SubmittedRun & { run: RunWithResult }> {
    if (input.idempotencyKey !== undefined) {
      const submitted = await this.submit(tenantId, input);
      return {
        run: await this.waitForTerminal(tenantId, submitted.run.id),
        created: submitted.created,
      };
    }
    const runId = newRunId();
    let submitted: RunView | undefined;
    const run = await this.waitFor(
      tenantId,
      runId,
      async () => {
        if (submitted) return this.readWithResult(tenantId, runId);
        submitted = (
          await this.create(tenantId, input, {
            runId,
            replyTo: this.infra.runStatusEvents.replyAddress,
          })
        ).run;
        return { ...submitted, result: null };
      },
      (finished) => submitted && finishedRunView(submitted, finished),
    );
    if (!run) throw notFound('run', runId);
    return { run, created: true };
  }

  /** One run with its result (the traces) once terminal. */
  async get(tenantId: string, runId: string): Promise<RunWithResult> {
    const run = await this.readWithResult(tenantId, runId);
    if (!run) throw notFound('run', runId);
    return run;
  }

  /** Waits up to RUN_WAIT_MAX_MS for a terminal status, then answers with the run as it is. */
  async waitForTerminal(tenantId: string, runId: string): Promise<RunWithResult> {
    const run = await this.waitFor(tenantId, runId, () => this.readWithResult(tenantId, runId));
    if (!run) throw notFound('run', runId);
    return run;
  }

  async list(tenantId: string, query: RunListQuery): Promise<RunPage> {
    const listed = await this.infra.runs.list(tenantId, query);
    if (!listed.ok)
      throw new ApiError('bad-request', 'the cursor is not one this API returned', [
        { field: 'cursor', message: 'unknown cursor' },
      ]);
    const refs = await this.infra.runs.revisionRefs(
      tenantId,
      listed.page.items.map((run) => run.id),
    );
    return {
      items: listed.page.items.map((run) => toRunView(run, refs.get(run.id))),
      ...(listed.page.nextCursor ? { nextCursor: listed.page.nextCursor } : {}),
    };
  }

  /** The run's status now, then each change until it is terminal. Not found is an error at once. */
  async statusChanges(
    tenantId: string,
    runId: string,
  ): Promise<AsyncGenerator<RunStatusChangedEvent>> {
    const exists = await this.infra.runs.get(tenantId, runId);
    if (!exists) throw notFound('run', runId);
    return runStatusChanges(this.infra.runStatusEvents, runId, tenantId, async () => {
      const run = await this.infra.runs.get(tenantId, runId);
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
      'invalid-scenario',
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

  private waitFor(
    tenantId: string,
    runId: string,
    read: () => Promise<RunWithResult | undefined>,
    fromReply?: (finished: FinishedRun) => RunWithResult | undefined,
  ): Promise<RunWithResult | undefined> {
    return waitForRun(
      this.infra.runStatusEvents,
      runId,
      read,
      (current) => isTerminalRunStatus(current.status),
      this.config.runWaitMaxMs,
      (event) => isTerminalRunStatus(event.status),
      fromReply,
    );
  }

  /** The run, its sandbox version and (once terminal) its result, in one database read. */
  private async readWithResult(
    tenantId: string,
    runId: string,
  ): Promise<RunWithResult | undefined> {
    const found = await this.infra.runs.getWithResult(tenantId, runId);
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

type JsonSteps = Parameters<Infrastructure['runs']['create']>[1]['steps'];

/** Steps are plain JSON already (they came from a JSON body); the round trip drops `undefined` fields. */
function toJsonSteps(steps: Step[]): JsonSteps {
  return JSON.parse(JSON.stringify(steps)) as JsonSteps;
}
