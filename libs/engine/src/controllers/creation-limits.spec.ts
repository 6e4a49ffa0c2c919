import { loadCluster } from '../cluster/load-cluster';
import { runScenario } from '../scenario/run-scenario';
import { readScenarioSteps } from '../scenario/parse-scenario';
import type { EngineIssue } from '../model/issues';

const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: nginx}]}
`;

const daemonSet = (name: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: agent}]}
`;

function clusterWithNodes(count: number): string {
  const nodes = Array.from(
    { length: count },
    (_, i) => `  - {name: n${i}, ip: 172.18.${1 + (i >> 7)}.${(i & 127) + 1}, role: worker}`,
  );
  return `apiVersion: netplay.dev/v1alpha1\nkind: Cluster\nspec:\n  nodes:\n  - {name: cp, ip: 172.18.0.2, role: control-plane}\n${nodes.join('\n')}\n`;
}

const service = (name: string, app: string) => `apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec: {selector: {app: ${app}}, ports: [{port: 80}]}
`;

function limitErrors(issues: EngineIssue[]): EngineIssue[] {
  return issues.filter((issue) => issue.code === 'LIMIT_EXCEEDED');
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = run();
  return { value, ms: performance.now() - start };
}

describe('what the engine may create is bounded before anything is created', () => {
  it.each([
    ['a billion replicas', 1_000_000_000],
    ['150,000 replicas', 150_000],
    ['one over the limit', 1_001],
  ])('a Deployment of %s is refused naming spec.replicas and the limit', (_, replicas) => {
    const { value: loaded, ms } = timed(() =>
      loadCluster([{ content: deployment('web', replicas) }]),
    );
    expect(loaded.state).toBeNull();
    expect(limitErrors(loaded.issues)).toEqual([
      {
        severity: 'error',
        code: 'LIMIT_EXCEEDED',
        object: 'Deployment/default/web',
        path: 'spec.replicas',
        message: `${replicas} is more than the limit of 1000 replicas per workload`,
      },
    ]);
    expect(ms).toBeLessThan(1_000);
  });

  it('a Deployment at the replica limit loads', () => {
    const loaded = loadCluster([{ content: deployment('web', 1_000) }]);
    expect(loaded.state?.pods.size).toBeGreaterThanOrEqual(1_000);
  });

  it('the pods of all workloads together are bounded, each within its own limit', () => {
    const docs = Array.from({ length: 11 }, (_, i) => deployment(`web${i}`, 1_000)).join('---\n');
    const loaded = loadCluster([{ content: docs }]);
    expect(loaded.state).toBeNull();
    const [issue] = limitErrors(loaded.issues);
    expect(issue.message).toMatch(/would create 11000 pods .*the limit is 10000$/);
  });

  it('500 nodes × 500 DaemonSets is refused before a node is registered', () => {
    const docs = [
      clusterWithNodes(499),
      ...Array.from({ length: 500 }, (_, i) => daemonSet(`d${i}`)),
    ];
    const { value: loaded, ms } = timed(() => loadCluster([{ content: docs.join('---\n') }]));
    expect(loaded.state).toBeNull();
    expect(limitErrors(loaded.issues)[0].message).toMatch(
      /would create 250000 pods .*the limit is 10000$/,
    );
    expect(ms).toBeLessThan(10_000);
  });

  it('nodes are bounded, naming spec.nodes', () => {
    const loaded = loadCluster([{ content: clusterWithNodes(10) }], { limits: { maxNodes: 5 } });
    expect(limitErrors(loaded.issues)).toEqual([
      expect.objectContaining({
        path: 'spec.nodes',
        message: 'the cluster would have 11 nodes; the limit is 5',
      }),
    ]);
  });

  it('endpoints summed over Services are bounded', () => {
    const services = Array.from({ length: 30 }, (_, i) => service(`s${i}`, 'web'));
    const content = [deployment('web', 100), ...services].join('---\n');
    const loaded = loadCluster([{ content }], { limits: { maxEndpoints: 2_000 } });
    expect(loaded.state).toBeNull();
    expect(limitErrors(loaded.issues)[0].message).toBe(
      'the Services select 3002 endpoints in all; the limit is 2000',
    );
    expect(loadCluster([{ content }], { limits: { maxEndpoints: 3_002 } }).state).not.toBeNull();
  });

  it('raised limits let a larger cluster load (as the benchmarks do)', () => {
    const loaded = loadCluster([{ content: deployment('web', 1_500) }], {
      limits: { maxReplicas: 2_000 },
    });
    expect(loaded.state).not.toBeNull();
  });
});

describe('scenario steps are bounded when read and when run', () => {
  it('a scale step to a billion is refused when read, naming the field and the limit', () => {
    const read = readScenarioSteps([{ scale: { deployment: 'web', replicas: 1e9 } }], {
      path: 'steps',
      object: 'Run',
    });
    expect(read.steps).toBeNull();
    expect(read.issues).toEqual([
      {
        severity: 'error',
        code: 'LIMIT_EXCEEDED',
        object: 'Run',
        path: 'steps[0].scale.replicas',
        message: '1000000000 is more than the limit of 1000 replicas per workload',
      },
    ]);
  });

  it('more steps than the limit are refused before any is read', () => {
    const steps = Array.from({ length: 201 }, () => ({ cordon: 'n1' }));
    const read = readScenarioSteps(steps);
    expect(read.issues).toEqual([
      expect.objectContaining({
        code: 'LIMIT_EXCEEDED',
        path: 'steps',
        message: 'must hold at most 200 steps, got 201',
      }),
    ]);
  });

  it('a scale step that would pass the pod limit fails and leaves the workload as it was', () => {
    const result = runScenario({
      manifests: [{ content: deployment('web', 2) }],
      steps: [{ scale: { deployment: 'web', replicas: 900 } }, { get: { kind: 'deployments' } }],
      limits: { maxPods: 500 },
    });
    const [scaled, view] = result.steps;
    expect(limitErrors('issues' in scaled.result ? scaled.result.issues : [])).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/would create 9\d\d pods/) }),
    ]);
    expect('view' in view.result && view.result.view).toMatch(/web\s+2\/2/);
  });

  it('an apply step whose workloads would pass the limit is refused as a whole', () => {
    const result = runScenario({
      manifests: [{ content: deployment('web', 2) }],
      steps: [{ apply: deployment('big', 5_000) }, { get: { kind: 'deployments' } }],
    });
    const [applied, view] = result.steps;
    expect(limitErrors('issues' in applied.result ? applied.result.issues : [])).toEqual([
      expect.objectContaining({ object: 'Deployment/default/big', path: 'spec.replicas' }),
    ]);
    expect('view' in view.result && view.result.view).not.toMatch(/big/);
  });
});
