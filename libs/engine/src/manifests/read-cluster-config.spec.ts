import { DEFAULT_UPSTREAM_ZONE, defaultClusterConfig } from '../model/cluster-config';
import { formatIssue } from '../model/issues';
import { issuesOf, readYaml } from './read-yaml-for-tests';
import { clusterWith } from '../testing/seed-fixtures';

const cluster = (spec: string) => clusterWith(spec, 'delta');

describe('kind: Cluster', () => {
  it('uses the kind defaults when no Cluster document is given', () => {
    const set = readYaml('apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n');
    expect(set.clusterGiven).toBe(false);
    expect(set.cluster).toEqual(defaultClusterConfig());
  });

  it('reads every field in its short form', () => {
    const set = readYaml(
      cluster(`  nodes:
  - {name: delta-control-plane, ip: 172.18.0.2, role: control-plane}
  - {name: delta-worker, ip: 172.18.0.3, labels: {zone: a}}
  podCIDR: 10.200.0.0/16
  nodeCIDRMaskSize: 25
  serviceCIDR: 10.100.0.0/16
  clusterDomain: corp.local
  cni: calico
  kubeProxy: ipvs
  nodePortRange: "30000-30100"
  seed: 42
  externalClient: 198.51.100.7
  nodeResolvConf: {nameservers: [192.168.1.1], searches: [lan], options: ["ndots:1"]}
`),
    );
    expect(set.issues).toEqual([]);
    expect(set.clusterGiven).toBe(true);
    expect(set.cluster).toEqual({
      ...defaultClusterConfig(),
      name: 'delta',
      nodes: [
        { name: 'delta-control-plane', ip: '172.18.0.2', role: 'control-plane' },
        { name: 'delta-worker', ip: '172.18.0.3', role: 'worker', labels: { zone: 'a' } },
      ],
      podCIDR: '10.200.0.0/16',
      nodeCIDRMaskSize: 25,
      serviceCIDR: '10.100.0.0/16',
      clusterDomain: 'corp.local',
      cni: { plugin: 'calico', mode: 'bgp' },
      kubeProxy: { mode: 'ipvs', ipvsScheduler: 'rr' },
      nodePortRange: { from: 30000, to: 30100 },
      seed: '42',
      externalClientIP: '198.51.100.7',
      nodeResolvConf: { nameservers: ['192.168.1.1'], searches: ['lan'], options: ['ndots:1'] },
    });
  });

  it.each([
    ['kindnet', { plugin: 'kindnet', mode: 'static-routes' }],
    ['flannel', { plugin: 'flannel', mode: 'vxlan' }],
    ['calico', { plugin: 'calico', mode: 'bgp' }],
    ['cilium', { plugin: 'cilium', mode: 'tunnel' }],
    ['{plugin: calico, mode: ipip}', { plugin: 'calico', mode: 'ipip' }],
    ['{plugin: cilium, mode: native}', { plugin: 'cilium', mode: 'native' }],
  ])('cni %s', (value, expected) => {
    const set = readYaml(cluster(`  cni: ${value}\n`));
    expect(set.issues).toEqual([]);
    expect(set.cluster.cni).toEqual(expected);
  });

  it('reads the object forms of kubeProxy and nodePortRange', () => {
    const set = readYaml(
      cluster(
        '  kubeProxy: {mode: ipvs, ipvsScheduler: lc}\n  nodePortRange: {from: 31000, to: 31999}\n',
      ),
    );
    expect(set.issues).toEqual([]);
    expect(set.cluster.kubeProxy).toEqual({ mode: 'ipvs', ipvsScheduler: 'lc' });
    expect(set.cluster.nodePortRange).toEqual({ from: 31000, to: 31999 });
  });

  it('replaces the upstream zone with a list and extends it with {records, merge: true}', () => {
    const replaced = readYaml(
      cluster('  upstreamDNS:\n  - {name: db.corp.example, type: A, data: 192.0.2.10, ttl: 30}\n'),
    );
    expect(replaced.issues).toEqual([]);
    expect(replaced.cluster.upstreamZone).toEqual([
      { name: 'db.corp.example', type: 'A', data: '192.0.2.10', ttl: 30 },
    ]);
    const merged = readYaml(
      cluster(
        '  upstreamDNS:\n    merge: true\n    records:\n    - {name: example.com, type: A, data: 192.0.2.1}\n',
      ),
    );
    expect(merged.issues).toEqual([]);
    expect(merged.cluster.upstreamZone).toHaveLength(DEFAULT_UPSTREAM_ZONE.length);
    expect(merged.cluster.upstreamZone.filter((r) => r.name === 'example.com')).toEqual([
      {
        name: 'example.com',
        type: 'AAAA',
        data: '2606:2800:21f:cb07:6820:80da:af6b:8b2c',
        ttl: 300,
      },
      { name: 'example.com', type: 'A', data: '192.0.2.1' },
    ]);
  });

  it('records dual-stack requests as unsupported, with warnings', () => {
    const set = readYaml(
      cluster('  ipFamilies: [IPv4, IPv6]\n  podCIDRs: [10.244.0.0/16, "fd00:10:244::/56"]\n'),
    );
    expect(set.issues.map((i) => [i.severity, formatIssue(i)])).toEqual([
      [
        'warning',
        'doc 1 Cluster delta: spec.ipFamilies: dual-stack is not simulated: the cluster is single-stack IPv4',
      ],
      [
        'warning',
        'doc 1 Cluster delta: spec.podCIDRs[1]: IPv6 range "fd00:10:244::/56" ignored: the cluster is single-stack IPv4',
      ],
    ]);
    expect(set.cluster.unsupported).toEqual([
      'dual-stack (spec.ipFamilies)',
      'IPv6 podCIDR fd00:10:244::/56',
    ]);
  });

  it.each([
    [
      'overlapping service and pod CIDRs',
      '  podCIDR: 10.0.0.0/8\n  serviceCIDR: 10.96.0.0/12\n',
      'doc 1 Cluster delta: spec.serviceCIDR: Invalid value: "10.96.0.0/12": overlaps the pod CIDR 10.0.0.0/8',
    ],
    [
      'a node inside the pod CIDR',
      '  nodes: [{name: a, ip: 10.244.3.1}]\n',
      'doc 1 Cluster delta: spec.nodes[0].ip: Invalid value: "10.244.3.1": inside the pod CIDR 10.244.0.0/16',
    ],
    [
      'duplicate node names',
      '  nodes: [{name: a, ip: 172.18.0.2}, {name: a, ip: 172.18.0.3}]\n',
      'doc 1 Cluster delta: spec.nodes[1].name: Duplicate value: "a"',
    ],
    [
      'duplicate node IPs',
      '  nodes: [{name: a, ip: 172.18.0.2}, {name: b, ip: 172.18.0.2}]\n',
      'doc 1 Cluster delta: spec.nodes[1].ip: Duplicate value: "172.18.0.2"',
    ],
    [
      'no nodes',
      '  nodes: []\n',
      'doc 1 Cluster delta: spec.nodes: Required value: at least one node',
    ],
    [
      'a bad role',
      '  nodes: [{name: a, ip: 172.18.0.2, role: master}]\n',
      'doc 1 Cluster delta: spec.nodes[0].role: Unsupported value: "master": supported values: "control-plane", "worker"',
    ],
    [
      'a bad pod CIDR',
      '  podCIDR: 10.244.0.0\n',
      'doc 1 Cluster delta: spec.podCIDR: Invalid value: "10.244.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ],
    [
      'an unknown CNI',
      '  cni: weave\n',
      'doc 1 Cluster delta: spec.cni.plugin: Unsupported value: "weave": supported values: "kindnet", "flannel", "calico", "cilium"',
    ],
    [
      'a mode the plugin lacks',
      '  cni: {plugin: flannel, mode: bgp}\n',
      'doc 1 Cluster delta: spec.cni.mode: Unsupported value: "bgp": supported values: "vxlan"',
    ],
    [
      'an unknown kube-proxy mode',
      '  kubeProxy: userspace\n',
      'doc 1 Cluster delta: spec.kubeProxy.mode: Unsupported value: "userspace": supported values: "iptables", "ipvs", "nftables"',
    ],
    [
      'a reversed node port range',
      '  nodePortRange: "32767-30000"\n',
      'doc 1 Cluster delta: spec.nodePortRange: Invalid value: "32767-30000": must be "FROM-TO" or {from, to} with 1 <= from <= to <= 65535',
    ],
    [
      'a mask wider than the pod CIDR',
      '  nodeCIDRMaskSize: 8\n',
      'doc 1 Cluster delta: spec.nodeCIDRMaskSize: Invalid value: 8: must be between the pod CIDR prefix (/16) and 30',
    ],
  ])('refuses %s', (_name, spec, expected) => {
    const yaml = cluster(spec);
    expect(issuesOf(yaml)).toContain(expected);
    expect(readYaml(yaml).issues.find((i) => formatIssue(i) === expected)?.severity).toBe('error');
  });

  it('refuses a second Cluster document', () => {
    expect(issuesOf(`${cluster('  seed: a\n')}---\n${cluster('  seed: b\n')}`)).toEqual([
      'doc 2 Cluster delta: only one Cluster document is allowed',
    ]);
  });

  it('accepts a Cluster without metadata and names it after the default', () => {
    const set = readYaml('apiVersion: netplay.dev/v1alpha1\nkind: Cluster\nspec: {seed: x}\n');
    expect(set.issues).toEqual([]);
    expect(set.cluster.name).toBe('kind');
    expect(set.cluster.seed).toBe('x');
  });
});
