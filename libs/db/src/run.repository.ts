// Runs move queued -> running -> succeeded | failed. Queue delivery is at-least-once and duplicates
// can overlap (a stalled BullMQ job is re-delivered while its first worker still runs), so every
// transition is a compare-and-set on the status and the result row is keyed by run id: whatever
// the retries, exactly one outcome becomes visible.
import {
  isUuid,
  OUTBOX_EVENT_KINDS,
  type OutboxPayloads,
  type RunStatus,
} from '@netplay/contracts';
import { v7 as uuidV7 } from 'uuid';
import type { Prisma, PrismaClient } from './generated/prisma/client';
import { decodeCursor, pageSize, toPage, type Page, type PageRequest } from './paging';
import { badCursor } from './repository-error';
import { scopeOf, type OwnerScope } from './owner-scope';
import { runColumns, runRecordOf, type RunRecord, type RunRow } from './run-rows';
import type { Database, SqlExecutor } from './sql-executor';
import { subscriberIdsSql } from './webhook-subscribers-sql';

export type { RunRecord } from './run-rows';

export interface NewRun {
  /**
   * The run's id when the caller chose it (a UUID), e.g. to subscribe to the run's status before
   * the row exists; generated otherwise.
   */
  id?: string;
  sandboxRevisionId: string;
  steps: Prisma.InputJsonValue;
  /** A client-chosen key: a second create with the same key returns the first run. */
  idempotencyKey?: string;
}

export interface RunListRequest extends PageRequest {
  /** Only the runs of this sandbox (any of its revisions). */
  sandboxId?: string;
}

export interface RunRevisionRef {
  sandboxId: string;
  sandboxVersion: number;
}

/** The run, whether this call made it, and the sandbox version it simulates. */
export type CreateRunResult = { run: RunRecord; created: boolean; ref: RunRevisionRef };

/** A run as its reader sees it: the row, the sandbox version it simulated, and its result once finished. */
export interface RunWithResultRecord {
  run: RunRecord;
  ref: RunRevisionRef;
  /**
   * The stored traces as the JSON text the worker wrote, unparsed: an API answer can carry it as it
   * is. Null until the run is finished (and for a run that failed before the engine ran).
   */
  resultJson: string | null;
}

export type RunOutcome =
  /** `results` may be left out when `CompleteOptions.resultsJson` carries them serialised. */
  | { status: 'succeeded'; results?: Prisma.InputJsonValue }
  | { status: 'failed'; error: string; results?: Prisma.InputJsonValue };

export interface CompleteOptions {
  now?: Date;
  /** The outcome's results already serialised (`JSON.stringify(outcome.results)`), when the caller needs the text too. */
  resultsJson?: string;
  /** A webhook event type: the completion also lists the tenant's endpoints subscribed to it. */
  subscribersOf?: string;
}

export interface Completion {
  /** False when another execution had finished the run: nothing was written. */
  finished: boolean;
  /** With `subscribersOf`: the tenant's enabled endpoints subscribed to it, oldest first. */
  subscriberIds: string[];
}

export type ClaimResult =
  { claimed: true; run: RunRecord } | { claimed: false; status?: RunStatus };

export interface ClaimOptions {
  /**
   * A run left `running` longer than this (its worker died without finishing) may be claimed again.
   * Without it only `queued` runs are claimable.
   */
  reclaimRunningAfterMs?: number;
  now?: Date;
}

/**
 * A new run's id: a time-ordered UUID (version 7), so runs created in the same millisecond still
 * list newest first (the listing breaks created_at ties by id), and new rows land at the end of
 * the run indexes instead of at random places in them.
 */
export function newRunId(): string {
  return uuidV7();
}

export class RunRepository {
  private readonly prisma: PrismaClient;
  private readonly sql: SqlExecutor;

  constructor(database: Database) {
    this.prisma = database.prisma;
    this.sql = database.sql;
  }

  /**
   * Inserts the run and its `run.enqueue` outbox event in one statement, hence one transaction
   * (transactional outbox: the queue learns of the run only from a committed row, so no run is
   * lost between the database and Redis, and no job arrives before its row exists). With an
   * idempotency key already used by the tenant, returns the existing run and writes nothing; of
   * two concurrent creates with one key, the second waits for the first and then finds its run.
   * Throws when the revision is not one of the tenant's.
   */
  async create(tenantId: string, input: NewRun): Promise<CreateRunResult> {
    const created = await this.insert(tenantId, REVISION_BY_ID, input.sandboxRevisionId, input);
    if (!created)
      throw new Error(
        `sandbox revision ${input.sandboxRevisionId} is not one of tenant ${tenantId}'s`,
      );
    return created;
  }

