import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssue } from '../model/issues';
import type { ClusterState } from '../model/cluster-state';
import { traceProbe } from '../probe/probe';
import { loadCluster } from './load-cluster';

/** The cluster dumps in test/fixtures/import, shaped as `kubectl get … -A -o yaml` prints them. */
function loadDump(file: string, edit: (content: string) => string = (c) => c) {
  const content = edit(
    readFileSync(join(__dirname, '../../../../test/fixtures/import', file), 'utf8'),
  );
  const result = loadCluster([{ name: file, content }]);
  const notes = result.issues.map((i) => `${i.severity}: ${formatIssue(i)}`);
  if (!result.state) throw new Error(notes.join('\n'));
  return { state: result.state, notes };
}

const nodes = (s: ClusterState) =>
  [...s.nodes.values()].map((n) => [n.name, n.ip, n.podCIDR, n.role, n.taints.length]);
const pods = (s: ClusterState) =>
  [...s.pods.values()]
    .map((p) => `${p.namespace}/${p.name} ${p.nodeName} ${p.ip} ${p.phase} ${p.owner?.kind ?? '-'}`)
    .sort();
const services = (s: ClusterState) =>
  [...s.services.values()].map((svc) =>
    [
      `${svc.namespace}/${svc.name}`,
      svc.type,
      svc.clusterIP,
      svc.ports.map((p) => p.nodePort ?? '-').join(','),
      svc.loadBalancerIngress.map((i) => i.ip).join(','),
    ].join(' '),
  );
const slices = (s: ClusterState) =>
  [...s.endpointSlices.values()].map(
    (e) =>
      `${e.namespace}/${e.name} ${e.serviceName} ${e.endpoints.map((p) => p.addresses[0]).join(',')}`,
  );
const verdict = (s: ClusterState, from: string, to: string) => traceProbe(s, { from, to }).verdict;

describe('importing a kind cluster (kindnet)', () => {
  const { state, notes } = loadDump('kind-kindnet.yaml');

  it('loads without warnings, reporting what it inferred', () => {
    expect(notes).toEqual([
      "info: cluster settings inferred from the input's Nodes and Services: CNI kindnet (static-routes); pod CIDR 10.244.0.0/16 (/24 per node); service CIDR 10.96.0.0/16",
    ]);
  });

  it("has the dump's nodes, and only those", () => {
    expect(nodes(state)).toEqual([
      ['kind-control-plane', '172.18.0.3', '10.244.0.0/24', 'control-plane', 1],
      ['kind-worker', '172.18.0.2', '10.244.2.0/24', 'worker', 0],
      ['kind-worker2', '172.18.0.4', '10.244.1.0/24', 'worker', 0],
    ]);
  });

  it("has the dump's pods with their nodes, addresses and owners, and no others", () => {
    expect(pods(state)).toEqual([
      'default/client kind-worker2 10.244.1.3 Running -',
      'default/intruder kind-worker 10.244.2.3 Running -',
      'default/web-5d8f6c7b9d-7hxkq kind-worker 10.244.2.2 Running ReplicaSet',
      'default/web-5d8f6c7b9d-rp4zn kind-worker2 10.244.1.2 Running ReplicaSet',
      'kube-system/coredns-7c65d6cfc9-8qzvn kind-control-plane 10.244.0.2 Running ReplicaSet',
      'kube-system/coredns-7c65d6cfc9-kxbq7 kind-control-plane 10.244.0.4 Running ReplicaSet',
      'kube-system/etcd-kind-control-plane kind-control-plane 172.18.0.3 Running Node',
      'kube-system/kindnet-4kx2p kind-control-plane 172.18.0.3 Running DaemonSet',
      'kube-system/kindnet-9s8dq kind-worker2 172.18.0.4 Running DaemonSet',
      'kube-system/kindnet-tn6wl kind-worker 172.18.0.2 Running DaemonSet',
      'kube-system/kube-apiserver-kind-control-plane kind-control-plane 172.18.0.3 Running Node',
      'kube-system/kube-controller-manager-kind-control-plane kind-control-plane 172.18.0.3 Running Node',
      'kube-system/kube-proxy-m5g8h kind-worker 172.18.0.2 Running DaemonSet',
      'kube-system/kube-proxy-xv2lc kind-worker2 172.18.0.4 Running DaemonSet',
      'kube-system/kube-proxy-zq7rw kind-control-plane 172.18.0.3 Running DaemonSet',
      'kube-system/kube-scheduler-kind-control-plane kind-control-plane 172.18.0.3 Running Node',
      'local-path-storage/local-path-provisioner-57c5987fd4-h8m2v kind-control-plane 10.244.0.3 Running ReplicaSet',
    ]);
    expect([...state.replicaSets.keys()]).toEqual([
      'kube-system/coredns-7c65d6cfc9',
      'local-path-storage/local-path-provisioner-57c5987fd4',
      'default/web-5d8f6c7b9d',
    ]);
  });

  it("keeps the Services' addresses and the EndpointSlices as written", () => {
    expect(services(state)).toEqual([
      'default/kubernetes ClusterIP 10.96.0.1 - ',
      'default/web ClusterIP 10.96.183.20 - ',
      'kube-system/kube-dns ClusterIP 10.96.0.10 -,-,- ',
    ]);
    expect(slices(state)).toEqual([
      'default/kubernetes kubernetes 172.18.0.3',
      'default/web-x7k2m web 10.244.2.2,10.244.1.2',
      'kube-system/kube-dns-9rjzt kube-dns 10.244.0.2,10.244.0.4',
    ]);
  });

  it('answers probes across it: the client reaches web, the NetworkPolicy stops the intruder', () => {
    const trace = traceProbe(state, { from: 'default/client', to: 'http://web.default/' });
    expect(trace.verdict).toBe('delivered');
    expect(trace.hops.some((h) => h.description.includes('10.96.0.10:53'))).toBe(true);
    expect(verdict(state, 'default/intruder', 'http://web.default/')).toBe('dropped');
  });
});

