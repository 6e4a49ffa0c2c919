// Runs: submit a scenario against a sandbox's current revision, read one (with its traces), list
// them (without), wait for one to finish. REST and GraphQL both call these methods.
import { isTerminalRunStatus, type RunStatusChangedEvent } from '@netplay/contracts';
import type { RunRecord, RunRevisionRef } from '@netplay/db';
import type { Step } from '@netplay/engine';
import { Inject, Injectable } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { ApiError } from '../errors/api-error';
import { INFRASTRUCTURE, type Infrastructure } from '../infra/infrastructure';
import { RunDispatcher } from '../infra/run-dispatcher';
import { readRunSteps } from './read-run-steps';
import { toRunView, type RunView, type RunWithResult } from './run-view';
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

  async submit(tenantId: string, input: SubmitRunInput): Promise<SubmittedRun> {
    if (input.idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(input.idempotencyKey)) {
      throw new ApiError('validation-failed', 'Idempotency-Key must be 1-255 printable ASCII characters', [{ field: 'Idempotency-Key', message: 'must be 1-255 printable ASCII characters' }]);
    }
    const steps = this.readSteps(input.body);
    const sandbox = await this.infra.sandboxes.get(tenantId, input.sandboxId);
    if (!sandbox) throw notFound('sandbox', input.sandboxId);
    // The run points at the exact revision it simulates, so later edits of the sandbox never change what it shows.
    const revision = await this.infra.sandboxes.getRevision(tenantId, sandbox.id, sandbox.version);
    if (!revision) throw notFound('sandbox', input.sandboxId);
    const { run, created } = await this.infra.runs.create(tenantId, { sandboxRevisionId: revision.id, steps: toJsonSteps(steps), idempotencyKey: input.idempotencyKey });
    if (!created) {
      await this.checkSameSubmission(tenantId, run, input.sandboxId, steps);
      return { run: await this.view(tenantId, run), created };
    }
    // The outbox event committed with the run guarantees delivery; enqueueing now saves waiting for the relay.
    this.dispatcher.enqueueCommitted(run.id);
    // A new run points at the revision read above: no need to look its sandbox up again.
    return { run: toRunView(run, { sandboxId: sandbox.id, sandboxVersion: revision.version }), created };
  }

  /** One run with its result (the traces) once terminal. */
  async get(tenantId: string, runId: string): Promise<RunWithResult> {
    const run = await this.infra.runs.get(tenantId, runId);
    if (!run) throw notFound('run', runId);
    return this.withResult(tenantId, run);
  }

  /** Waits up to RUN_WAIT_MAX_MS for a terminal status, then answers with the run as it is. */
  async waitForTerminal(tenantId: string, runId: string, known?: RunView): Promise<RunWithResult> {
    const run = await waitForRun(
      this.infra.runStatusEvents,
      runId,
      () => this.infra.runs.get(tenantId, runId),
      (current) => isTerminalRunStatus(current.status),
      this.config.runWaitMaxMs,
      (event) => isTerminalRunStatus(event.status),
    );
    if (!run) throw notFound('run', runId);
    // The sandbox a run points at never changes: a view the caller already holds saves the lookup.
    const ref = known?.id === runId && known.sandboxId !== null && known.sandboxVersion !== null ? { sandboxId: known.sandboxId, sandboxVersion: known.sandboxVersion } : undefined;
    return this.withResult(tenantId, run, ref);
  }

  async list(tenantId: string, query: RunListQuery): Promise<RunPage> {
    const listed = await this.infra.runs.list(tenantId, query);
    if (!listed.ok) throw new ApiError('bad-request', 'the cursor is not one this API returned', [{ field: 'cursor', message: 'unknown cursor' }]);
    const refs = await this.infra.runs.revisionRefs(tenantId, listed.page.items.map((run) => run.id));
    return { items: listed.page.items.map((run) => toRunView(run, refs.get(run.id))), ...(listed.page.nextCursor ? { nextCursor: listed.page.nextCursor } : {}) };
  }

  /** The run's status now, then each change until it is terminal. Not found is an error at once. */
  async statusChanges(tenantId: string, runId: string): Promise<AsyncGenerator<RunStatusChangedEvent>> {
    const exists = await this.infra.runs.get(tenantId, runId);
    if (!exists) throw notFound('run', runId);
    return runStatusChanges(this.infra.runStatusEvents, runId, tenantId, async () => {
      const run = await this.infra.runs.get(tenantId, runId);
      return run && { status: run.status, at: (run.finishedAt ?? run.startedAt ?? run.createdAt).toISOString() };
    });
  }

  private readSteps(body: unknown): Step[] {
    const reading = readRunSteps(body);
    if (reading.ok) return reading.steps;
    const summary = reading.problems.map((problem) => (problem.path ? `${problem.path}: ${problem.message}` : problem.message)).join('; ');
    throw new ApiError('invalid-scenario', `the scenario is not valid: ${summary}`, reading.problems.map((problem) => ({ field: problem.path, message: problem.message, code: problem.code })));
  }

  /** A retried submit must be the same request: the same key for another body is a client bug. */
  private async checkSameSubmission(tenantId: string, run: RunRecord, sandboxId: string, steps: Step[]): Promise<void> {
    const refs = await this.infra.runs.revisionRefs(tenantId, [run.id]);
    const sameSandbox = refs.get(run.id)?.sandboxId === sandboxId;
    if (!sameSandbox || !isDeepStrictEqual(run.steps, toJsonSteps(steps))) {
      throw new ApiError('idempotency-key-reused', 'this Idempotency-Key was used for a different run request', [{ field: 'Idempotency-Key', message: `already used for run ${run.id}` }]);
    }
  }

  private async view(tenantId: string, run: RunRecord): Promise<RunView> {
    const refs = await this.infra.runs.revisionRefs(tenantId, [run.id]);
    return toRunView(run, refs.get(run.id));
  }

  private async withResult(tenantId: string, run: RunRecord, ref?: RunRevisionRef): Promise<RunWithResult> {
    const result = isTerminalRunStatus(run.status) ? ((await this.infra.runs.getResult(tenantId, run.id)) ?? null) : null;
    return { ...(ref ? toRunView(run, ref) : await this.view(tenantId, run)), result };
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
