// Reads the transactional outbox for the relay. Rows are locked with FOR UPDATE SKIP LOCKED so
// several relays (one per API/worker process) share the work without sending an event twice at
// once; a crash before the commit releases the locks and the rows are sent again later, which the
// queue absorbs because job ids are run ids.
import type { OutboxEventKind } from '@netplay/contracts';
import type { Prisma, PrismaClient } from './generated/prisma/client';
import type { Database, SqlExecutor } from './sql-executor';

export interface OutboxEventRecord {
  id: bigint;
  /** Set on run events (`run.enqueue`); the CHECK `outbox_event_one_target` guarantees one target. */
  runId: string;
  /** Set on submission events (`submission.grade`); empty on run events. */
  submissionId: string;
  kind: string;
  payload: Prisma.JsonValue;
  createdAt: Date;
}

export interface DispatchReport {
  dispatched: number;
  /** The first publish error; the events from it on stay undispatched for the next pass. */
  error?: unknown;
}

interface OutboxRow {
  id: bigint;
  run_id: string | null;
  submission_id: string | null;
  kind: string;
  payload: Prisma.JsonValue;
  created_at: Date;
}

/** Long enough for a batch of queue writes; Prisma's default of 5 s is tight when Redis is slow. */
const DISPATCH_TRANSACTION_TIMEOUT_MS = 30_000;

export class OutboxRepository {
  private readonly prisma: PrismaClient;
  private readonly sql: SqlExecutor;

  constructor(database: Database) {
    this.prisma = database.prisma;
    this.sql = database.sql;
  }

  /**
   * Locks up to `limit` undispatched events of the given kinds (oldest first), at least `minAgeMs`
   * old by the database's clock, hands each to `publish`, and marks the published ones dispatched
   * in the same transaction.
   */
  async dispatchBatch(
    kinds: readonly OutboxEventKind[],
    limit: number,
    publish: (event: OutboxEventRecord) => Promise<void>,
    options: { minAgeMs?: number } = {},
  ): Promise<DispatchReport> {
    const minAgeMs = options.minAgeMs ?? 0;
    // Every API and worker process relays several times a second and almost every pass finds
    // nothing (workers delete the events of the runs they claim): one plain statement asks first,
    // and only a pass with work opens the locking transaction.
    if (!(await this.hasDue(kinds, minAgeMs))) return { dispatched: 0 };
    return this.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<OutboxRow[]>`
          SELECT id, run_id, submission_id, kind, payload, created_at
          FROM outbox_event
          WHERE dispatched_at IS NULL AND kind = ANY(${[...kinds]}::text[])
            AND created_at <= now() - ${minAgeMs}::double precision * interval '1 millisecond'
          ORDER BY id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED`;
        const published: bigint[] = [];
        let error: unknown;
        for (const row of rows) {
          try {
            await publish({
              id: row.id,
              runId: row.run_id ?? '',
              submissionId: row.submission_id ?? '',
              kind: row.kind,
              payload: row.payload,
              createdAt: row.created_at,
            });
            published.push(row.id);
          } catch (publishError) {
            error = publishError;
            break;
          }
        }
        if (published.length > 0) {
          await tx.outboxEvent.updateMany({
            where: { id: { in: published } },
            data: { dispatchedAt: new Date() },
          });
        }
        return { dispatched: published.length, error };
      },
      { timeout: DISPATCH_TRANSACTION_TIMEOUT_MS },
    );
  }

  private async hasDue(kinds: readonly OutboxEventKind[], minAgeMs: number): Promise<boolean> {
    const [row] = await this.sql.query<{ due: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM outbox_event
         WHERE dispatched_at IS NULL AND kind = ANY($1::text[]) AND created_at <= now() - $2::double precision * interval '1 millisecond'
       ) AS due`,
      [[...kinds], minAgeMs],
    );
    return row?.due === true;
  }

  /** Undispatched events, for monitoring the relay's lag. */
  countUndispatched(): Promise<number> {
    return this.prisma.outboxEvent.count({ where: { dispatchedAt: null } });
  }
}
