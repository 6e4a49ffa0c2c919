import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readExercise } from '@netplay/grading';
import { parse, parseAllDocuments } from 'yaml';
import {
  LoadedClusters,
  runEngineTask,
  SMALL_CLUSTER_MAX_OBJECTS,
  type ScenarioTask,
} from './engine-tasks';

const WEBSITE = readFileSync(
  path.join(__dirname, '../../../../examples/manifests/website.yaml'),
  'utf8',
);
const files = [{ name: 'manifests.yaml', content: WEBSITE }];
const probe = { probe: { from: 'default/client', to: 'http://website.default/' } };

describe('engine tasks', () => {
  it('answers a run whose serialised result is over the cap with the size and the cap', () => {
    const clusters = new LoadedClusters();
    const full = runEngineTask(
      { kind: 'scenario', revisionId: 'r1', files, steps: [probe] },
      clusters,
    );
    expect(full.status).toBe('succeeded');
    const size = full.status === 'succeeded' ? full.resultJson.length : 0;
    const capped = runEngineTask(
      { kind: 'scenario', revisionId: 'r1', files, steps: [probe], maxResultBytes: size - 1 },
      clusters,
    );
    expect(capped).toEqual({
      kind: 'scenario',
      status: 'failed',
      small: true,
      error: `engine-result-too-large: the result is ${(size / 2 ** 20).toFixed(1)} MiB; the limit is ${((size - 1) / 2 ** 20).toFixed(1)} MiB`,
    });
    expect(
      runEngineTask(
        { kind: 'scenario', revisionId: 'r1', files, steps: [probe], maxResultBytes: size },
        clusters,
      ).status,
    ).toBe('succeeded');
  });

  it('answers a scenario without files revision-unknown until the revision is loaded', () => {
    const clusters = new LoadedClusters();
    const bare: ScenarioTask = { kind: 'scenario', revisionId: 'r1', steps: [probe] };
    expect(runEngineTask(bare, clusters)).toEqual({ kind: 'scenario', status: 'revision-unknown' });
    const sent = runEngineTask({ ...bare, files }, clusters);
    expect(runEngineTask(bare, clusters)).toEqual(sent);
  });

  it('calls the website cluster small and one over the object bound not', () => {
    const clusters = new LoadedClusters();
    const website = runEngineTask(
      { kind: 'scenario', revisionId: 'w', files, steps: [probe] },
      clusters,
    );
    expect(website).toEqual(expect.objectContaining({ status: 'succeeded', small: true }));
    const services = Array.from(
      { length: SMALL_CLUSTER_MAX_OBJECTS },
      (_, i) =>
        `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}}\nspec: {ports: [{port: 80}]}\n`,
    ).join('---\n');
    const large = runEngineTask(
      {
        kind: 'scenario',
        revisionId: 'l',
        files: [...files, { content: services }],
        steps: [probe],
      },
      clusters,
    );
    expect(large).toEqual(expect.objectContaining({ status: 'succeeded', small: false }));
  });

  it('answers a view over the cap with a LIMIT_EXCEEDED issue and no text', () => {
    const view = runEngineTask(
      {
        kind: 'view',
        cacheKey: 's@1',
        files,
        view: 'pods',
        options: {},
        maxResultBytes: 10,
      },
      new LoadedClusters(),
    );
    expect(view).toEqual({
      kind: 'view',
      loads: true,
      text: '',
      issues: [
        expect.objectContaining({
          code: 'LIMIT_EXCEEDED',
          message: expect.stringMatching(
            /^engine-result-too-large: the result is .* MiB; the limit is 0\.0 MiB$/,
          ),
        }),
      ],
    });
  });

  it('fails a run of manifests that do not load with their errors, keeping the issues as its result', () => {
    const answer = runEngineTask(
      { kind: 'scenario', revisionId: 'bad', files: [{ content: 'kind: Nope\n' }], steps: [probe] },
      new LoadedClusters(),
    );
    expect(answer).toEqual(
      expect.objectContaining({ status: 'failed', error: expect.stringContaining('apiVersion') }),
    );
  });

  describe('an exercise task', () => {
    const shipped = readFileSync(
      path.join(__dirname, '../../../../exercises/default-deny-selective-allow.yaml'),
      'utf8',
    );

    it('reads and validates a shipped exercise into an answer that crosses to another thread', () => {
      const answer = runEngineTask({ kind: 'exercise', yaml: shipped }, new LoadedClusters());
      expect(answer.exercise?.name).toBe('default-deny-selective-allow');
      expect(answer.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
      expect(structuredClone(answer)).toEqual(answer);
    });

    it('refuses an exercise whose reference solution is its starting sandbox, naming the check', () => {
      const read = runEngineTask({ kind: 'exercise', yaml: shipped }, new LoadedClusters());
      const exercise = read.exercise!;
      const broken = shipped.replace(
        / {2}referenceSolution:[\s\S]*$/,
        '  referenceSolution:\n    mode: full\n    manifests: |\n' +
          exercise.startingManifests
            .split('\n')
            .map((line) => `      ${line}`)
            .join('\n'),
      );
      const answer = runEngineTask({ kind: 'exercise', yaml: broken }, new LoadedClusters());
      expect(answer.exercise).not.toBeNull();
      expect(answer.issues).toContainEqual(
        expect.objectContaining({
          severity: 'error',
          code: 'CHECK_FAILS_ON_REFERENCE',
          check: expect.any(String),
        }),
      );
    });

    it('answers YAML that is no exercise with its reading issues and no exercise', () => {
      const answer = runEngineTask({ kind: 'exercise', yaml: 'kind: Pod\n' }, new LoadedClusters());
      expect(answer.exercise).toBeNull();
      expect(answer.issues.length).toBeGreaterThan(0);
    });
  });

  it("digests an exercise: every check's points, the visible checks, the YAML without solution and checks", () => {
    const yaml = readFileSync(
      path.join(__dirname, '../../../../exercises/clusterip-vs-nodeport.yaml'),
      'utf8',
    );
    const answer = runEngineTask({ kind: 'exercise-digest', yaml }, new LoadedClusters());
    const checks = readExercise(yaml).exercise!.checks;
    expect(checks.some((check) => check.hidden)).toBe(true);
    expect(answer.digest).toEqual({
      points: checks.reduce((sum, check) => sum + check.points, 0),
      visibleChecks: checks
        .filter((check) => !check.hidden)
        .map(({ id, title, points }) => ({ id, title, points })),
      learnerYaml: expect.stringContaining('startingManifests'),
    });
    const learner = parse(answer.digest!.learnerYaml) as { spec: Record<string, unknown> };
    expect(learner.spec).not.toHaveProperty('referenceSolution');
    expect(learner.spec).not.toHaveProperty('checks');
    expect(
      runEngineTask({ kind: 'exercise-digest', yaml: 'kind: Pod' }, new LoadedClusters()),
    ).toEqual({
      kind: 'exercise-digest',
      digest: null,
    });
  });

  it('writes JSON objects as the multi-document YAML they are stored as', () => {
    const objects = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { 'x.y': 'yes' } },
    ];
    const { text } = runEngineTask({ kind: 'yaml-text', objects }, new LoadedClusters());
    expect(parseAllDocuments(text).map((document) => document.toJS())).toEqual(objects);
  });
});
