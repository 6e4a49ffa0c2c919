import { formatIssue } from '../model/issues';
import { loadCluster } from './load-cluster';

function load(yaml: string) {
  const result = loadCluster([{ name: 'dump.yaml', content: yaml }]);
  return { ...result, messages: result.issues.map((i) => `${i.severity}: ${formatIssue(i)}`) };
}

const node = (name: string, ip: string, cidr: string) =>
  `- apiVersion: v1\n  kind: Node\n  metadata: {name: ${name}, labels: {kubernetes.io/os: linux}}\n  spec: {podCIDR: ${cidr}}\n  status: {addresses: [{type: InternalIP, address: ${ip}}]}`;
const pod = (name: string, nodeName: string, ip: string) =>
  `- apiVersion: v1\n  kind: Pod\n  metadata: {name: ${name}, namespace: default, resourceVersion: "1", uid: u-${name}, creationTimestamp: "2025-01-01T00:00:00Z", managedFields: [{manager: kubelet}]}\n  spec: {nodeName: ${nodeName}, containers: [{name: c, image: nginx}]}\n  status: {phase: Running, podIP: ${ip}, hostIP: 172.18.0.2}`;
const list = (...items: string[]) => `apiVersion: v1\nkind: List\nitems:\n${items.join('\n')}\n`;

describe('importing a dump: the rules', () => {
  it('refuses two pods holding one address, naming both and the List item', () => {
    const { state, messages } = load(
      list(
        node('n1', '172.18.0.2', '10.244.0.0/24'),
        pod('a', 'n1', '10.244.0.5'),
        pod('b', 'n1', '10.244.0.5'),
      ),
    );
    expect(state).toBeNull();
    expect(messages).toContain(
      'error: dump.yaml doc 1 item 3 Pod default/b: status.podIP: Duplicate value: 10.244.0.5 is also held by Pod default/a',
    );
  });

  it('refuses two nodes with one InternalIP or one podCIDR', () => {
    const { messages } = load(
      list(node('n1', '172.18.0.2', '10.244.0.0/24'), node('n2', '172.18.0.2', '10.244.0.0/24')),
    );
    expect(messages.filter((m) => m.startsWith('error'))).toEqual([
      'error: dump.yaml doc 1 item 2 Node n2: status.addresses: Duplicate value: "172.18.0.2" is also Node n1\'s',
      'error: dump.yaml doc 1 item 2 Node n2: spec.podCIDR: Duplicate value: "10.244.0.0/24" is also Node n1\'s',
    ]);
  });

  it('keeps a pod address the built-in CoreDNS pods would otherwise have taken', () => {
    const { state, messages } = load(
      list(node('n1', '172.18.0.2', '10.244.0.0/24'), pod('a', 'n1', '10.244.0.2')),
    );
    expect(messages.filter((m) => !m.startsWith('info'))).toEqual([]);
    const ips = [...state!.pods.values()].map((p) => `${p.name} ${p.ip}`);
    expect(ips).toContain('a 10.244.0.2');
    expect(ips.filter((i) => i.startsWith('coredns-'))).toHaveLength(2);
    expect(new Set(ips.map((i) => i.split(' ')[1])).size).toBe(ips.length);
  });

  it('mirrors Endpoints only for an existing Service without a selector and without skip-mirror', () => {
    const svc = (name: string, selector: string) =>
      `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {${selector}ports: [{port: 80}]}`;
    const endpoints = (name: string, labels = '{}') =>
      `---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: ${name}, labels: ${labels}}\nsubsets: [{addresses: [{ip: 192.0.2.10}], ports: [{port: 80}]}]`;
    const { state, messages } = load(
      [
        svc('manual', ''),
        svc('selected', 'selector: {app: x}, '),
        svc('skipped', ''),
        endpoints('manual'),
        endpoints('selected'),
        endpoints('skipped', '{endpointslice.kubernetes.io/skip-mirror: "true"}'),
        endpoints('orphan'),
      ].join('\n'),
    );
    const mirrored = [...state!.endpointSlices.values()]
      .filter((s) => s.endpoints.some((e) => e.addresses[0] === '192.0.2.10'))
      .map((s) => s.serviceName);
    expect(mirrored).toEqual(['manual']);
    expect(messages).toContain(
      'warning: dump.yaml doc 7 Endpoints default/orphan: no Service default/orphan: the EndpointSlice mirroring controller only mirrors the Endpoints of an existing Service, so no traffic reaches these addresses',
    );
  });

  it('summarises kinds with no network meaning in one line per kind', () => {
    const role = (name: string) =>
      `- {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: ${name}}, rules: []}`;
    const { messages } = load(list(role('a'), role('b'), role('c')));
    expect(messages).toEqual(['info: 3 ClusterRole objects: no network meaning, kept as given']);
  });
});
