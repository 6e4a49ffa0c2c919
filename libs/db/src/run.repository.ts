// Runs move queued -> running -> succeeded | failed. Queue delivery is at-least-once and duplicates
// can overlap (a stalled BullMQ job is re-delivered while its first worker still runs), so every
// transition is a compare-and-set on the status and the result row is keyed by run id: whatever
// the retries, exactly one outcome becomes visible.
import { OUTBOX_EVENT_KINDS, type OutboxPayloads, type RunStatus } from '@netplay/contracts';
import type { Prisma, PrismaClient } from './generated/prisma/client';
import { afterCursor, decodeCursor, NEWEST_FIRST, pageSize, toPage, type Page, type PageRequest } from './paging';
import { isUniqueViolation, isUuid } from './prisma-errors';

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
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Inserts the run and its `run.enqueue` outbox event in one transaction (transactional outbox:
   * the queue learns of the run only from a committed row, so no run is lost between the database
   * and Redis, and no job arrives before its row exists). With an idempotency key already used by
   * the tenant, returns the existing run and writes nothing.
   */
  async create(tenantId: string, input: NewRun): Promise<CreateRunResult> {
    if (input.idempotencyKey !== undefined) {
      const existing = await this.findByIdempotencyKey(tenantId, input.idempotencyKey);
      if (existing) return { run: existing, created: false };
    }
    try {
      const run = await this.prisma.$transaction(async (tx) => {
        const inserted = await tx.run.create({
          data: { tenantId, sandboxRevisionId: input.sandboxRevisionId, steps: input.steps, idempotencyKey: input.idempotencyKey },
          select: RUN_FIELDS,
        });
        const payload: OutboxPayloads['run.enqueue'] = { runId: inserted.id };
        await tx.outboxEvent.create({ data: { runId: inserted.id, kind: OUTBOX_EVENT_KINDS.runEnqueue, payload } });
        return inserted;
      });
      return { run, created: true };
    } catch (error) {
      // Two concurrent creates with one key: the loser's insert hits the unique index; answer with the winner.
      if (input.idempotencyKey !== undefined && isUniqueViolation(error)) {
        const existing = await this.findByIdempotencyKey(tenantId, input.idempotencyKey);
        if (existing) return { run: existing, created: false };
      }
      throw error;
    }
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

  /** queued -> running, counting the attempt. Fails when another delivery claimed or finished it. */
  async claim(runId: string, options: ClaimOptions = {}): Promise<ClaimResult> {
    if (!isUuid(runId)) return { claimed: false };
    const now = options.now ?? new Date();
    const claimable: Prisma.RunWhereInput[] = [{ status: 'queued' }];
    if (options.reclaimRunningAfterMs !== undefined) {
      claimable.push({ status: 'running', startedAt: { lt: new Date(now.getTime() - options.reclaimRunningAfterMs) } });
    }
    const { count } = await this.prisma.run.updateMany({
      where: { id: runId, OR: claimable },
      data: { status: 'running', startedAt: now, attempts: { increment: 1 } },
    });
    const run = await this.prisma.run.findUnique({ where: { id: runId }, select: RUN_FIELDS });
    if (count === 1 && run) return { claimed: true, run };
    return { claimed: false, status: run?.status };
  }

  /**
   * running -> succeeded | failed, writing the RunResult in the same transaction. Returns false when
   * the run was not running (another execution already finished it): the caller discards its outcome.
   */
  async complete(runId: string, outcome: RunOutcome, now: Date = new Date()): Promise<boolean> {
    if (!isUuid(runId)) return false;
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.run.updateMany({
        where: { id: runId, status: 'running' },
        data: { status: outcome.status, finishedAt: now, error: outcome.status === 'failed' ? outcome.error : null },
      });
      if (count === 0) return false;
      if (outcome.results !== undefined) await tx.runResult.create({ data: { runId, results: outcome.results } });
      return true;
    });
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
    const run = await this.prisma.run.findUnique({
      where: { tenantId_idempotencyKey: { tenantId, idempotencyKey } },
      select: RUN_FIELDS,
    });
    return run ?? undefined;
  }
}
