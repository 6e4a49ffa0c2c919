import type { ClusterState } from '../model/cluster-state';
import { formatIssue } from '../model/issues';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { applyMutation, cloneState, type Mutation } from './mutations';
import {
  DB_STATEFUL_SET_YAML,
  deploymentYaml,
  podsOf,
  serviceYaml,
  setFromYaml,
} from '../controllers/spec-fixtures';

const webService = serviceYaml(
  'website',
  '  ports: [{port: 80, name: http}]\n  selector: {app: website}',
);
const website = () => clusterFromYaml(deploymentYaml('website', 3), webService);
const pods = (state: ClusterState) => podsOf(state, 'default', 'website-');
const endpoints = (state: ClusterState) =>
  [...state.endpointSlices.values()]
    .filter((s) => s.serviceName === 'website')
    .flatMap((s) => s.endpoints);

function run(state: ClusterState, ...mutations: Mutation[]): string[] {
  return mutations.flatMap((m) =>
    applyMutation(state, m)
      .filter((i) => i.severity === 'error')
      .map(formatIssue),
  );
}

describe('mutations: scaling and deleting', () => {
  it('scale 3 → 2 removes the newest pod of the doubled-up node, then a deleted pod is replaced with a new name and IP', () => {
    const state = website();
    const [first, second, third] = pods(state);
    expect(third.nodeName).toBe(first.nodeName);
    expect(run(state, { action: 'scale', target: 'deployment/website', replicas: 2 })).toEqual([]);
    expect(pods(state).map((p) => p.name)).toEqual([first.name, second.name]);
    expect(endpoints(state)).toHaveLength(2);

    expect(run(state, { action: 'delete', target: `pod/${first.name}` })).toEqual([]);
    const after = pods(state);
    expect(after).toHaveLength(2);
    const replacement = after.find((p) => p.name !== second.name)!;
    expect(replacement.name).not.toBe(first.name);
    expect(replacement.name.startsWith(`website-${first.labels['pod-template-hash']}-`)).toBe(true);
    expect([first.ip, second.ip, third.ip]).not.toContain(replacement.ip);
    expect(
      endpoints(state)
        .map((e) => e.addresses[0])
        .sort(),
    ).toEqual([second.ip, replacement.ip].sort());
  });

  it('cordon then scale up: no new pod lands on the cordoned node, running pods stay', () => {
    const state = website();
    const before = pods(state).map((p) => p.name);
    expect(
      run(
        state,
        { action: 'cordon', node: 'worker' },
        { action: 'scale', target: 'deployment/website', replicas: 6 },
      ),
    ).toEqual([]);
    const added = pods(state).filter((p) => !before.includes(p.name));
    expect(added).toHaveLength(3);
    expect(added.every((p) => p.nodeName === 'worker2')).toBe(true);
    expect(pods(state).filter((p) => before.includes(p.name))).toHaveLength(3);
  });

  it('StatefulSet: scale-down removes the highest ordinal, a deleted pod comes back under its name with a new IP', () => {
    const state = clusterFromYaml(DB_STATEFUL_SET_YAML);
    run(state, { action: 'scale', target: 'statefulset/db', replicas: 2 });
    expect(podsOf(state, 'default', 'db-').map((p) => p.name)).toEqual(['db-0', 'db-1']);
    const oldIP = state.pods.get('default/db-0')!.ip;
    run(state, { action: 'delete', target: 'pod/db-0' });
    expect(state.pods.get('default/db-0')!.ip).not.toBe(oldIP);
  });

  it('deleting a Deployment removes its ReplicaSet and pods; the Service keeps an empty slice', () => {
    const state = website();
    expect(run(state, { action: 'delete', target: 'deployment/website' })).toEqual([]);
    expect(pods(state)).toEqual([]);
    expect([...state.replicaSets.values()].filter((r) => r.owner?.name === 'website')).toEqual([]);
    expect(endpoints(state)).toEqual([]);
  });

  it.each<[string, Mutation, string]>([
    [
      'scale of a missing Deployment',
      { action: 'scale', target: 'deployment/web', replicas: 2 },
      'deployments.apps "web" not found',
    ],
    [
      'scale of a missing StatefulSet',
      { action: 'scale', target: 'statefulset/db', replicas: 2 },
      'statefulsets.apps "db" not found',
    ],
    ['delete of a missing pod', { action: 'delete', target: 'pod/nope' }, 'pods "nope" not found'],
    [
      'delete of a missing Service',
      { action: 'delete', target: 'service/nope', namespace: 'kube-system' },
      'services "nope" not found',
    ],
    [
      'cordon of a missing node',
      { action: 'cordon', node: 'worker9' },
      'nodes "worker9" not found',
    ],
    [
      'set-ready of a missing pod',
      { action: 'set-ready', pod: 'ghost', ready: false },
      'pods "ghost" not found',
    ],
    [
      'delete of a built-in namespace',
      { action: 'delete', target: 'namespace/kube-system' },
      'namespaces "kube-system" is forbidden: this namespace may not be deleted',
    ],
    [
      'a malformed target',
      { action: 'delete', target: 'website' },
      'target "website" is not of the form kind/name (pod/x, service/x, deployment/x, statefulset/x, …)',
    ],
  ])('%s is refused with the API server’s message', (_, mutation, message) => {
    const state = website();
    const version = state.version;
    expect(run(state, mutation)).toEqual([message]);
    expect(state.version).toBe(version);
  });
});

