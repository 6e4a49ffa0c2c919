// The few SQL operations the migration runner needs, over either node-postgres or PGlite, so one
// tested runner serves real Postgres and the embedded database alike.
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { Client } from 'pg';

export interface SqlSession {
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements (simple-query protocol, no parameters). */
  execScript(sql: string): Promise<void>;
  transaction<T>(work: (tx: SqlSession) => Promise<T>): Promise<T>;
}

/** A session over one dedicated pg connection (a pool could hand statements to different connections). */
export function pgSession(client: Client): SqlSession {
  const session: SqlSession = {
    async query<Row>(sql: string, params: unknown[] = []) {
      const result = await client.query(sql, params);
      return result.rows as Row[];
    },
    async execScript(sql) {
      await client.query(sql);
    },
    async transaction(work) {
      await client.query('BEGIN');
      try {
        const value = await work(session);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
  return session;
}

export function pgliteSession(db: PGlite): SqlSession {
  return {
    async query<Row>(sql: string, params: unknown[] = []) {
      return (await db.query<Row>(sql, params)).rows;
    },
    async execScript(sql) {
      await db.exec(sql);
    },
    transaction: (work) => db.transaction((tx) => work(pgliteTransactionSession(tx))),
  };
}

function pgliteTransactionSession(tx: Transaction): SqlSession {
  const session: SqlSession = {
    async query<Row>(sql: string, params: unknown[] = []) {
      return (await tx.query<Row>(sql, params)).rows;
    },
    async execScript(sql) {
      await tx.exec(sql);
    },
    // PGlite has no nested transactions; the runner never nests, so reuse the open one.
    transaction: (work) => work(session),
  };
  return session;
}
