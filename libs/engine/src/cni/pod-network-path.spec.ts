import type { ClusterState } from '../model/cluster-state';
import type { Packet } from '../trace/trace-types';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { endpointForIP } from './network-endpoint';
import { networkPath } from './pod-network-path';
import { PINNED_PODS_YAML, clusterDoc, shapedPodYaml } from './spec-fixtures';

function podIP(state: ClusterState, name: string): string {
  const pod = state.pods.get(`default/${name}`);
  if (!pod) throw new Error(`no pod ${name}`);
  return pod.ip;
}

function pathBetween(state: ClusterState, fromIP: string, toIP: string) {
  const packet: Packet = {
    protocol: 'TCP',
    src: { ip: fromIP, port: 40000 },
    dst: { ip: toIP, port: 80 },
  };
  return networkPath(state, endpointForIP(state, fromIP), endpointForIP(state, toIP), packet);
}

function podToPod(cni: string, from: string, to: string, ...extra: string[]) {
  const state = clusterFromYaml(clusterDoc(cni), PINNED_PODS_YAML, ...extra);
  return pathBetween(state, podIP(state, from), podIP(state, to));
}

describe('networkPath between pods on different nodes, per CNI', () => {
  it.each([
    [
      'kindnet routes the packet as is to the peer node',
      'kindnet',
      ['pod-netns', 'veth', 'route', 'underlay', 'node-netns', 'route', 'veth', 'pod-netns'],
    ],
    [
      'flannel bridges, then encapsulates in VXLAN on flannel.1',
      'flannel',
      [
        'pod-netns',
        'veth',
        'bridge',
        'route',
        'vxlan',
        'underlay',
        'vxlan',
        'route',
        'bridge',
        'veth',
        'pod-netns',
      ],
    ],
    [
      'calico bgp routes unencapsulated',
      'calico',
      ['pod-netns', 'veth', 'route', 'underlay', 'node-netns', 'route', 'veth', 'pod-netns'],
    ],
    [
      'calico ipip tunnels through tunl0',
      '{ plugin: calico, mode: ipip }',
      ['pod-netns', 'veth', 'route', 'ipip', 'underlay', 'ipip', 'route', 'veth', 'pod-netns'],
    ],
    [
      'cilium tunnel: BPF at the lxc device, VXLAN on cilium_vxlan',
      'cilium',
      [
        'pod-netns',
        'veth',
        'ebpf',
        'route',
        'ebpf',
        'vxlan',
        'underlay',
        'vxlan',
        'route',
        'ebpf',
        'veth',
        'pod-netns',
      ],
    ],
    [
      'cilium native: BPF at the lxc device, routed as is',
      '{ plugin: cilium, mode: native }',
      [
        'pod-netns',
        'veth',
        'ebpf',
        'route',
        'underlay',
        'node-netns',
        'route',
        'ebpf',
        'veth',
        'pod-netns',
      ],
    ],
  ])('%s', (_name, cni, components) => {
    const path = podToPod(cni, 'a', 'b');
    expect(path.outcome).toEqual({ kind: 'arrived' });
    expect(path.hops.map((h) => h.component)).toEqual(components);
    expect(path.hops[0].node).toBe('worker');
    expect(path.hops[path.hops.length - 1].node).toBe('worker2');
    expect(path.packet.src.ip).toBe('10.244.1.2');
  });

  it.each([
    [
      'flannel',
      'flannel',
      { protocol: 'UDP', src: '172.18.0.3', dst: '172.18.0.4', dstPort: 8472, vni: 1 },
    ],
    [
      'calico ipip',
      '{ plugin: calico, mode: ipip }',
      { protocol: 'IPIP', src: '172.18.0.3', dst: '172.18.0.4' },
    ],
    [
      'cilium tunnel',
      'cilium',
      { protocol: 'UDP', src: '172.18.0.3', dst: '172.18.0.4', dstPort: 8472 },
    ],
  ])(
    '%s puts the node IPs in the outer header while crossing the underlay',
    (_name, cni, outer) => {
      const path = podToPod(cni, 'a', 'b');
      const wire = path.hops.find((h) => h.component === 'underlay');
      expect(wire?.packet.outer).toEqual(outer);
      expect(wire?.packet.src.ip).toBe('10.244.1.2');
      expect(wire?.packet.dst.ip).toBe('10.244.2.2');
      const last = path.hops[path.hops.length - 1];
      expect(last.packet.outer).toBeUndefined();
    },
  );

  it.each([['kindnet'], ['calico'], ['{ plugin: cilium, mode: native }']])(
    '%s sends no outer header',
    (cni) => {
      expect(podToPod(cni, 'a', 'b').hops.some((h) => h.packet.outer)).toBe(false);
    },
  );

  it('shows the route that matched on each node', () => {
    const path = podToPod('flannel', 'a', 'b');
    const routes = path.hops.filter((h) => h.component === 'route').map((h) => h.details?.route);
    expect(routes).toEqual([
      '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink',
      '10.244.2.0/24 dev cni0 proto kernel scope link src 10.244.2.1',
    ]);
  });

  it('drops packets for pods on a node that failed after they started', () => {
    const state = clusterFromYaml(clusterDoc('kindnet'), PINNED_PODS_YAML);
    const worker2 = state.nodes.get('worker2');
    if (!worker2) throw new Error('no worker2');
    worker2.ready = false;
    state.version++;
    const path = pathBetween(state, podIP(state, 'a'), podIP(state, 'b'));
    expect(path.outcome).toMatchObject({ kind: 'dropped', dropReason: 'NODE_NOT_READY' });
  });
});

