// The retention job on real PostgreSQL: what goes (finished runs with their results, settled webhook
// messages with their attempts), what stays (queued and running runs, recent records, messages a
// retry may still come for), batches, and rows another transaction holds being skipped, not waited
// for. Skipped, saying why, without DATABASE_URL.
import { createPrismaClient, RetentionRepository, type DatabaseHandle } from '@netplay/db';
import {
  createMigratedPostgresDatabase,
  POSTGRES_SKIP_REASON,
  POSTGRES_URL,
  type TestPostgresDatabase,
} from '@netplay/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { pruneExpired, retryWindowMs, type RetentionPolicy } from './prune-expired';

jest.setTimeout(60_000);

const DAY_MS = 24 * 60 * 60 * 1_000;
const NOW = new Date('2026-12-07T12:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
const POLICY: RetentionPolicy = {
  days: 30,
  schedule: { delaysMs: [1_000, DAY_MS], jitter: false },
  batchSize: 2,
};

const title = 'the retention job on PostgreSQL';
(POSTGRES_URL ? describe : describe.skip)(
  POSTGRES_URL ? title : `${title} (${POSTGRES_SKIP_REASON})`,
  () => {
    let database: TestPostgresDatabase;
    let handle: DatabaseHandle;
    let repository: RetentionRepository;
    let tenantId: string;
    let revisionId: string;
    let endpointId: string;

    const sql = <Row>(text: string, params: unknown[] = []) => handle.sql.query<Row>(text, params);

    async function insertRun(status: string, createdAt: Date): Promise<string> {
      const id = randomUUID();
      await sql(
        `INSERT INTO run (id, tenant_id, sandbox_revision_id, steps, status, created_at)
         VALUES ($1, $2, $3, '[]', $4::run_status, $5)`,
        [id, tenantId, revisionId, status, createdAt],
      );
      if (status === 'succeeded' || status === 'failed')
        await sql(`INSERT INTO run_result (run_id, results) VALUES ($1, '{"steps":[]}')`, [id]);
      return id;
    }

    async function insertMessage(createdAt: Date, attemptsAt: Date[]): Promise<string> {
      const id = `msg_${randomUUID()}`;
      await sql(
        `INSERT INTO webhook_event (id, tenant_id, type, payload, created_at)
         VALUES ($1, $2, 'run.completed', '{}', $3)`,
        [id, tenantId, createdAt],
      );
      for (const [index, at] of attemptsAt.entries())
        await sql(
          `INSERT INTO webhook_delivery (id, event_id, endpoint_id, attempt, latency_ms, at)
           VALUES ($1, $2, $3, $4, 5, $5)`,
          [randomUUID(), id, endpointId, index + 1, at],
        );
      return id;
    }

    const existingRuns = async (ids: string[]) =>
      (await sql<{ id: string }>('SELECT id FROM run WHERE id = ANY($1::uuid[])', [ids])).map(
        (row) => row.id,
      );
    const existingMessages = async (ids: string[]) =>
      (
        await sql<{ id: string }>('SELECT id FROM webhook_event WHERE id = ANY($1::text[])', [ids])
      ).map((row) => row.id);

    beforeAll(async () => {
      database = await createMigratedPostgresDatabase(POSTGRES_URL ?? '');
      handle = await createPrismaClient({ databaseUrl: database.url });
      repository = new RetentionRepository(handle);
    });

    afterAll(async () => {
      await handle?.close();
      await database?.drop();
    });

    beforeEach(async () => {
      await sql('DELETE FROM tenant');
      tenantId = randomUUID();
      const sandboxId = randomUUID();
      revisionId = randomUUID();
      endpointId = randomUUID();
      await sql(`INSERT INTO tenant (id, name) VALUES ($1, 'retention')`, [tenantId]);
      await sql(
        `INSERT INTO sandbox (id, tenant_id, name, manifests, cluster_settings, updated_at)
         VALUES ($1, $2, 'web', '', '{}', now())`,
        [sandboxId, tenantId],
      );
      await sql(
        `INSERT INTO sandbox_revision (id, sandbox_id, version, manifests, cluster_settings)
         VALUES ($1, $2, 1, '', '{}')`,
        [revisionId, sandboxId],
      );
      await sql(
        `INSERT INTO webhook_endpoint (id, tenant_id, url, event_types, secret_ciphertext, updated_at)
         VALUES ($1, $2, 'https://hooks.example.com/', '{run.completed}', 'v1.x', now())`,
        [endpointId, tenantId],
      );
    });

    it('deletes finished runs older than the retention with their results, in batches, and keeps the rest', async () => {
      const expired = [
        await insertRun('succeeded', daysAgo(31)),
        await insertRun('failed', daysAgo(40)),
        await insertRun('succeeded', daysAgo(90)),
      ];
      const kept = [
        await insertRun('queued', daysAgo(60)),
        await insertRun('running', daysAgo(60)),
        await insertRun('succeeded', daysAgo(29)),
      ];

      const report = await pruneExpired(repository, POLICY, NOW);

      expect(report.runs).toBe(3);
      // Batches of two: 2 + 1 runs, then one (empty) pass each over messages, launches, line item
      // leases and nonces.
      expect(report.batches).toBe(6);
      expect(await existingRuns(expired)).toEqual([]);
      expect((await existingRuns(kept)).sort()).toEqual([...kept].sort());
      const results = await sql<{ n: number }>(
        'SELECT count(*)::int AS n FROM run_result WHERE run_id = ANY($1::uuid[])',
        [expired],
      );
      expect(results[0]?.n).toBe(0);
    });

    it('deletes settled webhook messages with their attempts, never one waiting for an attempt or a retry', async () => {
      const settled = await insertMessage(daysAgo(45), [daysAgo(45), daysAgo(44)]);
      const neverAttempted = await insertMessage(daysAgo(45), []);
      const recentRedelivery = await insertMessage(daysAgo(45), [daysAgo(45), daysAgo(2)]);
      const recent = await insertMessage(daysAgo(3), [daysAgo(3)]);

      const report = await pruneExpired(repository, POLICY, NOW);

      expect(report.webhookMessages).toBe(1);
      expect(await existingMessages([settled])).toEqual([]);
      expect((await existingMessages([neverAttempted, recentRedelivery, recent])).sort()).toEqual(
        [neverAttempted, recentRedelivery, recent].sort(),
      );
      const attempts = await sql<{ n: number }>(
        'SELECT count(*)::int AS n FROM webhook_delivery WHERE event_id = $1',
        [settled],
      );
      expect(attempts[0]?.n).toBe(0);
    });

    it('deletes LTI launches and line item leases older than the retention and used nonces past their expiry', async () => {
      const platformId = randomUUID();
      await sql(
        `INSERT INTO lti_platform (id, tenant_id, issuer, client_id, token_url, key_id, public_jwk, private_key_ciphertext)
         VALUES ($1, $2, 'https://lms.example.edu', 'client-1', 'https://lms.example.edu/token', 'k1', '{}', 'v1.x')`,
        [platformId, tenantId],
      );
      const insertLaunch = async (createdAt: Date) => {
        const id = randomUUID();
        await sql(
          `INSERT INTO lti_launch (id, tenant_id, platform_id, deployment_id, message_type, subject, created_at)
           VALUES ($1, $2, $3, 'd1', 'LtiResourceLinkRequest', 'sub-1', $4)`,
          [id, tenantId, platformId, createdAt],
        );
        return id;
      };
      const insertNonce = async (nonce: string, expiresAt: Date) =>
        sql('INSERT INTO lti_nonce (platform_id, nonce, expires_at) VALUES ($1, $2, $3)', [
          platformId,
          nonce,
          expiresAt,
        ]);
      const old = [await insertLaunch(daysAgo(31)), await insertLaunch(daysAgo(400))];
      const recent = await insertLaunch(daysAgo(29));
      await insertNonce('expired-1', new Date(NOW.getTime() - 1_000));
      await insertNonce('expired-2', daysAgo(2));
      await insertNonce('expired-3', daysAgo(3));
      await insertNonce('live', new Date(NOW.getTime() + 60_000));
      const insertLease = async (linkKey: string, updatedAt: Date) =>
        sql(
          `INSERT INTO lti_line_item_lease (link_key, tenant_id, platform_id, line_items_url, resource_link_id, holder, line_item_url, updated_at)
           VALUES ($1, $2, $3, 'https://lms.example.edu/lineitems', $1, $4, 'https://lms.example.edu/lineitems/1', $5)`,
          [linkKey, tenantId, platformId, randomUUID(), updatedAt],
        );
      await insertLease('link-launched-long-ago', daysAgo(31));
      await insertLease('link-launched-lately', daysAgo(29));

      const report = await pruneExpired(repository, POLICY, NOW);

      expect(report).toMatchObject({ ltiLaunches: 2, ltiLineItemLeases: 1, ltiNonces: 3 });
      const leases = await sql<{ link_key: string }>(
        'SELECT link_key FROM lti_line_item_lease WHERE platform_id = $1',
        [platformId],
      );
      expect(leases.map((row) => row.link_key)).toEqual(['link-launched-lately']);
      const launches = await sql<{ id: string }>(
        'SELECT id FROM lti_launch WHERE id = ANY($1::uuid[])',
        [[...old, recent]],
      );
      expect(launches.map((row) => row.id)).toEqual([recent]);
      const nonces = await sql<{ nonce: string }>(
        'SELECT nonce FROM lti_nonce WHERE platform_id = $1',
        [platformId],
      );
      expect(nonces.map((row) => row.nonce)).toEqual(['live']);
    });

    it('keeps a message while its retries may still run, even with a shorter retention', async () => {
      const schedule = { delaysMs: [DAY_MS, 2 * DAY_MS], jitter: true };
      expect(retryWindowMs(schedule)).toBe(6 * DAY_MS);
      const midRetry = await insertMessage(daysAgo(4), [daysAgo(4), daysAgo(3)]);
      const done = await insertMessage(daysAgo(8), [daysAgo(8), daysAgo(7)]);

      await pruneExpired(repository, { days: 1, schedule, batchSize: 10 }, NOW);

      expect(await existingMessages([midRetry, done])).toEqual([midRetry]);
    });

    it('keeps everything when the retention is 0 days', async () => {
      const old = await insertRun('succeeded', daysAgo(3_000));
      const report = await pruneExpired(repository, { ...POLICY, days: 0 }, NOW);
      expect(report).toEqual({
        runs: 0,
        webhookMessages: 0,
        ltiLaunches: 0,
        ltiLineItemLeases: 0,
        ltiNonces: 0,
        batches: 0,
      });
      expect(await existingRuns([old])).toEqual([old]);
    });

    it('skips a run another transaction holds instead of waiting for it, and takes it next time', async () => {
      const held = await insertRun('succeeded', daysAgo(50));
      const free = await insertRun('succeeded', daysAgo(50));
      const other = new Client({ connectionString: database.url });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query('SELECT id FROM run WHERE id = $1 FOR UPDATE', [held]);
        const started = Date.now();
        const report = await pruneExpired(repository, POLICY, NOW);
        expect(Date.now() - started).toBeLessThan(5_000);
        expect(report.runs).toBe(1);
        expect(await existingRuns([held, free])).toEqual([held]);
        await other.query('COMMIT');
      } finally {
        await other.end();
      }
      expect((await pruneExpired(repository, POLICY, NOW)).runs).toBe(1);
      expect(await existingRuns([held])).toEqual([]);
    });
  },
);
