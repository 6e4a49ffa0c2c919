// One way to get a Prisma client: real Postgres through node-postgres when a URL is given, otherwise
// the embedded PGlite database (WASM Postgres in a local folder), migrated on open.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient, type Prisma } from './generated/prisma/client';
import { applyMigrations, readMigrations, type MigrationReport } from './migrate';
import { pgliteExecutor, poolExecutor, type Database } from './sql-executor';
import { pgliteSession } from './sql-session';

/** How long a request waits for a pooled connection (or a transaction for one) before a 503. */
const CONNECT_TIMEOUT_MS = 5_000;

export const DEFAULT_DATA_DIR = path.resolve(__dirname, '../../../.data/pglite');

export interface PrismaClientOptions {
  /** postgresql://… ; when absent the embedded database is used. */
  databaseUrl?: string;
  /** Folder of the embedded database; `memory://` keeps it in memory (tests, throwaway sandboxes). */
  dataDir?: string;
  migrationsDir?: string;
  /**
   * Told when an idle pooled connection breaks (server restart, failover, a terminated backend).
   * The pool has already dropped the connection and opens a new one on demand; without a listener
   * node-postgres would raise the error as an uncaught exception and end the process.
   */
  onConnectionError?: (error: Error) => void;
}

export interface DatabaseHandle extends Database {
  mode: 'postgres' | 'embedded';
  /** Migrations applied while opening the embedded database; real Postgres is migrated by a deploy step. */
  migrations?: MigrationReport;
  close(): Promise<void>;
}

export async function createPrismaClient(
  options: PrismaClientOptions = {},
): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    // One pool for both: Prisma's adapter and the plain SQL share connections and their limit.
    // A server that does not answer fails a request after 5 s (503) instead of holding it.
    const pool = new Pool({
      connectionString: options.databaseUrl,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    pool.on('error', options.onConnectionError ?? (() => undefined));
    const prisma = new PrismaClient({
      adapter: new PrismaPg(pool),
      // An interactive transaction waits for a pooled connection as long as any statement does
      // (Prisma's default is 2 s): with every connection busy, 20 concurrent submits answered
      // 500 "Unable to start a transaction in the given time" (docs/reliability.md, F11).
      transactionOptions: { maxWait: CONNECT_TIMEOUT_MS },
    });
    return {
      prisma,
      sql: poolExecutor(pool),
      mode: 'postgres',
      close: async () => {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  // One PGlite instance per folder and process: it is single-connection, so the migration runner
  // and the client share it rather than opening the folder twice.
  const db = new PGlite(dataDir);
  const migrations = await applyMigrations(
    pgliteSession(db),
    readMigrations(options.migrationsDir),
  );
  if (migrations.problems.length > 0) {
    await db.close();
    throw new Error(
      `embedded database at ${dataDir} cannot be migrated: ${migrations.problems.map((p) => p.message).join('; ')}`,
    );
  }
  const prisma = new PrismaClient({ adapter: pgliteAdapter(db) });
  return {
    prisma,
    sql: pgliteExecutor(db),
    mode: 'embedded',
    migrations,
    close: async () => {
      await prisma.$disconnect();
      await db.close();
    },
  };
}

type DriverAdapterFactory = NonNullable<Prisma.PrismaClientOptions['adapter']>;

/**
 * pglite-prisma-adapter 0.6 is typed against driver-adapter-utils 6.10, where a query's argTypes were
 * strings; Prisma 6.19 passes objects. The adapter never reads argTypes (it hands the values to
 * PGlite as they are), so only the declared types differ; the integration tests exercise it.
 */
function pgliteAdapter(db: PGlite): DriverAdapterFactory {
  return new PrismaPGlite(db) as unknown as DriverAdapterFactory;
}
