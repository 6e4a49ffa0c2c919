import { issuesOf, readYaml } from './read-yaml-for-tests';

describe('v1 Node', () => {
  it('reads labels, taints, cordon, InternalIP and a NotReady condition', () => {
    const set = readYaml(`apiVersion: v1
kind: Node
metadata:
  name: delta-worker
  labels: {kubernetes.io/hostname: delta-worker, topology.kubernetes.io/zone: a}
spec:
  unschedulable: true
  taints: [{key: dedicated, value: db, effect: NoSchedule}]
status:
  addresses:
  - {type: Hostname, address: delta-worker}
  - {type: InternalIP, address: 172.18.0.4}
  conditions:
  - {type: Ready, status: "False"}
`);
    expect(set.issues).toEqual([]);
    expect(set.nodes).toEqual([
      {
        name: 'delta-worker',
        location: { doc: 1 },
        labels: { 'kubernetes.io/hostname': 'delta-worker', 'topology.kubernetes.io/zone': 'a' },
        unschedulable: true,
        taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }],
        ip: '172.18.0.4',
        ready: false,
      },
    ]);
  });

  it('leaves unset what the Node does not say, so the cluster node keeps its own values', () => {
    const set = readYaml(
      'apiVersion: v1\nkind: Node\nmetadata:\n  name: cp\n  labels: {node-role.kubernetes.io/control-plane: ""}\n',
    );
    expect(set.nodes).toEqual([
      {
        name: 'cp',
        location: { doc: 1 },
        labels: { 'node-role.kubernetes.io/control-plane': '' },
        role: 'control-plane',
      },
    ]);
  });

  it('refuses a taint with a bad effect', () => {
    expect(
      issuesOf(
        'apiVersion: v1\nkind: Node\nmetadata: {name: n}\nspec:\n  taints: [{key: a, effect: NoRun}]\n',
      ),
    ).toContain(
      'doc 1 Node n: spec.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    );
  });
});
