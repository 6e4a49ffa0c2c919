// Deletes what the retention policy (docs/deploy.md, "Retention") lets go, one bounded batch per
// statement: each statement locks at most `batchSize` rows (plus their cascaded results, outbox
// events and delivery attempts) for a few milliseconds, and skips rows another transaction holds
// (`FOR UPDATE SKIP LOCKED`), so pruning never queues behind, or blocks, the run path.
import type { Database, SqlExecutor } from './sql-executor';

/**
 * Finished runs (succeeded or failed) created before the cutoff; their results (traces) and outbox
 * events go with them (ON DELETE CASCADE). Queued and running runs are never touched. The
 * `(status, created_at)` index serves the selection.
 */
const PRUNE_RUNS = `
WITH doomed AS (
  SELECT id FROM run
  WHERE status IN ('succeeded', 'failed') AND created_at < $1
  LIMIT $2
  FOR UPDATE SKIP LOCKED
), deleted AS (
  DELETE FROM run USING doomed WHERE run.id = doomed.id RETURNING 1
)
SELECT count(*)::int AS n FROM deleted`;

/**
 * Webhook messages created before the cutoff that are settled: at least one delivery attempt was
 * made and none since `$2` (the latest time a retry could still be scheduled). A message with no
 * attempt yet is waiting in a queue and stays. Delivery attempts go with their message (CASCADE).
 */
const PRUNE_WEBHOOK_MESSAGES = `
WITH doomed AS (
  SELECT e.id FROM webhook_event e
  WHERE e.created_at < $1
    AND EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.event_id = e.id)
    AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.event_id = e.id AND d.at >= $2)
  LIMIT $3
  FOR UPDATE OF e SKIP LOCKED
), deleted AS (
  DELETE FROM webhook_event USING doomed WHERE webhook_event.id = doomed.id RETURNING 1
)
SELECT count(*)::int AS n FROM deleted`;

/** A table whose expired rows are told by one timestamp column: its row key and that column. */
interface AgedRows {
  table: string;
  key: string;
  column: string;
}

/** Identifiers only, never input: they are written into the statement. */
const AGED_ROWS = {
  /**
   * LTI launches (who launched what, with the AGS and NRPS URLs they granted) created before the
   * cutoff. A launch is read while its learner session lives (at most 12 hours: score passback)
   * and as the course roster's source; older than the retention period it serves neither.
   */
  ltiLaunches: { table: 'lti_launch', key: 'id', column: 'created_at' },
  /**
   * Line item leases of resource links not launched for the retention period (`updated_at` moves
   * when the line item is recorded or the lease claimed). A later launch of such a link finds its
   * line item in the platform's container again (a GET, no new line item).
   */
  ltiLineItemLeases: { table: 'lti_line_item_lease', key: 'link_key', column: 'updated_at' },
  /**
   * Used LTI nonces past their own expiry (an hour after the id_token's): a replay of that token
   * is refused as expired anyway. Launches sweep a few on the way; this takes the rest.
   */
  ltiNonces: { table: 'lti_nonce', key: 'ctid', column: 'expires_at' },
} as const satisfies Record<string, AgedRows>;

export type AgedRowsKind = keyof typeof AGED_ROWS;

function pruneAgedRows({ table, key, column }: AgedRows): string {
  return `
WITH doomed AS (
  SELECT ${key} FROM ${table} WHERE ${column} < $1 LIMIT $2 FOR UPDATE SKIP LOCKED
), deleted AS (
  DELETE FROM ${table} USING doomed WHERE ${table}.${key} = doomed.${key} RETURNING 1
)
SELECT count(*)::int AS n FROM deleted`;
}

export class RetentionRepository {
  private readonly sql: SqlExecutor;

  constructor(database: Pick<Database, 'sql'>) {
    this.sql = database.sql;
  }

  /** Deletes up to `batchSize` finished runs created before `cutoff`; returns how many. */
  async pruneRunsBatch(cutoff: Date, batchSize: number): Promise<number> {
    const [row] = await this.sql.query<{ n: number }>(PRUNE_RUNS, [cutoff, batchSize]);
    return row?.n ?? 0;
  }

  /**
   * Deletes up to `batchSize` settled webhook messages created before `cutoff` whose last attempt
   * is older than `lastAttemptBefore`; returns how many.
   */
  async pruneWebhookMessagesBatch(
    cutoff: Date,
    lastAttemptBefore: Date,
    batchSize: number,
  ): Promise<number> {
    const [row] = await this.sql.query<{ n: number }>(PRUNE_WEBHOOK_MESSAGES, [
      cutoff,
      lastAttemptBefore,
      batchSize,
    ]);
    return row?.n ?? 0;
  }

  /** Deletes up to `batchSize` rows of the kind whose timestamp is before `before`; returns how many. */
  async pruneAgedBatch(kind: AgedRowsKind, before: Date, batchSize: number): Promise<number> {
    const [row] = await this.sql.query<{ n: number }>(pruneAgedRows(AGED_ROWS[kind]), [
      before,
      batchSize,
    ]);
    return row?.n ?? 0;
  }
}
