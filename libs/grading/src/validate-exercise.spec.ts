import { readExercise } from './read-exercise';
import { validateExercise } from './validate-exercise';
import { WEB_AND_CLIENT_STARTING_MANIFESTS } from './testing/starting-manifests';

function exerciseYaml(
  checks: string,
  reference = 'apiVersion: v1\n      kind: Service\n      metadata: {name: web}\n      spec: {selector: {app: web}, ports: [{port: 80}]}',
): string {
  return `
apiVersion: netplay.dev/v1alpha1
kind: Exercise
metadata: {name: broken}
spec:
  title: Expose web
  instructions: Create the web Service.
  startingManifests: |${WEB_AND_CLIENT_STARTING_MANIFESTS}
  checks:
${checks}
  referenceSolution:
    mode: patch
    manifests: |
      ${reference}
`;
}

const REACHABLE = `    - id: web-reachable
      title: client reaches web
      points: 1
      probe: {from: client, to: "http://web/"}
      expect: {verdict: delivered}`;

function validate(yaml: string): string[] {
  const read = readExercise(yaml);
  if (!read.exercise) return read.issues.map((i) => `${i.path}: ${i.message}`);
  return validateExercise(read.exercise).map((i) => `${i.code} ${i.message}`);
}

describe('validateExercise', () => {
  it('accepts an exercise whose checks fail at the start and pass on the reference solution', () => {
    expect(validate(exerciseYaml(REACHABLE))).toEqual([]);
  });

  it('rejects a check the reference solution cannot reach, naming the check', () => {
    const unreachable = `${REACHABLE}
    - id: web-on-8080
      title: web answers on 8080
      points: 1
      probe: {from: client, to: "http://web:8080/"}
      expect: {verdict: delivered}`;
    const issues = validate(exerciseYaml(unreachable));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(
      /^CHECK_FAILS_ON_REFERENCE check "web-on-8080": fails on the reference solution; client → http:\/\/web:8080\/: expected verdict delivered, but it was dropped SERVICE_PORT_NOT_FOUND/,
    );
  });

  it('flags a check that already passes on the starting sandbox', () => {
    const trivial = `${REACHABLE}
    - id: client-resolves-kubernetes
      title: the API server's name resolves
      points: 1
      dns: {from: client, name: kubernetes.default}
      expect: {verdict: resolved}`;
    const issues = validate(exerciseYaml(trivial));
    expect(issues).toEqual([
      expect.stringMatching(
        /^CHECK_PASSES_AT_START check "client-resolves-kubernetes": passes on the starting sandbox; A lookup of kubernetes.default/,
      ),
    ]);
  });

  it('rejects a reference solution that does not load, with the engine error', () => {
    const issues = validate(
      exerciseYaml(
        REACHABLE,
        'apiVersion: v1\n      kind: Service\n      metadata: {name: web}\n      spec: {ports: [{port: 0}]}',
      ),
    );
    expect(issues).toEqual([
      'REFERENCE_SOLUTION_INVALID the reference solution does not load: patched.yaml doc 3 Service default/web: spec.ports[0].port: must be between 1 and 65535, inclusive',
    ]);
  });
});

describe('readExercise', () => {
  const structural: [string, string, string][] = [
    [
      'points must be positive',
      REACHABLE.replace('points: 1', 'points: 0'),
      'spec.checks[0].points: must be a number > 0, got 0',
    ],
    [
      'a check has exactly one assertion',
      `${REACHABLE}\n      podIsolated: {pod: web, direction: ingress}`,
      'spec.checks[0]: a check needs exactly one of probe, dns, serviceHasExternalIP, ingressRoutes, podIsolated, serviceHasEndpoints; found probe, podIsolated',
    ],
    [
      "verdicts are the engine's",
      REACHABLE.replace('verdict: delivered', 'verdict: ok'),
      'spec.checks[0].expect.verdict: must be one of delivered, refused, dropped, unresolved, timeout, got "ok"',
    ],
    [
      "drop reasons are the engine's",
      REACHABLE.replace('verdict: delivered', 'verdict: dropped, dropReason: DENIED'),
      'spec.checks[0].expect.dropReason: must be one of POLICY_DENIED',
    ],
    [
      'check ids are unique',
      `${REACHABLE}\n${REACHABLE}`,
      'spec.checks[1].id: check id "web-reachable" is used twice',
    ],
    [
      'podIsolated needs a direction',
      REACHABLE.replace(/probe:.*\n.*expect.*/, 'podIsolated: {pod: web, direction: sideways}'),
      'spec.checks[0].podIsolated.direction: must be one of ingress, egress, got "sideways"',
    ],
    [
      'unknown check fields are named',
      REACHABLE.replace('points: 1', 'points: 1\n      weight: 2'),
      'spec.checks[0].weight: unknown field',
    ],
  ];
  it.each(structural)('%s', (_name, checks, message) => {
    const read = readExercise(exerciseYaml(checks));
    expect(read.exercise).toBeNull();
    expect(read.issues.map((i) => `${i.path}: ${i.message}`).join('\n')).toContain(message);
  });

  it('refuses a document that is not an Exercise', () => {
    const read = readExercise('apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {}\n');
    expect(read.issues.map((i) => `${i.path}: ${i.message}`)).toEqual(
      expect.arrayContaining([
        'apiVersion: must be netplay.dev/v1alpha1',
        'kind: must be Exercise',
      ]),
    );
  });
});
