// Runs move queued -> running -> succeeded | failed. Queue delivery is at-least-once and duplicates
// can overlap (a stalled BullMQ job is re-delivered while its first worker still runs), so every
// transition is a compare-and-set on the status and the result row is keyed by run id: whatever
// the retries, exactly one outcome becomes visible.
import { OUTBOX_EVENT_KINDS, type OutboxPayloads, type RunStatus } from '@netplay/contracts';
import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from './generated/prisma/client';
import { afterCursor, decodeCursor, NEWEST_FIRST, pageSize, toPage, type Page, type PageRequest } from './paging';
import { isUuid } from './prisma-errors';
import { runColumns, runRecordOf, type RunRow } from './run-rows';
import type { Database, SqlExecutor } from './sql-executor';

export interface RunRecord {
  id: string;
  tenantId: string;
  sandboxRevisionId: string;
  steps: Prisma.JsonValue;
  status: RunStatus;
  attempts: number;
  enqueueCount: number;
  error: string | null;
  idempotencyKey: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

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

export type CreateRunResult = { run: RunRecord; created: boolean };

/** A run as its reader sees it: the row, the sandbox version it simulated, and its result once finished. */
export interface RunWithResultRecord {
  run: RunRecord;
  ref: RunRevisionRef;
  /** The stored traces; null until the run is finished (and for a run that failed before the engine ran). */
  result: Prisma.JsonValue | null;
}

export type RunOutcome =
  | { status: 'succeeded'; results: Prisma.InputJsonValue }
  | { status: 'failed'; error: string; results?: Prisma.InputJsonValue };

export type ClaimResult = { claimed: true; run: RunRecord } | { claimed: false; status?: RunStatus };

export interface ClaimOptions {
  /**
   * A run left `running` longer than this (its worker died without finishing) may be claimed again.
   * Without it only `queued` runs are claimable.
   */
  reclaimRunningAfterMs?: number;
  now?: Date;
}

const RUN_FIELDS = {
  id: true,
  tenantId: true,
  sandboxRevisionId: true,
  steps: true,
  status: true,
  attempts: true,
  enqueueCount: true,
  error: true,
  idempotencyKey: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} as const;

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
   */
  async create(tenantId: string, input: NewRun): Promise<CreateRunResult> {
    const id = input.id ?? randomUUID();
    if (!isUuid(id)) throw new Error(`run id ${JSON.stringify(id)} is not a UUID`);
    const rows = await this.sql.query<RunRow>(
      `WITH inserted AS (
         INSERT INTO run (id, tenant_id, sandbox_revision_id, steps, idempotency_key)
         VALUES ($1, $2, $3, $4::jsonb, $5)
         ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
         RETURNING ${runColumns()}
       ), event AS (
         INSERT INTO outbox_event (run_id, kind, payload)
         SELECT id, $6, jsonb_build_object('runId', id) FROM inserted
       )
       SELECT ${runColumns()} FROM inserted`,
      [id, tenantId, input.sandboxRevisionId, JSON.stringify(input.steps), input.idempotencyKey ?? null, OUTBOX_EVENT_KINDS.runEnqueue satisfies keyof OutboxPayloads],
    );
    if (rows[0]) return { run: runRecordOf(rows[0]), created: true };
    const existing = input.idempotencyKey === undefined ? undefined : await this.findByIdempotencyKey(tenantId, input.idempotencyKey);
    if (!existing) throw new Error(`run ${id} was neither inserted nor found by its idempotency key`);
    return { run: existing, created: false };
  }

