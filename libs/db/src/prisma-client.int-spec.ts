// A broken idle connection (here: its backend terminated, as a server restart or failover does)
// must reach the handle's listener and leave the pool usable, not end the process.
import {
  createMigratedPostgresDatabase,
  describeWithPostgres,
  POSTGRES_URL,
  type TestPostgresDatabase,
} from '@netplay/testing';
import { Client } from 'pg';
import { createPrismaClient, type DatabaseHandle } from './prisma-client';

jest.setTimeout(30_000);

describeWithPostgres('createPrismaClient on PostgreSQL', () => {
  let database: TestPostgresDatabase;
  let handle: DatabaseHandle;
  let reportConnectionError: (error: Error) => void;
  const connectionError = new Promise<Error>((resolve) => (reportConnectionError = resolve));

  beforeAll(async () => {
    database = await createMigratedPostgresDatabase(POSTGRES_URL ?? '');
    handle = await createPrismaClient({
      databaseUrl: database.url,
      onConnectionError: (error) => reportConnectionError(error),
    });
  });
  afterAll(async () => {
    await handle?.close();
    await database?.drop();
  });

  it('reports an idle connection whose backend was terminated and answers the next query on a new one', async () => {
    const [{ pid }] = await handle.sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }

    expect(await connectionError).toMatchObject({ code: '57P01' });
    const [next] = await handle.sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(next.pid).not.toBe(pid);
  });
});
