import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { clusterWith } from '../testing/seed-fixtures';
import type { ClusterState } from '../model/cluster-state';
import type { Pod } from '../model/resources';
import { formatResolvConf, nodeResolvConf, resolvConfFor } from './resolv-conf';

function pod(name: string, spec: string, namespace = 'default'): string {
  return `
apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${spec}
  containers: [{name: main, image: busybox}]
`;
}

const NAMESPACE = `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
`;

function findPod(state: ClusterState, ref: string): Pod {
  const found = state.pods.get(ref);
  if (!found) throw new Error(`no pod ${ref}`);
  return found;
}

describe('resolvConfFor (kubelet pkg/kubelet/network/dns/dns.go)', () => {
  const state = clusterFromYaml(
    NAMESPACE,
    pod('client', ''),
    pod('in-shop', '', 'shop'),
    pod('host-default-policy', '  hostNetwork: true'),
    pod('host-with-hostnet', '  hostNetwork: true\n  dnsPolicy: ClusterFirstWithHostNet'),
    pod('policy-default', '  dnsPolicy: Default'),
    pod(
      'policy-none',
      `  dnsPolicy: None
  dnsConfig:
    nameservers: [1.2.3.4]
    searches: [ns1.svc.cluster-domain.example, my.dns.search.suffix]
    options:
    - {name: ndots, value: "2"}
    - {name: edns0}`,
    ),
    pod(
      'cluster-first-merged',
      `  dnsConfig:
    nameservers: [1.2.3.4, 10.96.0.10, 8.8.8.8]
    searches: [default.svc.cluster.local, corp.example]
    options:
    - {name: ndots, value: "2"}
    - {name: single-request-reopen}`,
    ),
    pod('cluster-first-four', '  dnsConfig:\n    nameservers: [1.2.3.4, 8.8.8.8, 9.9.9.9]'),
  );

  it('gives an unset dnsPolicy the ClusterFirst file shown in the seed document', () => {
    expect(formatResolvConf(resolvConfFor(state, findPod(state, 'default/client')))).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local localdomain\nnameserver 10.96.0.10\noptions ndots:5\n',
    );
  });

  it.each([
    [
      'default/client',
      ['10.96.0.10'],
      ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'localdomain'],
      5,
    ],
    [
      'shop/in-shop',
      ['10.96.0.10'],
      ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'localdomain'],
      5,
    ],
    // ClusterFirst on hostNetwork falls back to Default: the node's file as is (resolver default ndots 1).
    ['default/host-default-policy', ['172.18.0.1'], ['localdomain'], 1],
    [
      'default/host-with-hostnet',
      ['10.96.0.10'],
      ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'localdomain'],
      5,
    ],
    ['default/policy-default', ['172.18.0.1'], ['localdomain'], 1],
  ])('%s gets nameservers %j, searches %j, ndots %d', (ref, nameservers, searches, ndots) => {
    const rc = resolvConfFor(state, findPod(state, ref));
    expect(rc.nameservers).toEqual(nameservers);
    expect(rc.searches).toEqual(searches);
    expect(rc.ndots).toBe(ndots);
    expect(rc.source.length).toBeGreaterThan(10);
  });

  it('writes exactly the dnsConfig for dnsPolicy None (the kubernetes.io example)', () => {
    expect(formatResolvConf(resolvConfFor(state, findPod(state, 'default/policy-none')))).toBe(
      'search ns1.svc.cluster-domain.example my.dns.search.suffix\nnameserver 1.2.3.4\noptions ndots:2 edns0\n',
    );
  });

  it('keeps only the first 3 nameservers after the merge', () => {
    expect(resolvConfFor(state, findPod(state, 'default/cluster-first-four')).nameservers).toEqual([
      '10.96.0.10',
      '1.2.3.4',
      '8.8.8.8',
    ]);
  });

  it('merges dnsConfig into ClusterFirst: nameservers deduplicated, searches deduplicated, pod options win by name', () => {
    const rc = resolvConfFor(state, findPod(state, 'default/cluster-first-merged'));
    expect(rc.nameservers).toEqual(['10.96.0.10', '1.2.3.4', '8.8.8.8']);
    expect(rc.searches).toEqual([
      'default.svc.cluster.local',
      'svc.cluster.local',
      'cluster.local',
      'localdomain',
      'corp.example',
    ]);
    expect(rc.options).toEqual([{ name: 'ndots', value: '2' }, { name: 'single-request-reopen' }]);
    expect(rc.ndots).toBe(2);
  });
});

describe('resolvConfFor with a node resolv.conf from the Cluster document', () => {
  const longSearches = Array.from({ length: 31 }, (_, i) => `d${i}.example`);
  const state = clusterFromYaml(
    clusterWith(
      `  nodeResolvConf:
    nameservers: [10.0.0.2]
    searches: [cluster.local, ec2.internal]
    options: [timeout:2, ndots:1]
`,
      'lab',
    ),
    pod('client', ''),
    pod('host', '  dnsPolicy: Default'),
  );

  it('appends the node search domains after the cluster ones without duplicates and replaces the node options', () => {
    const rc = resolvConfFor(state, findPod(state, 'default/client'));
    expect(rc.searches).toEqual([
      'default.svc.cluster.local',
      'svc.cluster.local',
      'cluster.local',
      'ec2.internal',
    ]);
    expect(rc.options).toEqual([{ name: 'ndots', value: '5' }]);
  });

  it('copies the node file for dnsPolicy Default, options included', () => {
    const rc = resolvConfFor(state, findPod(state, 'default/host'));
    expect(formatResolvConf(rc)).toBe(
      'search cluster.local ec2.internal\nnameserver 10.0.0.2\noptions timeout:2 ndots:1\n',
    );
    expect(rc.ndots).toBe(1);
  });

  it('formats the node file itself', () => {
    const node = [...state.nodes.values()][0];
    expect(formatResolvConf(nodeResolvConf(state, node))).toBe(
      'search cluster.local ec2.internal\nnameserver 10.0.0.2\noptions timeout:2 ndots:1\n',
    );
  });

  it('keeps at most 32 search domains (ExpandedDNSConfig limit)', () => {
    const big = clusterFromYaml(
      clusterWith(
        `  nodeResolvConf:
    nameservers: [10.0.0.2]
    searches: [${longSearches.join(', ')}]
`,
        'lab',
      ),
      pod('client', ''),
    );
    const rc = resolvConfFor(big, findPod(big, 'default/client'));
    expect(rc.searches).toHaveLength(32);
    expect(rc.searches.slice(0, 4)).toEqual([
      'default.svc.cluster.local',
      'svc.cluster.local',
      'cluster.local',
      'd0.example',
    ]);
    expect(rc.searches[31]).toBe('d28.example');
  });
});
