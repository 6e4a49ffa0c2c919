import type { Exercise, ManifestSubmission } from './exercise-types';
import { gradeSubmission } from './grade-submission';
import { learnerView } from './learner-view';
import { readExercise } from './read-exercise';
import { WEB_AND_CLIENT_STARTING_MANIFESTS } from './testing/starting-manifests';

/** A small exercise: make `web` reachable by name from `client`, with one hidden check. */
const EXERCISE_YAML = `
apiVersion: netplay.dev/v1alpha1
kind: Exercise
metadata: {name: expose-web}
spec:
  title: Expose web
  instructions: Give the web pods a Service called web.
  startingManifests: |${WEB_AND_CLIENT_STARTING_MANIFESTS}
  checks:
    - id: web-reachable
      title: client reaches http://web/
      points: 3
      hint: Create a Service named web selecting app=web.
      probe: {from: client, to: "http://web/"}
      expect: {verdict: delivered, backendService: web, backendPod: web}
    - id: web-resolves
      title: web.default resolves
      points: 1
      dns: {from: client, name: web.default}
      expect: {verdict: resolved}
    - id: web-has-endpoint
      title: the Service has one endpoint
      points: 2
      hidden: true
      hint: The secret hint.
      serviceHasEndpoints: {service: default/web, count: 1}
`;

const SERVICE = `
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;

function exercise(): Exercise {
  const read = readExercise(EXERCISE_YAML);
  if (!read.exercise) throw new Error(JSON.stringify(read.issues));
  return read.exercise;
}

const starting = exercise().startingManifests;

describe('gradeSubmission', () => {
  const cases: [string, ManifestSubmission, number, string[]][] = [
    ['a patch adding the Service passes every check', { mode: 'patch', manifests: SERVICE }, 6, []],
    [
      'a full submission with the starting objects and the Service passes every check',
      { mode: 'full', manifests: `${starting}---${SERVICE}` },
      6,
      [],
    ],
    [
      'a full submission holding only the Service loses the pods it was meant to keep',
      { mode: 'full', manifests: SERVICE },
      0,
      ['web-reachable', 'web-resolves', 'web-has-endpoint'],
    ],
    [
      'a patch selecting the wrong label resolves but reaches nothing',
      { mode: 'patch', manifests: SERVICE.replace('app: web', 'app: website') },
      1,
      ['web-reachable', 'web-has-endpoint'],
    ],
    [
      'a patch deleting the web pod leaves the Service without endpoints',
      {
        mode: 'patch',
        manifests: `${SERVICE}---\napiVersion: netplay.dev/v1alpha1\nkind: Delete\ntargets: [{kind: Pod, name: web}]\n`,
      },
      1,
      ['web-reachable', 'web-has-endpoint'],
    ],
  ];
  it.each(cases)('%s', (_name, submission, score, failing) => {
    const result = gradeSubmission(exercise(), submission);
    expect(result.score).toBe(score);
    expect(result.maxScore).toBe(6);
    expect(result.passed).toBe(failing.length === 0);
    expect(result.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual(failing);
  });

  it('awards points per check, gives hints only for failed checks and keeps the deciding trace', () => {
    const result = gradeSubmission(exercise(), {
      mode: 'patch',
      manifests: SERVICE.replace('app: web', 'app: website'),
    });
    const [reachable, resolves, endpoints] = result.checks;
    expect(reachable).toMatchObject({
      passed: false,
      awarded: 0,
      points: 3,
      hint: 'Create a Service named web selecting app=web.',
    });
    expect(reachable.reason).toMatch(
      /^client → http:\/\/web\/: expected verdict delivered, but it was refused NO_ENDPOINTS/,
    );
    expect(reachable.trace).toMatchObject({ kind: 'probe', verdict: 'refused' });
    expect(resolves).toMatchObject({ passed: true, awarded: 1 });
    expect(resolves.hint).toBeUndefined();
    expect(resolves.trace).toMatchObject({ kind: 'dns', verdict: 'resolved' });
    expect(endpoints.reason).toBe(
      'expected Service default/web to have 1 ready endpoint, but it has 0 ready endpoints.',
    );
    expect(result.summary).toBe(
      '1/6: 1 of 3 checks passed; failing: web-reachable, web-has-endpoint.',
    );
  });

  it('grades manifests that do not load as 0, every check failed with the engine error', () => {
    const broken = SERVICE.replace('port: 80', 'port: 70000');
    const result = gradeSubmission(exercise(), {
      mode: 'full',
      manifests: `${starting}---${broken}`,
    });
    expect(result).toMatchObject({ score: 0, maxScore: 6, passed: false });
    expect(result.problems).toEqual([
      'submission.yaml doc 3 Service default/web: spec.ports[0].port: must be between 1 and 65535, inclusive',
    ]);
    for (const check of result.checks) {
      expect(check).toMatchObject({ passed: false, awarded: 0 });
      expect(check.reason).toBe(`The manifests did not load: ${result.problems?.[0]}.`);
    }
  });

  const unloadable: [string, ManifestSubmission, RegExp][] = [
    [
      'YAML syntax errors',
      { mode: 'patch', manifests: 'kind: Service\n  metadata: [' },
      /^submission\.yaml/,
    ],
    [
      'a Delete naming an object the starting manifests lack',
      {
        mode: 'patch',
        manifests:
          'apiVersion: netplay.dev/v1alpha1\nkind: Delete\ntargets: [{kind: Service, name: nope}]\n',
      },
      /targets\[0\]: Service default\/nope is not among the starting manifests/,
    ],
    [
      'a Delete document in a full submission',
      {
        mode: 'full',
        manifests: `${starting}---\napiVersion: netplay.dev/v1alpha1\nkind: Delete\ntargets: [{kind: Pod, name: web}]\n`,
      },
      /only apply to patch submissions/,
    ],
  ];
  it.each(unloadable)(
    'refuses %s with a graded result, not an exception',
    (_name, submission, message) => {
      const result = gradeSubmission(exercise(), submission);
      expect(result.score).toBe(0);
      expect(result.problems?.[0]).toMatch(message);
      expect(
        result.checks.every((c) => !c.passed && c.reason.startsWith('The manifests did not load')),
      ).toBe(true);
    },
  );

  it('is deterministic: the same submission gives a byte-identical result', () => {
    const submission: ManifestSubmission = { mode: 'patch', manifests: SERVICE };
    expect(JSON.stringify(gradeSubmission(exercise(), submission))).toBe(
      JSON.stringify(gradeSubmission(exercise(), submission)),
    );
  });
});

describe('learnerView', () => {
  it('drops hidden checks but keeps their count and points', () => {
    const result = gradeSubmission(exercise(), {
      mode: 'patch',
      manifests: SERVICE.replace('app: web', 'app: website'),
    });
    const view = learnerView(result);
    expect(view.checks.map((c) => c.id)).toEqual(['web-reachable', 'web-resolves']);
    expect(view.hiddenChecks).toEqual({ count: 1, passed: 0, points: 2, awarded: 0 });
    expect({ score: view.score, maxScore: view.maxScore, passed: view.passed }).toEqual({
      score: 1,
      maxScore: 6,
      passed: false,
    });
    expect(JSON.stringify(view)).not.toContain('secret hint');
    expect(JSON.stringify(view)).not.toContain('web-has-endpoint');
    expect(view.summary).toBe('1/6: 1 of 2 visible checks and 0 of 1 hidden checks passed.');
  });
});
