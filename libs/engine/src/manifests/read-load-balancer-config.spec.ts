import { loadCluster } from '../cluster/load-cluster';
import { formatIssue } from '../model/issues';
import { clusterWith } from '../external/spec-fixtures';

function load(spec: string) {
  return loadCluster([{ name: 'cluster.yaml', content: clusterWith(spec) }]);
}

describe('Cluster doc: spec.loadBalancer and spec.externalDNS', () => {
  it.each([
    [
      '  loadBalancer: metallb',
      { provider: 'metallb', addresses: [], cloudTargets: 'instance', cloudHostnames: false },
    ],
    [
      '  loadBalancer: { provider: cloud, addresses: ["198.51.100.0/28"], targets: ip, hostnames: true }',
      {
        provider: 'cloud',
        addresses: ['198.51.100.0/28'],
        cloudTargets: 'ip',
        cloudHostnames: true,
      },
    ],
  ])('reads %s', (spec, expected) => {
    const result = load(spec);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.state?.config.loadBalancer).toEqual(expected);
  });

  it.each([
    ['  loadBalancer: f5', 'spec.loadBalancer'],
    [
      '  loadBalancer: { provider: kube-vip, addresses: ["not-a-range"] }',
      'spec.loadBalancer.addresses[0]',
    ],
    ['  externalDNS: [{ name: a.example.com, data: not-an-ip }]', 'spec.externalDNS[0].data'],
  ])('rejects %s', (spec, path) => {
    const result = load(spec);
    expect(result.state).toBeNull();
    expect(result.issues.map(formatIssue).join('\n')).toContain(path);
  });

  it('reads external DNS records, A by default', () => {
    const result = load(
      '  externalDNS: [{ name: Shop.Example.NET., data: 203.0.113.80 }, { name: www.example.net, type: CNAME, data: shop.example.net }]',
    );
    expect(result.state?.config.externalZone).toEqual([
      { name: 'shop.example.net', type: 'A', data: '203.0.113.80' },
      { name: 'www.example.net', type: 'CNAME', data: 'shop.example.net' },
    ]);
  });
});
