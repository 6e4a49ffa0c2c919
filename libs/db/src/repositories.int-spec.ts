import { describeEachBackend } from '@netplay/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { ApiKeyRepository } from './api-key.repository';
import type { PrismaClient } from './generated/prisma/client';
import { OutboxRepository } from './outbox.repository';
import { RunRepository } from './run.repository';
import { SandboxRepository } from './sandbox.repository';
import { SecretCipher } from './secret-cipher';
import { TenantRepository } from './tenant.repository';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';

jest.setTimeout(60_000);

const WEBSITE_YAML = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: website\n';

describeEachBackend('repositories', (backend) => {
  let prisma: PrismaClient;
  let cleanup: () => Promise<void>;
  let tenants: TenantRepository;
  let sandboxes: SandboxRepository;
  let runs: RunRepository;
  let outbox: OutboxRepository;
  let apiKeys: ApiKeyRepository;
  let endpoints: WebhookEndpointRepository;

  beforeAll(async () => {
    const opened = await backend.open();
    prisma = opened.handle.prisma;
    cleanup = opened.cleanup;
    tenants = new TenantRepository(prisma);
    sandboxes = new SandboxRepository(opened.handle);
    runs = new RunRepository(opened.handle);
    outbox = new OutboxRepository(opened.handle);
    apiKeys = new ApiKeyRepository(prisma);
    endpoints = new WebhookEndpointRepository(opened.handle, SecretCipher.fromKey(randomBytes(32)));
  });
  afterAll(async () => {
    await cleanup?.();
  });

  /** Each test works in its own tenant, so tests do not depend on each other's rows. */
  async function newTenant(): Promise<string> {
    return (await tenants.create(`tenant-${randomUUID()}`)).id;
  }

  async function newRevision(tenantId: string): Promise<string> {
    const created = await sandboxes.create(tenantId, {
      name: `sb-${randomUUID()}`,
      manifests: WEBSITE_YAML,
      clusterSettings: {},
    });
    return created.revision.id;
  }

  describe('sandboxes', () => {
    it('creates a sandbox at version 1 together with revision 1', async () => {
      const tenantId = await newTenant();
      const created = await sandboxes.create(tenantId, {
        name: 'website',
        manifests: WEBSITE_YAML,
        clusterSettings: { podCidr: '10.0.0.0/16' },
      });
      expect(created).toMatchObject({
        sandbox: { name: 'website', version: 1, description: '' },
        revision: { version: 1, manifests: WEBSITE_YAML },
      });
    });

    it('refuses a second sandbox with the same name in one tenant, but not in another', async () => {
      const [first, second] = [await newTenant(), await newTenant()];
      await sandboxes.create(first, { name: 'dup', manifests: '', clusterSettings: {} });
      await expect(
        sandboxes.create(first, { name: 'dup', manifests: '', clusterSettings: {} }),
      ).rejects.toMatchObject({
        code: 'already-exists',
        message: 'a sandbox named "dup" already exists',
      });
      expect(
        (await sandboxes.create(second, { name: 'dup', manifests: '', clusterSettings: {} }))
          .sandbox,
      ).toMatchObject({ name: 'dup' });
    });

    it('keeps every change as a revision and bumps the version', async () => {
      const tenantId = await newTenant();
      const created = await sandboxes.create(tenantId, {
        name: 'rev',
        manifests: 'v1',
        clusterSettings: { a: 1 },
      });
      const id = created.sandbox.id;
      const second = await sandboxes.update(tenantId, id, { expectedVersion: 1, manifests: 'v2' });
      const third = await sandboxes.update(tenantId, id, {
        expectedVersion: 2,
        clusterSettings: { a: 3 },
      });
      expect(second).toMatchObject({
        sandbox: { version: 2, manifests: 'v2' },
        revision: { version: 2, manifests: 'v2' },
      });
      expect(third).toMatchObject({
        sandbox: { version: 3, manifests: 'v2', clusterSettings: { a: 3 } },
      });
      const revisions = await sandboxes.listRevisions(tenantId, id, { includeManifests: true });
      expect(revisions.items.map((r) => [r.version, r.manifests, r.clusterSettings])).toEqual([
        [3, 'v2', { a: 3 }],
        [2, 'v2', { a: 1 }],
        [1, 'v1', { a: 1 }],
      ]);
      // A page at a time, newest first, without manifests unless asked.
      const first = await sandboxes.listRevisions(tenantId, id, { limit: 2 });
      expect(first.items.map((r) => [r.version, r.manifests])).toEqual([
        [3, undefined],
        [2, undefined],
      ]);
      const rest = first.nextCursor
        ? await sandboxes.listRevisions(tenantId, id, { limit: 2, cursor: first.nextCursor })
        : undefined;
      expect(rest).toEqual({
        items: [expect.objectContaining({ version: 1 })],
        nextCursor: undefined,
      });
      await expect(sandboxes.listRevisions(tenantId, id, { cursor: 'bm9wZQ' })).rejects.toThrow(
        expect.objectContaining({ code: 'bad-cursor' }),
      );
    });

    it('points a new run at the current revision, for the owning tenant and while not deleted', async () => {
      const [tenantId, stranger] = [await newTenant(), await newTenant()];
      const created = await sandboxes.create(tenantId, {
        name: 'current',
        manifests: 'v1',
        clusterSettings: {},
      });
      const id = created.sandbox.id;
      expect(await sandboxes.currentRevision(tenantId, id)).toEqual({
        sandboxId: id,
        revisionId: created.revision.id,
        version: 1,
      });
      const second = await sandboxes.update(tenantId, id, { expectedVersion: 1, manifests: 'v2' });
      if (!second) throw new Error('the sandbox was not found');
      expect(await sandboxes.currentRevision(tenantId, id)).toEqual({
        sandboxId: id,
        revisionId: second.revision.id,
        version: 2,
      });
      expect(await sandboxes.currentRevision(stranger, id)).toBeUndefined();
      expect(await sandboxes.currentRevision(tenantId, 'not-a-uuid')).toBeUndefined();
      await sandboxes.softDelete(tenantId, id);
      expect(await sandboxes.currentRevision(tenantId, id)).toBeUndefined();
    });

    it('refuses an update based on a stale version and reports the current one', async () => {
      const tenantId = await newTenant();
      const created = await sandboxes.create(tenantId, {
        name: 'stale',
        manifests: 'v1',
        clusterSettings: {},
      });
      await sandboxes.update(tenantId, created.sandbox.id, { expectedVersion: 1, manifests: 'v2' });
      const stale = sandboxes.update(tenantId, created.sandbox.id, {
        expectedVersion: 1,
        manifests: 'lost update',
      });
      await expect(stale).rejects.toMatchObject({ code: 'version-conflict', currentVersion: 2 });
      const revisions = await sandboxes.listRevisions(tenantId, created.sandbox.id);
      expect(revisions.items).toHaveLength(2);
    });

    it("a tenant cannot read, update or delete another tenant's sandbox", async () => {
      const [owner, stranger] = [await newTenant(), await newTenant()];
      const created = await sandboxes.create(owner, {
        name: 'private',
        manifests: 'x',
        clusterSettings: {},
      });
      const id = created.sandbox.id;
      expect(await sandboxes.get(stranger, id)).toBeUndefined();
      expect(
        await sandboxes.update(stranger, id, { expectedVersion: 1, manifests: 'y' }),
      ).toBeUndefined();
      expect(await sandboxes.softDelete(stranger, id)).toBe(false);
      expect(await sandboxes.getRevision(stranger, id, 1)).toBeUndefined();
      expect(await sandboxes.list(stranger)).toEqual({ items: [], nextCursor: undefined });
      expect((await sandboxes.get(owner, id))?.manifests).toBe('x');
    });

    it('answers "not found" for malformed ids instead of failing', async () => {
      const tenantId = await newTenant();
      expect(await sandboxes.get(tenantId, 'not-a-uuid')).toBeUndefined();
      expect(await runs.get(tenantId, '1234')).toBeUndefined();
    });

    it('pages through sandboxes newest first without gaps or repeats, filtering by name', async () => {
      const tenantId = await newTenant();
      const names = Array.from({ length: 7 }, (_, i) => `page-${i}`);
      for (const name of names)
        await sandboxes.create(tenantId, { name, manifests: '', clusterSettings: {} });
      await sandboxes.create(tenantId, { name: 'other', manifests: '', clusterSettings: {} });

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const result = await sandboxes.list(tenantId, { limit: 3, cursor, nameContains: 'PAGE' });
        seen.push(...result.items.map((s) => s.name));
        cursor = result.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...names].reverse());
    });

    it('rejects a cursor it did not issue', async () => {
      await expect(sandboxes.list(await newTenant(), { cursor: 'bm9wZQ' })).rejects.toMatchObject({
        code: 'bad-cursor',
      });
    });

    it('hides a soft-deleted sandbox but keeps its revisions for past runs', async () => {
      const tenantId = await newTenant();
      const created = await sandboxes.create(tenantId, {
        name: 'gone',
        manifests: 'x',
        clusterSettings: {},
      });
      expect(await sandboxes.softDelete(tenantId, created.sandbox.id)).toBe(true);
      expect(await sandboxes.softDelete(tenantId, created.sandbox.id)).toBe(false);
      expect(await sandboxes.get(tenantId, created.sandbox.id)).toBeUndefined();
      expect(
        await sandboxes.update(tenantId, created.sandbox.id, { expectedVersion: 1 }),
      ).toBeUndefined();
      expect((await sandboxes.getRevision(tenantId, created.sandbox.id, 1))?.manifests).toBe('x');
    });
  });

  describe('runs and the outbox', () => {
    it('creates a queued run and its run.enqueue outbox event together', async () => {
      const tenantId = await newTenant();
      const { run, created } = await runs.create(tenantId, {
        sandboxRevisionId: await newRevision(tenantId),
        steps: [{ probe: 'wget' }],
      });
      expect(created).toBe(true);
      expect(run).toMatchObject({ status: 'queued', attempts: 0, steps: [{ probe: 'wget' }] });
      const events = await prisma.outboxEvent.findMany({ where: { runId: run.id } });
      expect(events).toEqual([
        expect.objectContaining({
          kind: 'run.enqueue',
          payload: { runId: run.id },
          dispatchedAt: null,
        }),
      ]);
    });

    it('leaves neither run nor event when the transaction fails after the run insert', async () => {
      const tenantId = await newTenant();
      const revisionId = await newRevision(tenantId);
      // A real failure inside the transaction, after the run row is written: the outbox insert is rejected.
      await prisma.$executeRawUnsafe(`
        CREATE OR REPLACE FUNCTION reject_outbox_for_test() RETURNS trigger AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM run WHERE id = NEW.run_id AND tenant_id = '${tenantId}') THEN
            RAISE EXCEPTION 'outbox unavailable';
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql`);
      await prisma.$executeRawUnsafe(
        'CREATE TRIGGER reject_outbox_for_test BEFORE INSERT ON outbox_event FOR EACH ROW EXECUTE FUNCTION reject_outbox_for_test()',
      );
      try {
        await expect(
          runs.create(tenantId, { sandboxRevisionId: revisionId, steps: [] }),
        ).rejects.toThrow(/outbox unavailable/);
      } finally {
        await prisma.$executeRawUnsafe('DROP TRIGGER reject_outbox_for_test ON outbox_event');
      }
      expect(await prisma.run.count({ where: { tenantId } })).toBe(0);
    });

    it('returns the existing run for a repeated idempotency key, per tenant', async () => {
      const [tenantId, otherTenant] = [await newTenant(), await newTenant()];
      const revisionId = await newRevision(tenantId);
      const first = await runs.create(tenantId, {
        sandboxRevisionId: revisionId,
        steps: [],
        idempotencyKey: 'key-1',
      });
      const again = await runs.create(tenantId, {
        sandboxRevisionId: revisionId,
        steps: [{ different: true }],
        idempotencyKey: 'key-1',
      });
      expect(again).toEqual({ run: first.run, created: false, ref: first.ref });
      expect(await prisma.outboxEvent.count({ where: { runId: first.run.id } })).toBe(1);
      const elsewhere = await runs.create(otherTenant, {
        sandboxRevisionId: await newRevision(otherTenant),
        steps: [],
        idempotencyKey: 'key-1',
      });
      expect(elsewhere.created).toBe(true);
    });

    it('gives one of two concurrent creates with one idempotency key the run, and the other the same run', async () => {
      const tenantId = await newTenant();
      const revisionId = await newRevision(tenantId);
      const [a, b] = await Promise.all([
        runs.create(tenantId, { sandboxRevisionId: revisionId, steps: [], idempotencyKey: 'race' }),
        runs.create(tenantId, { sandboxRevisionId: revisionId, steps: [], idempotencyKey: 'race' }),
      ]);
      expect(a.run.id).toBe(b.run.id);
      expect([a.created, b.created].sort()).toEqual([false, true]);
      expect(await prisma.run.count({ where: { tenantId } })).toBe(1);
    });

    it('claims a queued run once; a second delivery cannot claim it', async () => {
      const tenantId = await newTenant();
      const { run } = await runs.create(tenantId, {
        sandboxRevisionId: await newRevision(tenantId),
        steps: [],
      });
      const first = await runs.claim(run.id);
      expect(first).toMatchObject({ claimed: true, run: { status: 'running', attempts: 1 } });
      expect(await runs.claim(run.id)).toEqual({ claimed: false, status: 'running' });
    });

    it("deletes the run's outbox event when it is claimed: its job evidently arrived", async () => {
      const tenantId = await newTenant();
      const { run } = await runs.create(tenantId, {
        sandboxRevisionId: await newRevision(tenantId),
        steps: [],
      });
      const other = await runs.create(tenantId, {
        sandboxRevisionId: await newRevision(tenantId),
        steps: [],
      });
      await runs.claim(run.id);
      expect(await prisma.outboxEvent.count({ where: { runId: run.id } })).toBe(0);
      expect(await prisma.outboxEvent.count({ where: { runId: other.run.id } })).toBe(1);
    });

    it('creates a run under the id its caller chose, and refuses one that is not a UUID', async () => {
      const tenantId = await newTenant();
      const id = randomUUID();
      const { run } = await runs.create(tenantId, {
        id,
        sandboxRevisionId: await newRevision(tenantId),
        steps: [],
      });
      expect(run.id).toBe(id);
      await expect(
        runs.create(tenantId, {
          id: 'run-1',
          sandboxRevisionId: await newRevision(tenantId),
          steps: [],
        }),
      ).rejects.toThrow(/not a UUID/);
    });

    it('reads a run with its sandbox version and result in one call, for its tenant only', async () => {
      const tenantId = await newTenant();
      const revisionId = await newRevision(tenantId);
      const { run } = await runs.create(tenantId, { sandboxRevisionId: revisionId, steps: [] });
      const revision = await prisma.sandboxRevision.findUniqueOrThrow({
        where: { id: revisionId },
      });
      expect(await runs.getWithResult(tenantId, run.id)).toEqual({
        run,
        ref: { sandboxId: revision.sandboxId, sandboxVersion: revision.version },
        resultJson: null,
      });
      await runs.claim(run.id);
      await runs.complete(run.id, { status: 'succeeded', results: [{ step: 1 }] });
      expect(await runs.getWithResult(tenantId, run.id)).toMatchObject({
        run: { status: 'succeeded' },
        resultJson: '[{"step":1}]',
      });
      expect(await runs.getWithResult(await newTenant(), run.id)).toBeUndefined();
      expect(await runs.getWithResult(tenantId, 'not-a-uuid')).toBeUndefined();
    });

    it('lets a run left running past the lease be claimed again', async () => {
      const tenantId = await newTenant();
      const { run } = await runs.create(tenantId, {
        sandboxRevisionId: await newRevision(tenantId),
        steps: [],
      });
      const startedAt = new Date('2026-01-01T00:00:00Z');
      await runs.claim(run.id, { now: startedAt });
      const later = new Date(startedAt.getTime() + 60_000);
      expect(
        (await runs.claim(run.id, { reclaimRunningAfterMs: 120_000, now: later })).claimed,
      ).toBe(false);
      expect(await runs.claim(run.id, { reclaimRunningAfterMs: 30_000, now: later })).toMatchObject(
        { claimed: true, run: { attempts: 2 } },
      );
    });

    it('keeps exactly one result when completion is attempted twice', async () => {
      const tenantId = await newTenant();
      const { run } = await runs.create(tenantId, {
        sandboxRevisionId: await newRevision(tenantId),
        steps: [],
      });
      await runs.claim(run.id);
      const outcomes = await Promise.all([
        runs.complete(run.id, { status: 'succeeded', results: { winner: 'a' } }),
        runs.complete(run.id, { status: 'succeeded', results: { winner: 'b' } }),
      ]);
      expect(outcomes.filter((outcome) => outcome.finished)).toHaveLength(1);
      expect(
        (await runs.complete(run.id, { status: 'failed', error: 'late duplicate' })).finished,
      ).toBe(false);
      expect(await prisma.runResult.count({ where: { runId: run.id } })).toBe(1);
      expect(await runs.get(tenantId, run.id)).toMatchObject({ status: 'succeeded', error: null });
      expect(await runs.getResult(tenantId, run.id)).toEqual({
        winner: outcomes[0].finished ? 'a' : 'b',
      });
    });

    it("lists the tenant's enabled endpoints subscribed to an event type with the completion", async () => {
      const tenantId = await newTenant();
      const subscribed = await endpoints.create(tenantId, {
        url: 'https://a.example.com/',
        eventTypes: ['run.completed'],
        secret: 'whsec_a',
      });
      const disabled = await endpoints.create(tenantId, {
        url: 'https://b.example.com/',
        eventTypes: ['run.completed'],
        secret: 'whsec_b',
      });
      await endpoints.disable(disabled.id, 'test');
      await endpoints.create(tenantId, {
        url: 'https://c.example.com/',
        eventTypes: ['submission.graded'],
        secret: 'whsec_c',
      });
      await endpoints.create(await newTenant(), {
        url: 'https://d.example.com/',
        eventTypes: ['run.completed'],
        secret: 'whsec_d',
      });
      const { run } = await runs.create(tenantId, {
        sandboxRevisionId: await newRevision(tenantId),
        steps: [],
      });
      await runs.claim(run.id);
      expect(
        await runs.complete(
          run.id,
          { status: 'succeeded', results: {} },
          { subscribersOf: 'run.completed' },
        ),
      ).toEqual({ finished: true, subscriberIds: [subscribed.id] });
      expect(
        await runs.complete(
          run.id,
          { status: 'succeeded', results: {} },
          { subscribersOf: 'run.completed' },
        ),
      ).toEqual({ finished: false, subscriberIds: [] });
    });

    it('does not complete a run that was never claimed', async () => {
      const tenantId = await newTenant();
      const { run } = await runs.create(tenantId, {
        sandboxRevisionId: await newRevision(tenantId),
        steps: [],
      });
      expect((await runs.complete(run.id, { status: 'succeeded', results: {} })).finished).toBe(
        false,
      );
      expect((await runs.get(tenantId, run.id))?.status).toBe('queued');
    });

    it('lists runs without their results and pages newest first', async () => {
      const tenantId = await newTenant();
      const revisionId = await newRevision(tenantId);
      const created = [];
      for (let i = 0; i < 3; i += 1)
        created.push(
          (await runs.create(tenantId, { sandboxRevisionId: revisionId, steps: [i] })).run.id,
        );
      const first = await runs.list(tenantId, { limit: 2 });
      const second = await runs.list(tenantId, { limit: 2, cursor: first.nextCursor });
      // Newest first, also for runs created in the same millisecond (time-ordered ids break the tie).
      expect([...first.items, ...second.items].map((r) => r.id)).toEqual([...created].reverse());
      expect(second.nextCursor).toBeUndefined();
      expect(first.items[0]).not.toHaveProperty('result');
    });

    it('lists unfinished runs older than a moment for the reconciler', async () => {
      const tenantId = await newTenant();
      const revisionId = await newRevision(tenantId);
      const queued = (await runs.create(tenantId, { sandboxRevisionId: revisionId, steps: [] }))
        .run;
      const finished = (await runs.create(tenantId, { sandboxRevisionId: revisionId, steps: [] }))
        .run;
      await runs.claim(finished.id);
      await runs.complete(finished.id, { status: 'failed', error: 'boom' });
      const ids = (await runs.listUnfinished(new Date(Date.now() + 60_000), 10_000)).map(
        (r) => r.id,
      );
      expect(ids).toContain(queued.id);
      expect(ids).not.toContain(finished.id);
      expect(
        (await runs.listUnfinished(new Date(queued.createdAt.getTime() - 1), 10_000)).map(
          (r) => r.id,
        ),
      ).not.toContain(queued.id);
    });

    it('dispatches each outbox event once and leaves locked or failed ones for later', async () => {
      const tenantId = await newTenant();
      const revisionId = await newRevision(tenantId);
      const mine = new Set<string>();
      for (let i = 0; i < 3; i += 1)
        mine.add(
          (await runs.create(tenantId, { sandboxRevisionId: revisionId, steps: [] })).run.id,
        );

      const published: string[] = [];
      let failOn: string | undefined = [...mine][1];
      const publish = async (event: { runId: string }) => {
        if (event.runId === failOn) throw new Error('queue down');
        published.push(event.runId);
      };
      // Other suites' events may share the table: drain everything, counting only this tenant's.
      const first = await outbox.dispatchBatch(['run.enqueue'], 1_000, publish);
      expect(first.error).toEqual(new Error('queue down'));
      failOn = undefined;
      while ((await outbox.dispatchBatch(['run.enqueue'], 1_000, publish)).dispatched > 0);
      expect(published.filter((id) => mine.has(id)).sort()).toEqual([...mine].sort());
      expect(
        await prisma.outboxEvent.count({ where: { runId: { in: [...mine] }, dispatchedAt: null } }),
      ).toBe(0);
    });
  });

  describe('api keys', () => {
    it('stores only a hash, authenticates the plaintext, and stops after revocation', async () => {
      const tenantId = await newTenant();
      const { key, plaintext } = await apiKeys.create(tenantId, 'ci');
      expect(plaintext.startsWith(key.prefix)).toBe(true);
      const stored = await prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
      expect(stored.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(stored)).not.toContain(plaintext);
      expect(await apiKeys.authenticate(plaintext)).toMatchObject({ id: key.id, tenantId });
      expect(await apiKeys.authenticate(`${plaintext}x`)).toBeUndefined();
      expect(await apiKeys.revoke(await newTenant(), key.id)).toBe(false);
      expect(await apiKeys.revoke(tenantId, key.id)).toBe(true);
      expect(await apiKeys.authenticate(plaintext)).toBeUndefined();
      expect((await apiKeys.list(tenantId)).map((k) => k.revokedAt !== null)).toEqual([true]);
    });

    it('records the last use to the minute, not on every request', async () => {
      const { key, plaintext } = await apiKeys.create(await newTenant(), 'ci');
      const first = new Date('2026-01-01T10:00:00Z');
      expect((await apiKeys.authenticate(plaintext, first))?.lastUsedAt).toEqual(first);
      expect(
        (await apiKeys.authenticate(plaintext, new Date('2026-01-01T10:00:59Z')))?.lastUsedAt,
      ).toEqual(first);
      const later = new Date('2026-01-01T10:01:00Z');
      await apiKeys.authenticate(plaintext, later);
      expect((await prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } })).lastUsedAt).toEqual(
        later,
      );
    });
  });
});