describe('mutations: readiness and node failure', () => {
  it('set-ready false turns the endpoint not ready and not serving; true restores it', () => {
    const state = website();
    const [pod] = pods(state);
    run(state, { action: 'set-ready', pod: pod.name, ready: false });
    expect(endpoints(state).find((e) => e.targetRef?.name === pod.name)!.conditions).toEqual({
      ready: false,
      serving: false,
      terminating: false,
    });
    run(state, { action: 'set-ready', pod: pod.name, ready: true });
    expect(endpoints(state).find((e) => e.targetRef?.name === pod.name)!.conditions.ready).toBe(
      true,
    );
  });

  it('fail-node keeps the pods but makes their endpoints not ready; new pods avoid the node; recover-node restores', () => {
    const state = website();
    run(state, { action: 'fail-node', node: 'worker' });
    const onWorker = pods(state).filter((p) => p.nodeName === 'worker');
    expect(onWorker).toHaveLength(2);
    for (const ep of endpoints(state)) expect(ep.conditions.ready).toBe(ep.nodeName !== 'worker');
    run(state, { action: 'scale', target: 'deployment/website', replicas: 4 });
    expect(pods(state).filter((p) => p.nodeName === 'worker')).toHaveLength(2);
    run(state, { action: 'recover-node', node: 'worker' });
    expect(endpoints(state).every((e) => e.conditions.ready)).toBe(true);
  });
});

describe('mutations: apply and delete-manifest', () => {
  it('a changed Deployment template gets a new ReplicaSet; the old one is scaled to 0 and its pods replaced', () => {
    const state = website();
    const oldHash = pods(state)[0].labels['pod-template-hash'];
    const changed = deploymentYaml('website', 3, { labels: 'version: v2' });
    expect(run(state, { action: 'apply', set: setFromYaml(changed) })).toEqual([]);
    const now = pods(state);
    expect(now).toHaveLength(3);
    expect(
      now.every((p) => p.labels.version === 'v2' && p.labels['pod-template-hash'] !== oldHash),
    ).toBe(true);
    expect(state.replicaSets.get(`default/website-${oldHash}`)!.replicas).toBe(0);
    expect(state.deployments.get('default/website')!.revision).toBe(2);
  });

  it('applying a Service later allocates its ClusterIP and rejects a taken one', () => {
    const state = website();
    const taken = state.services.get('default/website')!.clusterIP;
    expect(
      run(state, {
        action: 'apply',
        set: setFromYaml(serviceYaml('api', '  ports: [{port: 8080}]\n  selector: {app: website}')),
      }),
    ).toEqual([]);
    expect(state.services.get('default/api')!.clusterIP).toMatch(/^10\.96\./);
    expect(
      run(state, {
        action: 'apply',
        set: setFromYaml(serviceYaml('dup', `  clusterIP: ${taken}\n  ports: [{port: 80}]`)),
      }),
    ).toEqual([
      `change.yaml doc 1 Service default/dup: spec.clusterIPs: Invalid value: "${taken}": failed to allocate IP ${taken}: provided IP is already allocated (Service default/website has it)`,
    ]);
  });

  it('re-applying a Service keeps its ClusterIP and node ports', () => {
    const state = clusterFromYaml(
      serviceYaml('np', '  type: NodePort\n  ports: [{port: 80}]\n  selector: {app: x}'),
    );
    const before = structuredClone(state.services.get('default/np')!);
    run(state, {
      action: 'apply',
      set: setFromYaml(
        serviceYaml('np', '  type: NodePort\n  ports: [{port: 80}]\n  selector: {app: x}'),
      ),
    });
    const after = state.services.get('default/np')!;
    expect([after.clusterIP, after.ports[0].nodePort]).toEqual([
      before.clusterIP,
      before.ports[0].nodePort,
    ]);
  });

  it('delete-manifest removes the objects and their slices, and reports what is missing', () => {
    const state = website();
    expect(run(state, { action: 'delete-manifest', set: setFromYaml(webService) })).toEqual([]);
    expect(state.services.has('default/website')).toBe(false);
    expect([...state.endpointSlices.values()].some((s) => s.serviceName === 'website')).toBe(false);
    expect(run(state, { action: 'delete-manifest', set: setFromYaml(webService) })).toEqual([
      'change.yaml doc 1 Service default/website: services "website" not found',
    ]);
  });
});

describe('cloneState', () => {
  it('gives an independent copy: mutating it leaves the original untouched', () => {
    const original = website();
    const snapshot = JSON.stringify([...original.pods.values()]);
    const copy = cloneState(original);
    run(
      copy,
      { action: 'scale', target: 'deployment/website', replicas: 5 },
      { action: 'fail-node', node: 'worker2' },
    );
    expect(pods(copy)).toHaveLength(5);
    expect(JSON.stringify([...original.pods.values()])).toBe(snapshot);
    expect(original.nodes.get('worker2')!.ready).toBe(true);
    expect(Object.prototype.toString.call(copy.pods)).toBe('[object Map]');
  });
});
