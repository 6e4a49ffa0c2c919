// The run row as SQL reads it (snake_case columns) and its one mapping to the record repositories
// hand out: every statement that returns runs selects `runColumns()` and maps with `runRecordOf`.
import type { RunStatus } from '@netplay/contracts';
import type { Prisma } from './generated/prisma/client';

const RUN_COLUMNS = [
  'id',
  'tenant_id',
  'sandbox_revision_id',
  'steps',
  'status',
  'attempts',
  'enqueue_count',
  'error',
  'idempotency_key',
  'created_at',
  'started_at',
  'finished_at',
] as const;

/** The run's columns, optionally qualified with a table alias. */
export function runColumns(alias?: string): string {
  return RUN_COLUMNS.map((column) => (alias ? `${alias}.${column}` : column)).join(', ');
}

/** A run as repositories hand it out (camelCase). */
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

export interface RunRow {
  id: string;
  tenant_id: string;
  sandbox_revision_id: string;
  steps: Prisma.JsonValue;
  status: RunStatus;
  attempts: number;
  enqueue_count: number;
  error: string | null;
  idempotency_key: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export function runRecordOf(row: RunRow): RunRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    sandboxRevisionId: row.sandbox_revision_id,
    steps: row.steps,
    status: row.status,
    attempts: row.attempts,
    enqueueCount: row.enqueue_count,
    error: row.error,
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
