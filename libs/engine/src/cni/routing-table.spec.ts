import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { caliName, lxcName, vethName } from './interface-names';
import { formatRoutes, lookupRoute, routingTable } from './routing-table';
import { PINNED_PODS_YAML, clusterDoc } from './spec-fixtures';

function worker(cni: string) {
  const state = clusterFromYaml(clusterDoc(cni), PINNED_PODS_YAML);
  const node = state.nodes.get('worker');
  if (!node) throw new Error('no worker node');
  const pod = (name: string) => {
    const p = state.pods.get(`default/${name}`);
    if (!p) throw new Error(`no pod ${name}`);
    return p;
  };
  return { state, node, pod };
}

describe('routingTable: the worker node of a kind-like cluster (pods a, c on worker, b on worker2)', () => {
  it.each([
    [
      'kindnet: one host route per local pod over its ptp veth, one route per peer node via its IP',
      'kindnet',
      (n: (p: string) => string) => [
        'default via 172.18.0.1 dev eth0',
        '10.244.0.0/24 via 172.18.0.2 dev eth0',
        `10.244.1.2 dev ${n('a')} scope host`,
        `10.244.1.3 dev ${n('c')} scope host`,
        '10.244.2.0/24 via 172.18.0.4 dev eth0',
        '172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.3',
      ],
    ],
    [
      'flannel vxlan: local range on the cni0 bridge, peers via their flannel.1 address onlink',
      'flannel',
      () => [
        'default via 172.18.0.1 dev eth0',
        '10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink',
        '10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1',
        '10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink',
        '172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.3',
      ],
    ],
    [
      'calico bgp: BIRD routes to peers, blackhole for the own block, cali host routes',
      'calico',
      (n: (p: string) => string) => [
        'default via 172.18.0.1 dev eth0',
        '10.244.0.0/24 via 172.18.0.2 dev eth0 proto bird',
        'blackhole 10.244.1.0/24 proto bird',
        `10.244.1.2 dev ${n('a')} scope link`,
        `10.244.1.3 dev ${n('c')} scope link`,
        '10.244.2.0/24 via 172.18.0.4 dev eth0 proto bird',
        '172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.3',
      ],
    ],
    [
      'calico ipip: peers through tunl0 onlink',
      '{ plugin: calico, mode: ipip }',
      (n: (p: string) => string) => [
        'default via 172.18.0.1 dev eth0',
        '10.244.0.0/24 via 172.18.0.2 dev tunl0 proto bird onlink',
        'blackhole 10.244.1.0/24 proto bird',
        `10.244.1.2 dev ${n('a')} scope link`,
        `10.244.1.3 dev ${n('c')} scope link`,
        '10.244.2.0/24 via 172.18.0.4 dev tunl0 proto bird onlink',
        '172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.3',
      ],
    ],
    [
      'cilium tunnel: every pod range via cilium_host, peers with the VXLAN-reduced MTU',
      'cilium',
      () => [
        'default via 172.18.0.1 dev eth0',
        '10.244.0.0/24 via 10.244.1.1 dev cilium_host proto kernel src 10.244.1.1 mtu 1450',
        '10.244.1.0/24 via 10.244.1.1 dev cilium_host proto kernel src 10.244.1.1',
        '10.244.1.1 dev cilium_host proto kernel scope link',
        '10.244.2.0/24 via 10.244.1.1 dev cilium_host proto kernel src 10.244.1.1 mtu 1450',
        '172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.3',
      ],
    ],
    [
      'cilium native routing: direct routes to peers over eth0',
      '{ plugin: cilium, mode: native }',
      () => [
        'default via 172.18.0.1 dev eth0',
        '10.244.0.0/24 via 172.18.0.2 dev eth0 proto kernel',
        '10.244.1.0/24 via 10.244.1.1 dev cilium_host proto kernel src 10.244.1.1',
        '10.244.1.1 dev cilium_host proto kernel scope link',
        '10.244.2.0/24 via 172.18.0.4 dev eth0 proto kernel',
        '172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.3',
      ],
    ],
  ])('%s', (_name, cni, expected) => {
    const { state, node, pod } = worker(cni);
    const names = cni.includes('calico')
      ? (p: string) => caliName(pod(p))
      : (p: string) => vethName(pod(p));
    expect(formatRoutes(routingTable(state, node)).split('\n')).toEqual(expected(names));
  });

  it('names host-side interfaces deterministically within the kernel limit of 15 characters', () => {
    const { pod } = worker('kindnet');
    expect(vethName(pod('a'))).toMatch(/^veth[0-9a-f]{8}$/);
    expect(caliName(pod('a'))).toMatch(/^cali[0-9a-f]{11}$/);
    expect(lxcName(pod('a'))).toMatch(/^lxc[0-9a-f]{12}$/);
    expect(vethName(pod('a'))).not.toBe(vethName(pod('c')));
    expect(vethName(pod('a'))).toBe(vethName(worker('kindnet').pod('a')));
  });
});

describe('lookupRoute: the longest-prefix match without building the table', () => {
  it.each([
    ['a local pod (kindnet host route)', 'kindnet', '10.244.1.2', 'local-pod'],
    ['a pod on a peer node', 'kindnet', '10.244.2.2', 'peer-pods'],
    [
      'an unused local address in kindnet (no route for the range: default)',
      'kindnet',
      '10.244.1.200',
      'default',
    ],
    ['an unused local address in calico (blackhole)', 'calico', '10.244.1.200', 'local-pods'],
    ['another node', 'flannel', '172.18.0.4', 'node-network'],
    ['the internet', 'flannel', '93.184.215.14', 'default'],
  ])('%s', (_name, cni, ip, purpose) => {
    const { state, node } = worker(cni);
    expect(lookupRoute(state, node, ip).purpose).toBe(purpose);
  });

  it('agrees with the full table for every pod address', () => {
    const { state, node } = worker('calico');
    const table = routingTable(state, node);
    for (const p of state.pods.values()) {
      if (!p.ip || p.hostNetwork) continue;
      const route = lookupRoute(state, node, p.ip);
      expect(table).toContainEqual(route);
    }
  });
});