describe('importing a k3s cluster (flannel, ServiceLB, Traefik)', () => {
  const { state, notes } = loadDump('k3s-flannel-servicelb-traefik.yaml');

  it('reports the finished Helm install pods and what it inferred', () => {
    expect(notes).toEqual([
      'info: 2 finished Pods (status.phase Succeeded or Failed) left out: they hold no address (kube-system/helm-install-traefik-crd-x5v9k, kube-system/helm-install-traefik-b7m2p)',
      "info: cluster settings inferred from the input's Nodes and Services: CNI flannel (vxlan); pod CIDR 10.42.0.0/16 (/24 per node); service CIDR 10.43.0.0/16; load balancer k3s ServiceLB; ingress controller Traefik (Service kube-system/traefik)",
    ]);
  });

  it('has the k3s nodes: the server labelled control-plane and untainted', () => {
    expect(nodes(state)).toEqual([
      ['k3s-server', '192.168.122.10', '10.42.0.0/24', 'control-plane', 0],
      ['k3s-agent-1', '192.168.122.11', '10.42.1.0/24', 'worker', 0],
      ['k3s-agent-2', '192.168.122.12', '10.42.2.0/24', 'worker', 0],
    ]);
  });

  it("keeps ServiceLB's DaemonSets and pods instead of making its own", () => {
    expect(pods(state).filter((p) => p.includes('svclb-'))).toEqual([
      'kube-system/svclb-traefik-4b1f3b8a-2nq8l k3s-server 10.42.0.7 Running DaemonSet',
      'kube-system/svclb-traefik-4b1f3b8a-h6dtw k3s-agent-1 10.42.1.4 Running DaemonSet',
      'kube-system/svclb-traefik-4b1f3b8a-zc4xm k3s-agent-2 10.42.2.2 Running DaemonSet',
      'kube-system/svclb-whoami-c2d9e671-4fjr8 k3s-server 10.42.0.8 Running DaemonSet',
      'kube-system/svclb-whoami-c2d9e671-tq5mb k3s-agent-2 10.42.2.4 Running DaemonSet',
      'kube-system/svclb-whoami-c2d9e671-w8kvn k3s-agent-1 10.42.1.5 Running DaemonSet',
    ]);
    expect(pods(state)).toHaveLength(12);
  });

  it('keeps node ports and load-balancer ingress addresses', () => {
    expect(services(state)).toEqual([
      'default/kubernetes ClusterIP 10.43.0.1 - ',
      'kube-system/kube-dns ClusterIP 10.43.0.10 -,-,- ',
      'kube-system/metrics-server ClusterIP 10.43.118.57 - ',
      'kube-system/traefik LoadBalancer 10.43.85.203 31823,30457 192.168.122.10,192.168.122.11,192.168.122.12',
      'default/whoami LoadBalancer 10.43.27.144 32093 192.168.122.10,192.168.122.11,192.168.122.12',
    ]);
    expect(slices(state)).toContain('default/whoami-5bnzf whoami 10.42.1.3,10.42.2.3');
  });

  it('answers probes across it: a pod reaches whoami by name, and from outside through ServiceLB', () => {
    expect(
      verdict(state, 'kube-system/traefik-d7c9c5778-r2gkh', 'http://whoami.default:8080/'),
    ).toBe('delivered');
    expect(verdict(state, 'external', 'http://192.168.122.12:8080/')).toBe('delivered');
  });

  it("routes the dump's Ingress through its Traefik (kube-system), installing no second one", () => {
    const trace = traceProbe(state, {
      from: 'external',
      to: 'http://192.168.122.11/',
      host: 'whoami.example.com',
    });
    expect(trace.verdict).toBe('delivered');
    expect(trace.http?.status).toBe(200);
    const routing = trace.hops.find((h) => h.details?.controller === 'Traefik');
    expect(routing?.details).toMatchObject({
      ingress: 'default/whoami',
      host: 'whoami.example.com',
    });
    const whoamiPods = ['10.42.1.3', '10.42.2.3'];
    const upstream = trace.hops.filter((h) => whoamiPods.includes(h.packet.dst.ip));
    expect(upstream.length).toBeGreaterThan(0);
    expect(
      [...state.pods.values()].filter((p) => p.labels['app.kubernetes.io/name'] === 'traefik'),
    ).toHaveLength(1);
    expect(state.namespaces.has('traefik')).toBe(false);
    const unknownHost = traceProbe(state, {
      from: 'external',
      to: 'http://192.168.122.11/',
      host: 'other.example.com',
    });
    expect(unknownHost.http).toMatchObject({ status: 404 });
  });
});

