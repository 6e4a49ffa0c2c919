import { loadBuiltinExercises } from './builtin-exercises';
import type { Exercise, ManifestSubmission } from './exercise-types';
import { gradeSubmission } from './grade-submission';
import { shippedExerciseFiles } from './testing/exercise-files';

const { exercises, issues } = loadBuiltinExercises(shippedExerciseFiles());
const byName = (name: string): Exercise => {
  const found = exercises.find((e) => e.name === name);
  if (!found) throw new Error(`exercise ${name} not shipped`);
  return found;
};

describe('the shipped exercises', () => {
  it('all read and validate: every check fails at the start and passes on the reference solution', () => {
    expect(issues).toEqual([]);
    expect(exercises.map((e) => e.name)).toEqual([
      'clusterip-vs-nodeport',
      'default-deny-selective-allow',
      'fix-the-dns-name',
      'host-and-path-ingress',
    ]);
  });

  it.each(exercises.map((e) => [e.name, e] as const))(
    '%s: the reference solution scores full marks',
    (_name, exercise) => {
      const result = gradeSubmission(exercise, exercise.referenceSolution as ManifestSubmission);
      expect(result.passed).toBe(true);
      expect(result.score).toBe(result.maxScore);
    },
  );

  const patch = (manifests: string): ManifestSubmission => ({ mode: 'patch', manifests });
  const incorrect: [string, ManifestSubmission, number, number, string[]][] = [
    [
      'clusterip-vs-nodeport: website exposed but db left on its NodePort',
      patch(`
apiVersion: v1
kind: Service
metadata: {name: website}
spec:
  type: NodePort
  selector: {app: website}
  ports: [{name: http, port: 80, nodePort: 30080}]
`),
      4,
      8,
      ['db-not-exposed', 'db-not-exposed-anywhere'],
    ],
    [
      'fix-the-dns-name: Service created in foo without moving the pods or deleting the old name',
      patch(`
apiVersion: v1
kind: Namespace
metadata: {name: foo}
---
apiVersion: v1
kind: Service
metadata: {name: website, namespace: foo}
spec:
  selector: {app: website}
  ports: [{port: 80}]
`),
      2,
      7,
      ['client-reaches-website', 'old-name-gone', 'two-endpoints'],
    ],
    [
      'default-deny-selective-allow: a default deny with no allows breaks DNS and the api',
      patch(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`),
      6,
      12,
      ['frontend-reaches-api', 'frontend-dns'],
    ],
    [
      'host-and-path-ingress: one catch-all path on example.org sends /world to hello',
      patch(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  ingressClassName: nginx
  rules:
    - host: api.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}]}
    - host: www.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: frontend, port: {number: 80}}}}]}
    - host: example.org
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: hello, port: {number: 80}}}}]}
`),
      // end-to-end also fails: the request reached hello, but through the rule for / rather than /hello.
      7,
      11,
      ['world-path', 'end-to-end'],
    ],
  ];

  it.each(incorrect)('%s', (name, submission, score, maxScore, failing) => {
    const result = gradeSubmission(byName(name.split(':')[0]), submission);
    expect({ score: result.score, maxScore: result.maxScore, passed: result.passed }).toEqual({
      score,
      maxScore,
      passed: false,
    });
    expect(result.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual(failing);
    for (const check of result.checks.filter((c) => !c.passed)) {
      expect(check.reason).toMatch(/expected/);
      expect(check.hint).toBeDefined();
    }
  });
});
