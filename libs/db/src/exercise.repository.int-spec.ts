import { describeEachBackend } from '@netplay/testing';
import { randomBytes } from 'node:crypto';
import { ExerciseRepository } from './exercise.repository';
import { TenantRepository } from './tenant.repository';
import type { DatabaseHandle } from './prisma-client';

const EXERCISE = {
  slug: 'clusterip-vs-nodeport',
  title: 'ClusterIP vs NodePort',
  instructions: 'Expose it',
  yaml: 'kind: Exercise',
  validated: true,
};

// Opening PGlite and migrating it takes seconds on a busy machine, beyond Jest's default 5 s.
jest.setTimeout(60_000);

describeEachBackend('ExerciseRepository', (backend) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ handle, cleanup } = await backend.open());
  });
  afterAll(() => cleanup());

  const setUp = async () => {
    const tenant = await new TenantRepository(handle.prisma).create(
      `t-${randomBytes(3).toString('hex')}`,
    );
    const exercises = new ExerciseRepository(handle.prisma);
    return { tenant, exercises, exercise: await exercises.upsert(tenant.id, EXERCISE) };
  };

  it('replaces an exercise re-published under the same slug', async () => {
    const { tenant, exercises, exercise } = await setUp();
    const again = await exercises.upsert(tenant.id, { ...EXERCISE, title: 'Renamed' });
    expect(again.id).toBe(exercise.id);
    expect((await exercises.getBySlug(tenant.id, EXERCISE.slug))?.title).toBe('Renamed');
  });

  const DIGEST = {
    points: 7,
    visibleChecks: [{ id: 'reachable', title: 'Reachable', points: 4 }],
    learnerYaml: 'kind: Exercise # for learners',
  };

  it('stores the digest published with a version and clears it with a version published without', async () => {
    const { tenant, exercises } = await setUp();
    const withDigest = await exercises.upsert(tenant.id, { ...EXERCISE, digest: DIGEST });
    expect(withDigest).toEqual(expect.objectContaining(DIGEST));
    const without = await exercises.upsert(tenant.id, EXERCISE);
    expect(without).toEqual(
      expect.objectContaining({ points: null, visibleChecks: null, learnerYaml: null }),
    );
  });

  it('saves a digest computed on read, but not over a version published since', async () => {
    const { tenant, exercises, exercise } = await setUp();
    await exercises.saveDigest(exercise, DIGEST);
    const saved = await exercises.get(tenant.id, exercise.id);
    expect(saved).toEqual(expect.objectContaining(DIGEST));
    // Saving keeps `updated_at` saying when the version was published.
    expect(saved?.updatedAt).toEqual(exercise.updatedAt);

    const republished = await exercises.upsert(tenant.id, {
      ...EXERCISE,
      yaml: 'kind: Exercise # v2',
    });
    await exercises.saveDigest(exercise, DIGEST);
    expect((await exercises.get(tenant.id, exercise.id))?.points).toBeNull();
    await exercises.saveDigest(republished, { ...DIGEST, points: 9 });
    expect((await exercises.get(tenant.id, exercise.id))?.points).toBe(9);
  });

  it('lists exercises without their YAML texts unless asked', async () => {
    const { tenant, exercises } = await setUp();
    await exercises.upsert(tenant.id, { ...EXERCISE, digest: DIGEST });
    const [summary] = (await exercises.list(tenant.id)).items;
    expect(summary).not.toHaveProperty('yaml');
    expect(summary).not.toHaveProperty('learnerYaml');
    expect(summary).toEqual(
      expect.objectContaining({ points: 7, visibleChecks: DIGEST.visibleChecks }),
    );
    const [full] = (await exercises.list(tenant.id, {}, { withYaml: true })).items;
    expect(full).toEqual(
      expect.objectContaining({ yaml: EXERCISE.yaml, learnerYaml: DIGEST.learnerYaml }),
    );
  });

  it('finds the best and the latest submission of a learner', async () => {
    const { exercises, exercise } = await setUp();
    const grades = [2, 5, 3];
    for (const score of grades) {
      const submission = await exercises.createSubmission(exercise, {
        learnerRef: 'learner-1',
        manifests: `# ${score}`,
        mode: 'patch',
      });
      expect(
        await exercises.recordGrade(submission.id, {
          status: 'graded',
          score,
          maxScore: 5,
          result: { score },
        }),
      ).toBe(true);
    }
    await exercises.createSubmission(exercise, {
      learnerRef: 'learner-2',
      manifests: '# other',
      mode: 'full',
    });

    expect((await exercises.bestSubmission(exercise.id, 'learner-1'))?.manifests).toBe('# 5');
    expect((await exercises.latestSubmission(exercise.id, 'learner-1'))?.manifests).toBe('# 3');
    expect(await exercises.bestSubmission(exercise.id, 'learner-2')).toBeUndefined();
  });

  it('stores a grade once, whatever the duplicates', async () => {
    const { exercises, exercise } = await setUp();
    const submission = await exercises.createSubmission(exercise, {
      learnerRef: 'l',
      manifests: '',
      mode: 'full',
    });
    expect(
      await exercises.recordGrade(submission.id, {
        status: 'graded',
        score: 1,
        maxScore: 2,
        result: {},
      }),
    ).toBe(true);
    expect(
      await exercises.recordGrade(submission.id, {
        status: 'graded',
        score: 2,
        maxScore: 2,
        result: {},
      }),
    ).toBe(false);
    expect((await exercises.getSubmission(submission.tenantId, submission.id))?.score).toBe(1);
  });

  it("does not show one tenant's exercise to another", async () => {
    const { exercise } = await setUp();
    const other = await setUp();
    expect(await other.exercises.get(other.tenant.id, exercise.id)).toBeUndefined();
  });
});
