import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { DB_STATEFUL_SET_YAML, deploymentYaml, load, podsOf } from './spec-fixtures';

const podSpec = (extra: string) => `      containers: [{name: web, image: httpd}]\n${extra}`;

describe('scheduler', () => {
  it.each([
    [
      'a nodeSelector no node matches',
      '      nodeSelector: {disktype: ssd}',
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector.",
    ],
    [
      'a nodeSelector for the control-plane without a toleration',
      "      nodeSelector: {node-role.kubernetes.io/control-plane: ''}",
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector.",
    ],
  ])('leaves a pod Pending with kubectl describe’s reason for %s', (_, extra, reason) => {
    const { state, issues } = load(deploymentYaml('web', 1, { podSpec: podSpec(extra) }));
    const [pod] = podsOf(state!, 'default', 'web-');
    expect(pod.phase).toBe('Pending');
    expect(pod.nodeName).toBe('');
    expect(pod.ip).toBe('');
    expect(pod.pendingReason).toBe(reason);
    expect(issues).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        code: 'UNSCHEDULABLE',
        object: `Pod/default/${pod.name}`,
      }),
    );
  });

  it.each([
    [
      'tolerates the control-plane taint and selects it',
      "      nodeSelector: {node-role.kubernetes.io/control-plane: ''}\n      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]",
      ['control-plane'],
    ],
    [
      'selects a worker by hostname',
      '      nodeSelector: {kubernetes.io/hostname: worker2}',
      ['worker2'],
    ],
    [
      'names its node directly (bypassing the scheduler, even onto a tainted node)',
      '      nodeName: control-plane',
      ['control-plane'],
    ],
  ])('places a pod that %s', (_, extra, nodes) => {
    const state = clusterFromYaml(deploymentYaml('web', 1, { podSpec: podSpec(extra) }));
    expect(podsOf(state, 'default', 'web-').map((p) => p.nodeName)).toEqual(nodes);
  });

  it('does not schedule onto a cordoned node (Node object with spec.unschedulable)', () => {
    const state = clusterFromYaml(
      `apiVersion: v1\nkind: Node\nmetadata: {name: worker}\nspec: {unschedulable: true}`,
      deploymentYaml('web', 4),
    );
    expect(podsOf(state, 'default', 'web-').map((p) => p.nodeName)).toEqual([
      'worker2',
      'worker2',
      'worker2',
      'worker2',
    ]);
  });

  it('reports every node as unavailable when all workers are cordoned', () => {
    const cordon = (n: string) =>
      `apiVersion: v1\nkind: Node\nmetadata: {name: ${n}}\nspec: {unschedulable: true}`;
    const state = clusterFromYaml(cordon('worker'), cordon('worker2'), deploymentYaml('web', 1));
    expect(podsOf(state, 'default', 'web-')[0].pendingReason).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) were unschedulable.',
    );
  });

  it('keeps spreading: six replicas split three and three over the workers', () => {
    const state = clusterFromYaml(deploymentYaml('web', 6));
    const perNode = new Map<string, number>();
    for (const p of podsOf(state, 'default', 'web-'))
      perNode.set(p.nodeName, (perNode.get(p.nodeName) ?? 0) + 1);
    expect(Object.fromEntries(perNode)).toEqual({ worker: 3, worker2: 3 });
  });

  it('gives hostNetwork pods the node address instead of one from the pod range', () => {
    const state = clusterFromYaml(
      deploymentYaml('agent', 1, { podSpec: podSpec('      hostNetwork: true') }),
    );
    const [pod] = podsOf(state, 'default', 'agent-');
    expect(pod.ip).toBe(state.nodes.get(pod.nodeName)!.ip);
  });
});

describe('StatefulSet and DaemonSet controllers', () => {
  const daemonSet = (tolerations: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: busybox}]
${tolerations}
`;

  it('names StatefulSet pods by ordinal with hostname, subdomain and the pod-name label', () => {
    const state = clusterFromYaml(DB_STATEFUL_SET_YAML);
    const pods = podsOf(state, 'default', 'db-');
    expect(pods.map((p) => p.name)).toEqual(['db-0', 'db-1', 'db-2']);
    for (const pod of pods) {
      expect(pod.hostname).toBe(pod.name);
      expect(pod.subdomain).toBe('db');
      expect(pod.labels['statefulset.kubernetes.io/pod-name']).toBe(pod.name);
      expect(pod.owner).toEqual({ kind: 'StatefulSet', name: 'db' });
    }
  });

  it.each([
    ['without a toleration: one pod per worker', '', ['worker', 'worker2']],
    [
      'tolerating the control-plane taint: one pod per node',
      '      tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists}]',
      ['control-plane', 'worker', 'worker2'],
    ],
  ])('runs a DaemonSet %s', (_, tolerations, nodes) => {
    const pods = podsOf(clusterFromYaml(daemonSet(tolerations)), 'default', 'agent-');
    expect(pods.map((p) => p.nodeName).sort()).toEqual(nodes);
    for (const pod of pods) expect(pod.name).toMatch(/^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});
