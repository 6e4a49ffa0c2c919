import {
  createEmptyPostgresDatabase,
  PGLITE_SKIP_REASON,
  POSTGRES_SKIP_REASON,
  POSTGRES_URL,
} from '@netplay/testing';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { applyMigrations, migrationChecksum, readMigrations, type MigrationFile } from './migrate';
import { pgliteSession, pgSession, type SqlSession } from './sql-session';

jest.setTimeout(60_000);

interface OpenSession {
  session: SqlSession;
  close(): Promise<void>;
}

const sessionFactories: Array<{ name: string; skip?: string; open: () => Promise<OpenSession> }> = [
  {
    name: 'PGlite',
    skip: PGLITE_SKIP_REASON,
    async open() {
      const db = new PGlite();
      return { session: pgliteSession(db), close: () => db.close() };
    },
  },
  {
    name: 'PostgreSQL',
    skip: POSTGRES_URL ? undefined : POSTGRES_SKIP_REASON,
    async open() {
      const database = await createEmptyPostgresDatabase(POSTGRES_URL ?? '');
      const client = new Client({ connectionString: database.url });
      await client.connect();
      return {
        session: pgSession(client),
        close: async () => {
          await client.end();
          await database.drop();
        },
      };
    },
  },
];

const migration = (name: string, sql: string): MigrationFile => ({
  name,
  sql,
  checksum: migrationChecksum(sql),
});

interface RecordedMigration {
  id: string;
  checksum: string;
  migration_name: string;
  logs: string | null;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
}

for (const factory of sessionFactories) {
  const title = `the migration runner on ${factory.name}`;
  (factory.skip ? describe.skip : describe)(
    factory.skip ? `${title} (${factory.skip})` : title,
    () => {
      let open: OpenSession;
      beforeEach(async () => {
        open = await factory.open();
      });
      afterEach(async () => {
        await open.close();
      });

      it('applies the committed migrations and records them as prisma migrate deploy does', async () => {
        const committed = readMigrations();
        const report = await applyMigrations(open.session, committed);
        expect(report).toEqual({
          applied: committed.map((m) => m.name),
          alreadyApplied: [],
          problems: [],
        });

        const rows = await open.session.query<RecordedMigration>(
          'SELECT * FROM "_prisma_migrations" ORDER BY started_at',
        );
        expect(rows).toHaveLength(committed.length);
        rows.forEach((row, index) => {
          expect(row.migration_name).toBe(committed[index]?.name);
          expect(row.checksum).toBe(committed[index]?.checksum);
          expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
          expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
          expect(row.finished_at).toBeInstanceOf(Date);
          expect(row.rolled_back_at).toBeNull();
          expect(row.logs).toBeNull();
          expect(row.applied_steps_count).toBe(1);
        });
        const tables = await open.session.query<{ table_name: string }>(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
        );
        expect(tables.map((t) => t.table_name)).toEqual(
          expect.arrayContaining([
            'tenant',
            'api_key',
            'sandbox',
            'sandbox_revision',
            'run',
            'run_result',
            'outbox_event',
          ]),
        );
      });

      it('skips migrations that are already applied', async () => {
        const committed = readMigrations();
        await applyMigrations(open.session, committed);
        const second = await applyMigrations(open.session, committed);
        expect(second).toEqual({
          applied: [],
          alreadyApplied: committed.map((m) => m.name),
          problems: [],
        });
      });

      it('applies only the new migration when one is added', async () => {
        const first = migration('20260101000000_first', 'CREATE TABLE one (id int);');
        const second = migration(
          '20260201000000_second',
          'CREATE TABLE two (id int);\nINSERT INTO two VALUES (2);',
        );
        await applyMigrations(open.session, [first]);
        const report = await applyMigrations(open.session, [second, first]);
        expect(report.applied).toEqual(['20260201000000_second']);
        expect(report.alreadyApplied).toEqual(['20260101000000_first']);
      });

      it('refuses to apply anything when an applied migration was edited', async () => {
        const first = migration('20260101000000_first', 'CREATE TABLE one (id int);');
        await applyMigrations(open.session, [first]);
        const edited = migration('20260101000000_first', 'CREATE TABLE one (id bigint);');
        const next = migration('20260201000000_second', 'CREATE TABLE two (id int);');
        const report = await applyMigrations(open.session, [edited, next]);
        expect(report.applied).toEqual([]);
        expect(report.problems).toEqual([
          expect.objectContaining({ code: 'checksum-mismatch', migration: '20260101000000_first' }),
        ]);
        const two = await open.session.query(
          "SELECT 1 FROM information_schema.tables WHERE table_name = 'two'",
        );
        expect(two).toHaveLength(0);
      });

      it('refuses when the database has a migration the folder lacks', async () => {
        await applyMigrations(open.session, [
          migration('20260101000000_first', 'CREATE TABLE one (id int);'),
        ]);
        const report = await applyMigrations(open.session, []);
        expect(report.problems.map((p) => p.code)).toEqual(['unknown-migration']);
      });

      it('refuses when a migration is recorded as started but not finished', async () => {
        await applyMigrations(open.session, []);
        await open.session.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ('00000000-0000-0000-0000-000000000001', $1, 'x')`,
          [migrationChecksum('SELECT 1;')],
        );
        const report = await applyMigrations(open.session, [migration('x', 'SELECT 1;')]);
        expect(report.problems.map((p) => p.code)).toEqual(['failed-migration']);
      });

      it('rolls a failing migration back completely, leaving no record of it', async () => {
        const good = migration('20260101000000_good', 'CREATE TABLE good (id int);');
        const bad = migration(
          '20260201000000_bad',
          'CREATE TABLE half (id int);\nSELECT no_such_function();',
        );
        await expect(applyMigrations(open.session, [good, bad])).rejects.toThrow(
          /no_such_function/,
        );
        const names = await open.session.query<{ migration_name: string }>(
          'SELECT migration_name FROM "_prisma_migrations"',
        );
        expect(names.map((row) => row.migration_name)).toEqual(['20260101000000_good']);
        const half = await open.session.query(
          "SELECT 1 FROM information_schema.tables WHERE table_name = 'half'",
        );
        expect(half).toHaveLength(0);
        // The lock was released: a corrected migration applies.
        const fixed = migration('20260201000000_bad', 'CREATE TABLE half (id int);');
        expect((await applyMigrations(open.session, [good, fixed])).applied).toEqual([
          '20260201000000_bad',
        ]);
      });
    },
  );
}
