// Random manifests and scenarios, plausible Kubernetes objects with big counts and odd values, fed
// to the engine as the service feeds it (YAML text; steps through the scenario reader): every case
// ends in a result or in validation errors, within a time bound, and never in a throw.
// FUZZ_SEED=n reproduces a run (the seed is printed); FUZZ_RUNS=n runs more cases.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { readScenarioSteps } from './parse-scenario';
import { runScenario } from './run-scenario';

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
/** CPU time per case: generous for a loaded 2-core machine, far below a hang. */
const CASE_BOUND_MS = 5_000;

const name = fc.constantFrom('web', 'db', 'api', 'a', 'web-2', 'UPPER', 'x'.repeat(70), '');
const namespace = fc.constantFrom(undefined, 'default', 'shop', 'kube-system', 'missing');
const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'k8s-app', 'a/b'), name, {
  maxKeys: 3,
});
const count = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 5 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(1_000, 1_001, 150_000, 1_000_000_000, 2 ** 53, -1),
  },
  { weight: 1, arbitrary: fc.constantFrom(1.5, '3', null, Number.MAX_VALUE) },
);
const port = fc.oneof(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(0, 70000, 'http', -1));

const meta = fc.record({ name, namespace, labels }, { requiredKeys: ['name'] });
const podSpec = fc.record({
  containers: fc.array(
    fc.record({
      name: fc.constant('c'),
      image: fc.constant('nginx'),
      ports: fc.array(fc.record({ containerPort: port }), { maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 2 },
  ),
});
const template = fc.record({ metadata: fc.record({ labels }), spec: podSpec });
const workload = (kind: string) =>
  fc.record({
    apiVersion: fc.constant('apps/v1'),
    kind: fc.constant(kind),
    metadata: meta,
    spec: fc.record({ replicas: count, selector: fc.record({ matchLabels: labels }), template }),
  });
const service = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Service'),
  metadata: meta,
  spec: fc.record({
    selector: labels,
    type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName', 'Weird'),
    ports: fc.array(fc.record({ port, targetPort: port }), { maxLength: 3 }),
  }),
});
const pod = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Pod'),
  metadata: meta,
  spec: podSpec,
});
const policy = fc.record({
  apiVersion: fc.constant('networking.k8s.io/v1'),
  kind: fc.constant('NetworkPolicy'),
  metadata: meta,
  spec: fc.record({
    podSelector: fc.record({ matchLabels: labels }),
    policyTypes: fc.subarray(['Ingress', 'Egress']),
    ingress: fc.array(
      fc.record({
        from: fc.array(fc.record({ podSelector: fc.record({ matchLabels: labels }) }), {
          maxLength: 2,
        }),
      }),
      { maxLength: 2 },
    ),
  }),
});
const cluster = fc.record({
  apiVersion: fc.constant('netplay.dev/v1alpha1'),
  kind: fc.constant('Cluster'),
  spec: fc.record({
    nodes: fc.integer({ min: 1, max: 40 }).map((n) =>
      Array.from({ length: n }, (_, i) => ({
        name: i === 0 ? 'cp' : `w${i}`,
        ip: `172.18.${i >> 7}.${(i & 127) + 2}`,
        role: i === 0 ? 'control-plane' : 'worker',
      })),
    ),
  }),
});
const object = fc.oneof(
  workload('Deployment'),
  workload('StatefulSet'),
  workload('ReplicaSet'),
  fc.record({
    apiVersion: fc.constant('apps/v1'),
    kind: fc.constant('DaemonSet'),
    metadata: meta,
    spec: fc.record({ selector: fc.record({ matchLabels: labels }), template }),
  }),
  service,
  pod,
  policy,
  fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Namespace'), metadata: meta }),
  fc.anything({ maxDepth: 3 }),
);
/** Hostile YAML text: alias expansion, tags, duplicate keys, prototype keys, deep flow nesting. */
const oddYaml = fc.constantFrom(
  'a: &a [1, 2]\nb: [*a, *a, *a]\n',
  'x: !!binary aGk=\n',
  'apiVersion: v1\nkind: Pod\nkind: Pod\n',
  '__proto__: {polluted: true}\n',
  `${'['.repeat(200)}${']'.repeat(200)}\n`,
  'apiVersion: v1\nkind: List\nitems: [{kind: Namespace, apiVersion: v1, metadata: {name: n}}]\n',
);
const manifests = fc
  .tuple(fc.option(cluster), fc.array(object, { maxLength: 8 }), fc.option(oddYaml))
  .map(([c, objects, odd]) =>
    [...(c ? [stringify(c)] : []), ...objects.map((o) => stringify(o)), ...(odd ? [odd] : [])].join(
      '---\n',
    ),
  );

const target = fc.constantFrom(
  'default/web',
  'web',
  'shop/db',
  'http://web.default/',
  '10.96.0.10:53',
  'nowhere',
);
const step = fc.oneof(
  fc.record({ probe: fc.record({ from: target, to: target }) }),
  fc.record({
    dns: fc.record({
      from: target,
      name: fc.constantFrom('web', 'web.default.svc.cluster.local', 'example.com'),
    }),
  }),
  fc.record({
    get: fc.record({
      kind: fc.constantFrom('pods', 'services', 'endpointslices', 'nodes', 'nope'),
    }),
  }),
  fc.record({ scale: fc.record({ deployment: name, replicas: count }) }),
  fc.record({ delete: fc.record({ deployment: name }) }),
  fc.record({ cordon: fc.constantFrom('cp', 'w1', 'none') }),
  fc.record({ apply: manifests }),
);

describe('engine fuzz', () => {
  it('answers random manifests and scenarios with a result or validation errors', () => {
    console.log(`engine fuzz: seed ${SEED}, ${RUNS} cases (FUZZ_SEED=${SEED} reproduces)`);
    fc.assert(
      fc.property(manifests, fc.array(step, { maxLength: 6 }), (yaml, rawSteps) => {
        const start = process.cpuUsage();
        const read = readScenarioSteps(rawSteps);
        const result = runScenario({
          manifests: [{ name: 'fuzz.yaml', content: yaml }],
          steps: read.steps ?? [],
        });
        const used = process.cpuUsage(start);
        expect((used.user + used.system) / 1000).toBeLessThan(CASE_BOUND_MS);
        if (read.steps === null) expect(read.issues.some((i) => i.severity === 'error')).toBe(true);
        const loadFailed = result.issues.some((i) => i.severity === 'error');
        // A cluster that did not load runs no step; one that loaded runs every step.
        expect(result.steps).toHaveLength(loadFailed ? 0 : (read.steps ?? []).length);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(() => JSON.stringify(result)).not.toThrow();
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