describe('importing a kubeadm cluster with Calico', () => {
  const { state, notes } = loadDump('kubeadm-calico.yaml');

  it("infers the Calico blocks and kubeadm's /12 service CIDR", () => {
    expect(notes).toEqual([
      "info: cluster settings inferred from the input's Nodes and Services: CNI calico (ipip); node cp-1 Calico block 192.168.235.128/26; node worker-1 Calico block 192.168.171.64/26; node worker-2 Calico block 192.168.226.64/26; pod CIDR 192.168.0.0/16 (/26 per node); service CIDR 10.96.0.0/12",
    ]);
    expect(state.config.serviceCIDR).toBe('10.96.0.0/12');
  });

  it("has the dump's nodes, pods and StatefulSet ordinals", () => {
    expect(nodes(state).map((n) => n.slice(0, 3))).toEqual([
      ['cp-1', '10.0.0.10', '192.168.235.128/26'],
      ['worker-1', '10.0.0.11', '192.168.171.64/26'],
      ['worker-2', '10.0.0.12', '192.168.226.64/26'],
    ]);
    expect(pods(state).filter((p) => p.startsWith('shop/'))).toEqual([
      'shop/api-84c7b9f6d8-m2kzp worker-1 192.168.171.65 Running ReplicaSet',
      'shop/api-84c7b9f6d8-t8vrx worker-2 192.168.226.65 Running ReplicaSet',
      'shop/db-0 worker-1 192.168.171.66 Running StatefulSet',
      'shop/db-1 worker-2 192.168.226.66 Running StatefulSet',
      'shop/storefront-5f9c8d7b6c-wz4qk worker-2 192.168.226.67 Running ReplicaSet',
    ]);
    expect(pods(state)).toHaveLength(18);
    expect(services(state)).toContain('shop/api NodePort 10.104.22.81 31380 ');
    expect(slices(state)).toContain('shop/db-5sd9w db 192.168.171.66,192.168.226.66');
  });

  it('answers probes across it: api reaches db-0 by its DNS name, the storefront is refused by the policy', () => {
    expect(verdict(state, 'shop/api-84c7b9f6d8-t8vrx', 'db-0.db.shop:5432')).toBe('delivered');
    expect(verdict(state, 'shop/storefront-5f9c8d7b6c-wz4qk', 'db-0.db.shop:5432')).toBe('dropped');
    expect(verdict(state, 'external', 'http://10.0.0.11:31380/')).toBe('delivered');
  });
});

describe('importing a Calico node whose pods span two IPAM blocks', () => {
  // A node that filled its first /26 borrows a second block; the second pod here sits in it.
  const { notes } = loadDump('kubeadm-calico.yaml', (c) =>
    c.replaceAll('192.168.171.66', '192.168.171.130'),
  );

  it('warns that the node keeps one range, names both blocks, and flags the pods outside it', () => {
    const warnings = notes.filter((n) => n.startsWith('warning'));
    expect(warnings[0]).toContain(
      'node worker-1 has pods in 2 Calico blocks (192.168.171.64/26, 192.168.171.128/26)',
    );
    expect(warnings.slice(1)).toEqual([
      expect.stringContaining("192.168.171.65 is outside node worker-1's pod range"),
      expect.stringContaining("192.168.171.130 is outside node worker-1's pod range"),
    ]);
  });
});