describe('networkPath inside one node', () => {
  it('kindnet uses ptp veths and host routes, no bridge', () => {
    const path = podToPod('kindnet', 'a', 'c');
    expect(path.hops.map((h) => h.component)).toEqual([
      'pod-netns',
      'veth',
      'route',
      'veth',
      'pod-netns',
    ]);
    expect(path.hops.every((h) => h.node === 'worker')).toBe(true);
  });

  it('flannel switches through the cni0 bridge', () => {
    const path = podToPod('flannel', 'a', 'c');
    expect(path.hops.map((h) => h.component)).toEqual([
      'pod-netns',
      'veth',
      'bridge',
      'route',
      'bridge',
      'veth',
      'pod-netns',
    ]);
    expect(path.hops.filter((h) => h.component === 'bridge').map((h) => h.interface)).toEqual([
      'cni0',
      'cni0',
    ]);
  });

  it('a pod reaching its own address stays on loopback', () => {
    const path = podToPod('kindnet', 'a', 'a');
    expect(path.hops.map((h) => [h.component, h.interface])).toEqual([['loopback', 'lo']]);
  });
});

describe('networkPath leaving the cluster', () => {
  it.each([
    ['kindnet', 'kindnet', 'KIND-MASQ-AGENT'],
    ['flannel', 'flannel', 'FLANNEL-POSTRTG'],
    ['calico', 'calico', 'cali-nat-outgoing'],
  ])(
    '%s masquerades pod traffic to the node IP, then sends it to the external network',
    (_name, cni, chain) => {
      const state = clusterFromYaml(clusterDoc(cni), PINNED_PODS_YAML);
      const path = pathBetween(state, podIP(state, 'a'), '93.184.215.14');
      const snat = path.hops.find((h) => h.component === 'snat');
      expect(snat?.packet.src.ip).toBe('172.18.0.3');
      expect(String(snat?.details?.rule)).toContain(chain);
      expect(path.hops[path.hops.length - 1].component).toBe('external-network');
      expect(path.snatIP).toBe('172.18.0.3');
    },
  );

  it('does not masquerade traffic between pods', () => {
    expect(podToPod('kindnet', 'a', 'b').hops.some((h) => h.component === 'snat')).toBe(false);
  });
});

describe('bandwidth annotations', () => {
  it('shape egress on the ifb device and ingress on the host-side veth with tbf', () => {
    const state = clusterFromYaml(
      clusterDoc('calico'),
      PINNED_PODS_YAML,
      shapedPodYaml('shaped', 'worker2', '10M', '5M'),
    );
    const out = pathBetween(state, podIP(state, 'shaped'), podIP(state, 'a'));
    const inbound = pathBetween(state, podIP(state, 'a'), podIP(state, 'shaped'));
    const egress = out.hops.find((h) => h.component === 'bandwidth');
    const ingress = inbound.hops.find((h) => h.component === 'bandwidth');
    expect(egress?.details).toMatchObject({ rate: '5M', qdisc: 'tbf' });
    expect(egress?.interface).toMatch(/^bwp/);
    expect(ingress?.details).toMatchObject({ rate: '10M', qdisc: 'tbf' });
    expect(ingress?.interface).toMatch(/^cali/);
  });
});
