// Plain parameterised SQL beside the Prisma client, on the same connections (the pg pool Prisma's
// adapter uses, or the one PGlite instance). The statements a run passes through on its way from
// submit to result use it: each is one round trip with no query planning in the client, where the
// ORM's query compiler costs more CPU than the database spends on the statement (BENCHMARKS.md).
import type { PGlite } from '@electric-sql/pglite';
import type { Pool } from 'pg';
import type { PrismaClient } from './generated/prisma/client';

export interface SqlExecutor {
  query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** What a repository is built on: the ORM for most work, plain SQL for the hot statements. */
export interface Database {
  prisma: PrismaClient;
  sql: SqlExecutor;
}

/**
 * More distinct statement texts than this are run unprepared: the executor's statements are fixed
 * texts with parameters, so the bound only guards a backend's memory against a caller that builds
 * SQL text per call.
 */
const MAX_PREPARED_STATEMENTS = 200;

/**
 * Runs every statement as a named prepared statement, prepared once per pooled connection: the
 * hot statements are run hundreds of times a second, and parsing and planning them anew each
 * time was about a third of PostgreSQL's CPU per run (BENCHMARKS.md). Behind a pooler in
 * transaction mode this needs protocol-level prepared statement support (PgBouncer 1.21+ with
 * `max_prepared_statements`; docs/architecture.md).
 */
export function poolExecutor(pool: Pool): SqlExecutor {
  const names = new Map<string, string>();
  const nameOf = (sql: string): string | undefined => {
    let name = names.get(sql);
    if (name === undefined && names.size < MAX_PREPARED_STATEMENTS) {
      name = `netplay_${names.size + 1}`;
      names.set(sql, name);
    }
    return name;
  };
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      return (await pool.query({ name: nameOf(sql), text: sql, values: params as unknown[] }))
        .rows as Row[];
    },
  };
}

export function pgliteExecutor(db: PGlite): SqlExecutor {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      return (await db.query<Row>(sql, params as unknown[])).rows;
    },
  };
}
