// Applies prisma/migrations/*/migration.sql the way `prisma migrate deploy` does, for databases the
// CLI cannot migrate here: Prisma 6.19's WASM schema engine fails to initialise `_prisma_migrations`
// on PostgreSQL 15 ("Column type 'name' could not be deserialized"), and the native engine binary
// cannot be downloaded. The bookkeeping matches Prisma's, so `prisma migrate status`/`deploy` read
// the result as their own (table layout: prisma-engines, schema-engine/connectors/sql-schema-connector,
// postgres flavour `create_migrations_table`).
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SqlSession } from './sql-session';

export const DEFAULT_MIGRATIONS_DIR = path.resolve(__dirname, '../../../prisma/migrations');

/** Prisma's own advisory-lock key for migrations, so this runner and the Prisma CLI exclude each other. */
const PRISMA_MIGRATE_ADVISORY_LOCK = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export type MigrationProblemCode = 'checksum-mismatch' | 'failed-migration' | 'unknown-migration';

export interface MigrationProblem {
  code: MigrationProblemCode;
  migration: string;
  message: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
  /** Non-empty means nothing was applied: the database needs a person to look at it first. */
  problems: MigrationProblem[];
}

/** sha256 of the file's bytes, hex: the checksum Prisma stores in `_prisma_migrations.checksum`. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/** Migration folders in apply order (their names start with a UTC timestamp, so lexical order). */
export function readMigrations(migrationsDir: string = DEFAULT_MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() && existsSync(path.join(migrationsDir, entry.name, 'migration.sql')),
    )
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: migrationChecksum(sql) };
    });
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies every pending migration in order, each in its own transaction together with its
 * `_prisma_migrations` row, so a failing script leaves neither its changes nor a row behind.
 * Refuses to apply anything when an applied migration's file changed, when a migration is recorded
 * as started but unfinished (Prisma's P3009), or when the database knows a migration the folder lacks.
 */
export async function applyMigrations(
  session: SqlSession,
  migrations: MigrationFile[] = readMigrations(),
): Promise<MigrationReport> {
  await session.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_ADVISORY_LOCK]);
  try {
    await session.execScript(CREATE_MIGRATIONS_TABLE);
    const rows = await session.query<MigrationRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    );
    const problems = findProblems(rows, migrations);
    const report: MigrationReport = { applied: [], alreadyApplied: [], problems };
    if (problems.length > 0) return report;

    const applied = new Set(rows.filter(isApplied).map((row) => row.migration_name));
    for (const migration of migrations) {
      if (applied.has(migration.name)) {
        report.alreadyApplied.push(migration.name);
        continue;
      }
      await applyOne(session, migration);
      report.applied.push(migration.name);
    }
    return report;
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_ADVISORY_LOCK]);
  }
}

async function applyOne(session: SqlSession, migration: MigrationFile): Promise<void> {
  await session.transaction(async (tx) => {
    const id = randomUUID();
    await tx.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [id, migration.checksum, migration.name],
    );
    await tx.execScript(migration.sql);
    // Prisma counts a migration script as one step and leaves `logs` NULL on success.
    await tx.query(
      `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
  });
}

function isApplied(row: MigrationRow): boolean {
  return row.finished_at !== null && row.rolled_back_at === null;
}

function findProblems(rows: MigrationRow[], migrations: MigrationFile[]): MigrationProblem[] {
  const byName = new Map(migrations.map((migration) => [migration.name, migration]));
  const problems: MigrationProblem[] = [];
  for (const row of rows) {
    if (row.rolled_back_at !== null) continue;
    const file = byName.get(row.migration_name);
    if (row.finished_at === null) {
      problems.push({
        code: 'failed-migration',
        migration: row.migration_name,
        message: `migration ${row.migration_name} started but never finished; resolve it before applying more`,
      });
    } else if (!file) {
      problems.push({
        code: 'unknown-migration',
        migration: row.migration_name,
        message: `migration ${row.migration_name} is applied in the database but missing from the migrations folder`,
      });
    } else if (file.checksum !== row.checksum) {
      problems.push({
        code: 'checksum-mismatch',
        migration: row.migration_name,
        message: `migration ${row.migration_name} was edited after it was applied (checksum ${row.checksum} in the database, ${file.checksum} on disk)`,
      });
    }
  }
  return problems;
}
