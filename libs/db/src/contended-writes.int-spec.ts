// Contended writes (docs/reliability.md, F11): many connections finishing, claiming or grading
// the same row at once. No transaction runs at Serializable or Repeatable Read, and each of these
// writes is one statement whose WHERE clause PostgreSQL re-checks after waiting for the row lock
// (Read Committed): the losers update nothing and say so, none gets a serialisation failure or
// deadlock (Prisma P2034) that would need a retry.
import { randomUUID } from 'node:crypto';
import { TEST_BACKENDS, describeWithPostgres } from '@netplay/testing';
import { ExerciseRepository } from './exercise.repository';
import type { PrismaClient } from './generated/prisma/client';
import { RunRepository } from './run.repository';
import { SandboxRepository } from './sandbox.repository';
import type { DatabaseHandle } from './prisma-client';
import { TenantRepository } from './tenant.repository';

jest.setTimeout(60_000);

/** More than the pool's 10 connections: some wait for one, the rest collide on the row. */
const WRITERS = 24;

describeWithPostgres('contended writes on one row', () => {
  let handle: DatabaseHandle;
  let prisma: PrismaClient;
  let cleanup: () => Promise<void>;
  let runs: RunRepository;
  let tenantId: string;
  let revisionId: string;

  beforeAll(async () => {
    const postgres = TEST_BACKENDS.find((backend) => backend.name === 'postgres');
    const opened = await postgres!.open();
    handle = opened.handle;
    prisma = handle.prisma;
    cleanup = opened.cleanup;
    runs = new RunRepository(handle);
    tenantId = (await new TenantRepository(prisma).create(`tenant-${randomUUID()}`)).id;
    const created = await new SandboxRepository(handle).create(tenantId, {
      name: 'website',
      manifests: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: website\n',
      clusterSettings: {},
    });
    revisionId = created.revision.id;
  });

  afterAll(async () => {
    await cleanup?.();
  });

  async function newRun(): Promise<string> {
    const { run } = await runs.create(tenantId, {
      sandboxRevisionId: revisionId,
      steps: [],
    });
    return run.id;
  }

  it(`${WRITERS} claims of one queued run: one wins, the others see it running`, async () => {
    const runId = await newRun();
    const claims = await Promise.all(Array.from({ length: WRITERS }, () => runs.claim(runId)));
    expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
    expect(claims.filter((claim) => !claim.claimed).map((claim) => claim.status)).toEqual(
      Array(WRITERS - 1).fill('running'),
    );
    expect((await runs.getForWorker(runId))?.attempts).toBe(1);
  });

  it(`${WRITERS} completions of one running run: one finishes it with one result, the others write nothing`, async () => {
    const runId = await newRun();
    await runs.claim(runId);
    const completions = await Promise.all(
      Array.from({ length: WRITERS }, (_, index) =>
        runs.complete(runId, { status: 'succeeded', results: [{ writer: index }] }),
      ),
    );
    expect(completions.filter((completion) => completion.finished)).toHaveLength(1);
    const rows = await handle.sql.query<{ count: string }>(
      'SELECT count(*) FROM run_result WHERE run_id = $1',
      [runId],
    );
    expect(Number(rows[0].count)).toBe(1);
    expect((await runs.getForWorker(runId))?.status).toBe('succeeded');
  });

  it(`${WRITERS} grades of one queued submission: one is stored`, async () => {
    const exercises = new ExerciseRepository(prisma);
    const exercise = await exercises.create(tenantId, {
      slug: `ex-${randomUUID()}`,
      title: 'contended',
      instructions: '',
      yaml: 'kind: Exercise',
      validated: true,
    });
    const submission = await exercises.createSubmission(exercise, {
      learnerRef: 'learner-1',
      manifests: '',
      mode: 'full',
    });
    const stored = await Promise.all(
      Array.from({ length: WRITERS }, (_, index) =>
        exercises.recordGrade(submission.id, {
          status: 'graded',
          score: index,
          maxScore: WRITERS,
          result: { writer: index },
        }),
      ),
    );
    expect(stored.filter(Boolean)).toHaveLength(1);
    const graded = await exercises.getSubmissionForWorker(submission.id);
    const winner = stored.indexOf(true);
    expect(graded).toMatchObject({ status: 'graded', score: winner, result: { writer: winner } });
  });
});