  /**
   * `create` for the sandbox's current revision, looked up in the same statement (a submit is one
   * round trip). Undefined when the tenant has no such sandbox, or it was deleted.
   */
  async createForSandbox(
    scope: OwnerScope | string,
    sandboxId: string,
    input: Omit<NewRun, 'sandboxRevisionId'>,
  ): Promise<CreateRunResult | undefined> {
    if (!isUuid(sandboxId)) return undefined;
    const { tenantId, ownerRef } = scopeOf(scope);
    return this.insert(tenantId, CURRENT_REVISION_OF_SANDBOX, sandboxId, input, ownerRef);
  }

  private async insert(
    tenantId: string,
    revisionQuery: string,
    target: string,
    input: Omit<NewRun, 'sandboxRevisionId'>,
    ownerRef?: string,
  ): Promise<CreateRunResult | undefined> {
    const id = input.id ?? newRunId();
    if (!isUuid(id)) throw new Error(`run id ${JSON.stringify(id)} is not a UUID`);
    if (!isUuid(target)) return undefined;
    const [row] = await this.sql.query<
      Partial<RunRow> & { ref_sandbox_id: string; ref_version: number }
    >(
      `WITH revision AS (${revisionQuery}), inserted AS (
         INSERT INTO run (id, tenant_id, sandbox_revision_id, steps, idempotency_key)
         SELECT $1::uuid, $2::uuid, revision.id, $4::jsonb, $5::text FROM revision
         ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
         RETURNING ${runColumns()}
       ), event AS (
         INSERT INTO outbox_event (run_id, kind, payload)
         SELECT id, $6::text, jsonb_build_object('runId', id) FROM inserted
       )
       SELECT revision.sandbox_id AS ref_sandbox_id, revision.version AS ref_version, ${runColumns('inserted')}
       FROM revision LEFT JOIN inserted ON true`,
      [
        id,
        tenantId,
        target,
        JSON.stringify(input.steps),
        input.idempotencyKey ?? null,
        OUTBOX_EVENT_KINDS.runEnqueue satisfies keyof OutboxPayloads,
        ownerRef ?? null,
      ],
    );
    if (!row) return undefined;
    if (row.id)
      return {
        run: runRecordOf(row as RunRow),
        created: true,
        ref: { sandboxId: row.ref_sandbox_id, sandboxVersion: row.ref_version },
      };
    const existing =
      input.idempotencyKey === undefined
        ? undefined
        : await this.findByIdempotencyKey(tenantId, input.idempotencyKey);
    if (!existing)
      throw new Error(`run ${id} was neither inserted nor found by its idempotency key`);
    return { ...existing, created: false };
  }

