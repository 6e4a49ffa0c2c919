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

export function poolExecutor(pool: Pool): SqlExecutor {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      return (await pool.query(sql, params as unknown[])).rows as Row[];
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
