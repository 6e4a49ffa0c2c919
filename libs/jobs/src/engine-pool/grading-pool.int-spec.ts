// Grading with the engine in the pool, on PGlite and PostgreSQL (DATABASE_URL): a poisonous
// submission is failed with its reason on its first delivery while another one is graded, the
// pool keeps grading afterwards, and the pool grades as the engine does inline. The poison runs
// the thread out of heap rather than time: memory does not depend on how fast the machine is
// (over a time budget, the same poison finished in time on a quiet machine and failed on a busy one).
import { ExerciseRepository, TenantRepository, type DatabaseHandle } from '@netplay/db';
import { describeEachBackend } from '@netplay/testing';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { handleSubmissionGrade, type SubmissionGradeDeps } from '../handle-submission-grade';
import { EnginePool } from './engine-pool';

const EXERCISE_YAML = readFileSync(
  path.join(__dirname, '../../../../exercises/clusterip-vs-nodeport.yaml'),
  'utf8',
);
/** An ordinary submission grades in under 24 MiB of heap; the poison needs more than 48 MiB. */
const HEAP_MB = 32;

/**
 * Within the engine's default limits (9,000 pods behind each of 9 Services: 81,000 endpoints, under
 * the 10,000 pods and 100,000 endpoints allowed): its cluster holds about 60 MB.
 */
const POISON = `${Array.from(
  { length: 9 },
  (_, i) => `apiVersion: v1
kind: Service
metadata: {name: heavy-${i}}
spec: {selector: {app: heavy}, ports: [{port: 80}]}
`,
).join('---\n')}---
${Array.from(
  { length: 9 },
  (_, i) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: heavy-${i}}
spec:
  replicas: 1000
  selector: {matchLabels: {app: heavy}}
  template:
    metadata: {labels: {app: heavy}}
    spec: {containers: [{name: c, image: nginx}]}
`,
).join('---\n')}`;

describeEachBackend('handleSubmissionGrade with the engine pool', (backend) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  let exercises: ExerciseRepository;
  let pool: EnginePool;

  beforeAll(async () => {
    ({ handle, cleanup } = await backend.open());
    exercises = new ExerciseRepository(handle.prisma);
    pool = new EnginePool({
      threadFile: path.join(__dirname, 'engine-thread'),
      threads: 2,
      // Far more time than the poison needs: only its memory stops it.
      budgetMs: 120_000,
      maxHeapMb: HEAP_MB,
    });
  });
  afterAll(async () => {
    await pool.close();
    await cleanup();
  });

  function deps(engine: SubmissionGradeDeps['engine']): SubmissionGradeDeps {
    return { exercises, publishGraded: async () => undefined, engine };
  }

  async function submit(manifests: string) {
    const tenant = await new TenantRepository(handle.prisma).create(`grade-${randomUUID()}`);
    const exercise = await exercises.upsert(tenant.id, {
      slug: 'clusterip-vs-nodeport',
      title: 'Exercise',
      instructions: '',
      yaml: EXERCISE_YAML,
      validated: true,
    });
    return exercises.createSubmission(exercise, {
      learnerRef: 'learner',
      manifests,
      mode: 'patch',
    });
  }

  it('fails a poisonous submission with its reason while another is graded, and keeps grading', async () => {
    const poison = await submit(POISON);
    const normal = await submit('');
    const [poisoned, graded] = await Promise.all([
      handleSubmissionGrade(deps(pool), poison.id),
      handleSubmissionGrade(deps(pool), normal.id),
    ]);
    expect(poisoned).toEqual({ kind: 'graded', status: 'failed', score: 0, maxScore: 0 });
    expect(await exercises.getSubmissionForWorker(poison.id)).toEqual(
      expect.objectContaining({
        status: 'failed',
        result: {
          error: `engine-budget-exceeded: the engine ran out of its ${HEAP_MB} MiB of memory`,
        },
      }),
    );
    expect(graded).toEqual(expect.objectContaining({ kind: 'graded', status: 'graded' }));
    // The thread that ran over was replaced: the pool still grades.
    const after = await submit('');
    expect(await handleSubmissionGrade(deps(pool), after.id)).toEqual(
      expect.objectContaining({ kind: 'graded', status: 'graded' }),
    );
  });

  it('stores the grade the engine gives inline', async () => {
    const pooled = await submit('');
    const inline = await submit('');
    await handleSubmissionGrade(deps(pool), pooled.id);
    await handleSubmissionGrade(deps(undefined), inline.id);
    const [a, b] = await Promise.all(
      [pooled, inline].map((submission) => exercises.getSubmissionForWorker(submission.id)),
    );
    expect(a?.result).toEqual(b?.result);
    expect(a?.maxScore).toBeGreaterThan(0);
  });
});
