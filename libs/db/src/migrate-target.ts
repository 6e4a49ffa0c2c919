// Opens the configured database just long enough to migrate it.
import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { Client } from 'pg';
import { applyMigrations, readMigrations, type MigrationReport } from './migrate';
import { DEFAULT_DATA_DIR } from './prisma-client';
import { pgliteSession, pgSession } from './sql-session';

export interface MigrationTarget {
  databaseUrl?: string;
  dataDir?: string;
  migrationsDir?: string;
}

export async function applyMigrationsTo(target: MigrationTarget): Promise<MigrationReport> {
  const migrations = readMigrations(target.migrationsDir);
  if (target.databaseUrl) {
    const client = new Client({ connectionString: target.databaseUrl });
    await client.connect();
    try {
      return await applyMigrations(pgSession(client), migrations);
    } finally {
      await client.end();
    }
  }
  const dataDir = target.dataDir ?? DEFAULT_DATA_DIR;
  mkdirSync(dataDir, { recursive: true });
  const db = new PGlite(dataDir);
  try {
    return await applyMigrations(pgliteSession(db), migrations);
  } finally {
    await db.close();
  }
}