  /** The run, its sandbox version and its result in one read (what GET /v1/runs/:id answers). */
  async getWithResult(
    scope: OwnerScope | string,
    id: string,
  ): Promise<RunWithResultRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const { tenantId, ownerRef } = scopeOf(scope);
    const [row] = await this.sql.query<
      RunRow & { sandbox_id: string; sandbox_version: number; result_json: string | null }
    >(
      `SELECT ${runColumns('r')}, s.sandbox_id, s.version AS sandbox_version, rr.results::text AS result_json
       FROM run r
       JOIN sandbox_revision s ON s.id = r.sandbox_revision_id
       LEFT JOIN run_result rr ON rr.run_id = r.id
       WHERE r.id = $1 AND r.tenant_id = $2
         AND ($3::text IS NULL OR EXISTS (
           SELECT 1 FROM sandbox o WHERE o.id = s.sandbox_id AND o.owner_ref = $3::text))`,
      [id, tenantId, ownerRef ?? null],
    );
    if (!row) return undefined;
    return {
      run: runRecordOf(row),
      ref: { sandboxId: row.sandbox_id, sandboxVersion: row.sandbox_version },
      resultJson: row.result_json,
    };
  }

  async get(scope: OwnerScope | string, id: string): Promise<RunRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const { tenantId, ownerRef } = scopeOf(scope);
    const [row] = await this.sql.query<RunRow>(
      `SELECT ${runColumns('r')} FROM run r
       WHERE r.id = $1 AND r.tenant_id = $2 AND ${ownedBy('r', '$3')}`,
      [id, tenantId, ownerRef ?? null],
    );
    return row && runRecordOf(row);
  }

  /** For the worker, which receives bare run ids from the queue. */
  async getForWorker(id: string): Promise<RunRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await this.sql.query<RunRow>(`SELECT ${runColumns()} FROM run WHERE id = $1`, [
      id,
    ]);
    return row && runRecordOf(row);
  }

  async getResult(
    scope: OwnerScope | string,
    runId: string,
  ): Promise<Prisma.JsonValue | undefined> {
    if (!isUuid(runId)) return undefined;
    const row = await this.prisma.runResult.findFirst({
      where: { runId, run: runsOf(scopeOf(scope)) },
      select: { results: true },
    });
    return row?.results ?? undefined;
  }

  /** Newest first, without results (they live in run_result and can be large). */
  async list(scope: OwnerScope | string, request: RunListRequest = {}): Promise<Page<RunRecord>> {
    const position = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
    if (request.cursor !== undefined && !position) throw badCursor();
    if (request.sandboxId !== undefined && !isUuid(request.sandboxId)) return { items: [] };
    const size = pageSize(request.limit);
    const { tenantId, ownerRef } = scopeOf(scope);
    // Keyset page over (created_at, id), newest first: an index range scan on
    // (tenant_id, created_at, id) whatever the page's depth.
    const rows = await this.sql.query<RunRow>(
      `SELECT ${runColumns('r')} FROM run r
       WHERE r.tenant_id = $1
         AND ($2::uuid IS NULL OR EXISTS (
           SELECT 1 FROM sandbox_revision s WHERE s.id = r.sandbox_revision_id AND s.sandbox_id = $2::uuid))
         AND ${ownedBy('r', '$3')}
         AND ($4::timestamptz IS NULL OR (r.created_at, r.id) < ($4::timestamptz, $5::uuid))
       ORDER BY r.created_at DESC, r.id DESC
       LIMIT $6`,
      [
        tenantId,
        request.sandboxId ?? null,
        ownerRef ?? null,
        position?.createdAt.toISOString() ?? null,
        position?.id ?? null,
        size + 1,
      ],
    );
    return toPage(rows.map(runRecordOf), size, (run) => run);
  }

  /** The sandbox and version each run simulated (without the revision's manifests), for run views. */
  async revisionRefs(
    scope: OwnerScope | string,
    runIds: readonly string[],
  ): Promise<Map<string, RunRevisionRef>> {
    const rows = await this.prisma.run.findMany({
      where: { ...runsOf(scopeOf(scope)), id: { in: runIds.filter(isUuid) } },
      select: { id: true, sandboxRevision: { select: { sandboxId: true, version: true } } },
    });
    return new Map(
      rows.map((row) => [
        row.id,
        { sandboxId: row.sandboxRevision.sandboxId, sandboxVersion: row.sandboxRevision.version },
      ]),
    );
  }

  /**
   * queued -> running, counting the attempt. Fails when another delivery claimed or finished it.
   * A claimed run's job evidently reached the queue, so its `run.enqueue` outbox event has done its
   * work and is deleted in the same statement: the relay has nothing to send again for it, and the
   * outbox holds only runs on their way to a worker (a delete also writes no new index entries,
   * where marking the row dispatched did).
   */
  async claim(runId: string, options: ClaimOptions = {}): Promise<ClaimResult> {
    if (!isUuid(runId)) return { claimed: false };
    const now = options.now ?? new Date();
    const reclaim = options.reclaimRunningAfterMs !== undefined;
    const runningBefore = new Date(now.getTime() - (options.reclaimRunningAfterMs ?? 0));
    const [claimed] = await this.sql.query<RunRow>(
      `WITH claimed AS (
         UPDATE run SET status = 'running', started_at = $2, attempts = attempts + 1
         WHERE id = $1 AND (status = 'queued' OR ($3::boolean AND status = 'running' AND started_at < $4))
         RETURNING ${runColumns()}
       ), delivered AS (
         DELETE FROM outbox_event WHERE run_id IN (SELECT id FROM claimed)
       )
       SELECT ${runColumns()} FROM claimed`,
      [runId, now.toISOString(), reclaim, runningBefore.toISOString()],
    );
    if (claimed) return { claimed: true, run: runRecordOf(claimed) };
    const [current] = await this.sql.query<{ status: RunStatus }>(
      'SELECT status FROM run WHERE id = $1',
      [runId],
    );
    return { claimed: false, status: current?.status };
  }

  /**
   * running -> succeeded | failed, writing the RunResult in the same statement. `finished` is false
   * when the run was not running (another execution already finished it): the caller discards its
   * outcome. With `subscribersOf`, also says which of the tenant's webhook endpoints subscribe to
   * that event type, so announcing the completion needs no further read.
   */
  async complete(
    runId: string,
    outcome: RunOutcome,
    options: CompleteOptions = {},
  ): Promise<Completion> {
    if (!isUuid(runId)) return { finished: false, subscriberIds: [] };
    const results =
      options.resultsJson ??
      (outcome.results === undefined ? null : JSON.stringify(outcome.results));
    const [row] = await this.sql.query<{ subscriber_ids: string[] }>(
      `WITH finished AS (
         UPDATE run SET status = $2::run_status, finished_at = $3, error = $4
         WHERE id = $1 AND status = 'running'
         RETURNING id, tenant_id
       ), stored AS (
         INSERT INTO run_result (run_id, results) SELECT id, $5::json FROM finished WHERE $5::text IS NOT NULL
       )
       SELECT ${subscriberIdsSql('finished.tenant_id', '$6')} AS subscriber_ids FROM finished`,
      [
        runId,
        outcome.status,
        (options.now ?? new Date()).toISOString(),
        outcome.status === 'failed' ? outcome.error : null,
        results,
        options.subscribersOf ?? null,
      ],
    );
    return row
      ? { finished: true, subscriberIds: row.subscriber_ids }
      : { finished: false, subscriberIds: [] };
  }

  /**
   * queued | running -> failed without a result, for runs the queue gave up on (a job failed for
   * good, e.g. BullMQ's "stalled more than allowable limit", which skips retries).
   */
  async failUnfinished(runId: string, error: string, now: Date = new Date()): Promise<boolean> {
    if (!isUuid(runId)) return false;
    const { count } = await this.prisma.run.updateMany({
      where: { id: runId, status: { in: ['queued', 'running'] } },
      data: { status: 'failed', error, finishedAt: now },
    });
    return count === 1;
  }

  /** Non-terminal runs created before `createdBefore`, oldest first: the reconciler's candidates. */
  async listUnfinished(createdBefore: Date, limit = 100): Promise<RunRecord[]> {
    const rows = await this.sql.query<RunRow>(
      `SELECT ${runColumns()} FROM run
       WHERE status IN ('queued', 'running') AND created_at < $1
       ORDER BY created_at, id
       LIMIT $2`,
      [createdBefore.toISOString(), limit],
    );
    return rows.map(runRecordOf);
  }

  /** Counts a re-enqueue by the reconciler (kept for operators: a run re-enqueued often is a symptom). */
  async recordReenqueue(runId: string): Promise<void> {
    await this.prisma.run.updateMany({
      where: { id: runId },
      data: { enqueueCount: { increment: 1 } },
    });
  }

  private async findByIdempotencyKey(
    tenantId: string,
    idempotencyKey: string,
  ): Promise<{ run: RunRecord; ref: RunRevisionRef } | undefined> {
    const [row] = await this.sql.query<RunRow & { sandbox_id: string; sandbox_version: number }>(
      `SELECT ${runColumns('r')}, s.sandbox_id, s.version AS sandbox_version
       FROM run r JOIN sandbox_revision s ON s.id = r.sandbox_revision_id
       WHERE r.tenant_id = $1 AND r.idempotency_key = $2`,
      [tenantId, idempotencyKey],
    );
    return row
      ? {
          run: runRecordOf(row),
          ref: { sandboxId: row.sandbox_id, sandboxVersion: row.sandbox_version },
        }
      : undefined;
  }
}