  /** The run, its sandbox version and its result in one read (what GET /v1/runs/:id answers). */
  async getWithResult(tenantId: string, id: string): Promise<RunWithResultRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const [row] = await this.sql.query<RunRow & { sandbox_id: string; sandbox_version: number; results: Prisma.JsonValue | null }>(
      `SELECT ${runColumns('r')}, s.sandbox_id, s.version AS sandbox_version, rr.results
       FROM run r
       JOIN sandbox_revision s ON s.id = r.sandbox_revision_id
       LEFT JOIN run_result rr ON rr.run_id = r.id
       WHERE r.id = $1 AND r.tenant_id = $2`,
      [id, tenantId],
    );
    if (!row) return undefined;
    return { run: runRecordOf(row), ref: { sandboxId: row.sandbox_id, sandboxVersion: row.sandbox_version }, result: row.results ?? null };
  }

  async get(tenantId: string, id: string): Promise<RunRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.prisma.run.findFirst({ where: { id, tenantId }, select: RUN_FIELDS })) ?? undefined;
  }

  /** For the worker, which receives bare run ids from the queue. */
  async getForWorker(id: string): Promise<RunRecord | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.prisma.run.findUnique({ where: { id }, select: RUN_FIELDS })) ?? undefined;
  }

  async getResult(tenantId: string, runId: string): Promise<Prisma.JsonValue | undefined> {
    if (!isUuid(runId)) return undefined;
    const row = await this.prisma.runResult.findFirst({ where: { runId, run: { tenantId } }, select: { results: true } });
    return row?.results ?? undefined;
  }

  /** Newest first, without results (they live in run_result and can be large). */
  async list(tenantId: string, request: RunListRequest = {}): Promise<{ ok: true; page: Page<RunRecord> } | { ok: false; code: 'bad-cursor' }> {
    const position = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
    if (request.cursor !== undefined && !position) return { ok: false, code: 'bad-cursor' };
    if (request.sandboxId !== undefined && !isUuid(request.sandboxId)) return { ok: true, page: { items: [] } };
    const size = pageSize(request.limit);
    const rows = await this.prisma.run.findMany({
      where: { tenantId, ...(request.sandboxId ? { sandboxRevision: { sandboxId: request.sandboxId } } : {}), ...(position ? afterCursor(position) : {}) },
      orderBy: NEWEST_FIRST,
      take: size + 1,
      select: RUN_FIELDS,
    });
    return { ok: true, page: toPage(rows, size, (row) => row) };
  }

  /** The sandbox and version each run simulated (without the revision's manifests), for run views. */
  async revisionRefs(tenantId: string, runIds: readonly string[]): Promise<Map<string, RunRevisionRef>> {
    const rows = await this.prisma.run.findMany({
      where: { tenantId, id: { in: runIds.filter(isUuid) } },
      select: { id: true, sandboxRevision: { select: { sandboxId: true, version: true } } },
    });
    return new Map(rows.map((row) => [row.id, { sandboxId: row.sandboxRevision.sandboxId, sandboxVersion: row.sandboxRevision.version }]));
  }

  /**
   * queued -> running, counting the attempt. Fails when another delivery claimed or finished it.
   * A claimed run's job evidently reached the queue, so its `run.enqueue` outbox event is marked
   * dispatched in the same statement: the relay then has nothing to send again for it.
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
       ), dispatched AS (
         UPDATE outbox_event SET dispatched_at = $2
         WHERE run_id IN (SELECT id FROM claimed) AND dispatched_at IS NULL
       )
       SELECT ${runColumns()} FROM claimed`,
      [runId, now.toISOString(), reclaim, runningBefore.toISOString()],
    );
    if (claimed) return { claimed: true, run: runRecordOf(claimed) };
    const [current] = await this.sql.query<{ status: RunStatus }>('SELECT status FROM run WHERE id = $1', [runId]);
    return { claimed: false, status: current?.status };
  }

  /**
   * running -> succeeded | failed, writing the RunResult in the same statement. Returns false when
   * the run was not running (another execution already finished it): the caller discards its outcome.
   */
  async complete(runId: string, outcome: RunOutcome, now: Date = new Date()): Promise<boolean> {
    if (!isUuid(runId)) return false;
    const results = outcome.results === undefined ? null : JSON.stringify(outcome.results);
    const [row] = await this.sql.query<{ finished: number }>(
      `WITH finished AS (
         UPDATE run SET status = $2::run_status, finished_at = $3, error = $4
         WHERE id = $1 AND status = 'running'
         RETURNING id
       ), stored AS (
         INSERT INTO run_result (run_id, results) SELECT id, $5::jsonb FROM finished WHERE $5::jsonb IS NOT NULL
       )
       SELECT count(*)::int AS finished FROM finished`,
      [runId, outcome.status, now.toISOString(), outcome.status === 'failed' ? outcome.error : null, results],
    );
    return row?.finished === 1;
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
  listUnfinished(createdBefore: Date, limit = 100): Promise<RunRecord[]> {
    return this.prisma.run.findMany({
      where: { status: { in: ['queued', 'running'] }, createdAt: { lt: createdBefore } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: limit,
      select: RUN_FIELDS,
    });
  }

  /** Counts a re-enqueue by the reconciler (kept for operators: a run re-enqueued often is a symptom). */
  async recordReenqueue(runId: string): Promise<void> {
    await this.prisma.run.updateMany({ where: { id: runId }, data: { enqueueCount: { increment: 1 } } });
  }

  private async findByIdempotencyKey(tenantId: string, idempotencyKey: string): Promise<RunRecord | undefined> {
    const [row] = await this.sql.query<RunRow>(`SELECT ${runColumns()} FROM run WHERE tenant_id = $1 AND idempotency_key = $2`, [tenantId, idempotencyKey]);
    return row ? runRecordOf(row) : undefined;
  }
}
