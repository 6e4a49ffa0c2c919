// Databases for integration suites: a fresh, migrated Postgres database per suite on the server in
// DATABASE_URL (dropped afterwards), or an in-memory PGlite database. Suites that need the server skip
// themselves, with the reason in their name, when DATABASE_URL is not set (CI sets it).
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { applyMigrationsTo, createPrismaClient, type DatabaseHandle } from '@netplay/db';

export const POSTGRES_URL = process.env.DATABASE_URL;
export const POSTGRES_SKIP_REASON = 'skipped: DATABASE_URL is not set (CI sets it)';

/**
 * PGlite loads its WASM build with dynamic import(), which Jest's VM sandbox allows only when Node
 * runs with --experimental-vm-modules (`npm test` sets it in NODE_OPTIONS).
 */
export const PGLITE_SKIP_REASON = [
  ...process.execArgv,
  ...(process.env.NODE_OPTIONS ?? '').split(/\s+/),
].includes('--experimental-vm-modules')
  ? undefined
  : 'skipped: PGlite needs node --experimental-vm-modules under Jest (npm test sets it)';

/** `describe` when DATABASE_URL is set, otherwise `describe.skip` with the reason in the suite name. */
export function describeWithPostgres(name: string, suite: () => void): void {
  if (POSTGRES_URL) describe(name, suite);
  else describe.skip(`${name} (${POSTGRES_SKIP_REASON})`, suite);
}

export interface TestPostgresDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** Creates an empty database `netplay_test_<pid>_<random>` next to the one DATABASE_URL names. */
export async function createEmptyPostgresDatabase(
  serverUrl: string,
): Promise<TestPostgresDatabase> {
  const name = `netplay_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      withAdminClient(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      ).then(() => undefined),
  };
}

/** A fresh database migrated with the project's migration runner. */
export async function createMigratedPostgresDatabase(
  serverUrl: string,
): Promise<TestPostgresDatabase> {
  const database = await createEmptyPostgresDatabase(serverUrl);
  const report = await applyMigrationsTo({ databaseUrl: database.url });
  if (report.problems.length > 0)
    throw new Error(report.problems.map((problem) => problem.message).join('; '));
  return database;
}

export interface TestBackend {
  name: 'postgres' | 'pglite';
  open(): Promise<{ handle: DatabaseHandle; cleanup(): Promise<void> }>;
}

/** Both backends the service runs on; the Postgres one is absent without DATABASE_URL. */
export const TEST_BACKENDS: TestBackend[] = [
  {
    name: 'pglite',
    async open() {
      const handle = await createPrismaClient({ dataDir: 'memory://' });
      return { handle, cleanup: () => handle.close() };
    },
  },
  {
    name: 'postgres',
    async open() {
      if (!POSTGRES_URL) throw new Error(POSTGRES_SKIP_REASON);
      const database = await createMigratedPostgresDatabase(POSTGRES_URL);
      const handle = await createPrismaClient({ databaseUrl: database.url });
      return {
        handle,
        cleanup: async () => {
          await handle.close();
          await database.drop();
        },
      };
    },
  },
];

export function backendSkipReason(name: TestBackend['name']): string | undefined {
  return name === 'postgres'
    ? POSTGRES_URL
      ? undefined
      : POSTGRES_SKIP_REASON
    : PGLITE_SKIP_REASON;
}

/** `describe` per backend; a backend that cannot run here is skipped with the reason in the name. */
export function describeEachBackend(name: string, suite: (backend: TestBackend) => void): void {
  for (const backend of TEST_BACKENDS) {
    const title = `${name} [${backend.name}]`;
    const skip = backendSkipReason(backend.name);
    if (skip) describe.skip(`${title} (${skip})`, () => suite(backend));
    else describe(title, () => suite(backend));
  }
}

async function withAdminClient<T>(
  serverUrl: string,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const url = new URL(serverUrl);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