/** Runs visible to the scope: the tenant's, and for a learner only those of the learner's sandboxes. */
function runsOf(scope: OwnerScope): Prisma.RunWhereInput {
  return scope.ownerRef === undefined
    ? { tenantId: scope.tenantId }
    : { tenantId: scope.tenantId, sandboxRevision: { sandbox: { ownerRef: scope.ownerRef } } };
}

/**
 * The revision a run is created for, as (id, sandbox_id, version); $2 is the tenant, $3 the target
 * id, $7 the owner a learner session is limited to (NULL: any).
 */
/** The run `alias` is visible to owner `ownerSql` (a learner session's); NULL: to any. */
function ownedBy(alias: string, ownerSql: string): string {
  return `(${ownerSql}::text IS NULL OR EXISTS (
    SELECT 1 FROM sandbox_revision os JOIN sandbox o ON o.id = os.sandbox_id
    WHERE os.id = ${alias}.sandbox_revision_id AND o.owner_ref = ${ownerSql}::text))`;
}

const REVISION_BY_ID = `SELECT r.id, r.sandbox_id, r.version FROM sandbox_revision r JOIN sandbox s ON s.id = r.sandbox_id
  WHERE r.id = $3 AND s.tenant_id = $2 AND ($7::text IS NULL OR s.owner_ref = $7::text)`;
const CURRENT_REVISION_OF_SANDBOX = `SELECT r.id, s.id AS sandbox_id, s.version
  FROM sandbox s JOIN sandbox_revision r ON r.sandbox_id = s.id AND r.version = s.version
  WHERE s.id = $3 AND s.tenant_id = $2 AND s.deleted_at IS NULL
    AND ($7::text IS NULL OR s.owner_ref = $7::text)`;
