import { loadCluster } from '../cluster/load-cluster';
import { formatIssue } from '../model/issues';

function pool(...addresses: string[]): string {
  return `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: { name: lan, namespace: metallb-system }
spec:
  addresses: [${addresses.map((a) => JSON.stringify(a)).join(', ')}]`;
}

function load(yaml: string) {
  const result = loadCluster([{ name: 'pool.yaml', content: yaml }]);
  return {
    loaded: !!result.state,
    issues: result.issues.map((i) => `${i.severity}: ${formatIssue(i)}`),
  };
}

describe('MetalLB pools as its webhook validates them (config.go ParseCIDR)', () => {
  it.each([
    [
      'a prefix longer than /32',
      '172.18.255.0/33',
      'error: pool.yaml doc 1 IPAddressPool metallb-system/lan: spec.addresses[0]: Invalid value: invalid CIDR "172.18.255.0/33" in pool "lan": invalid CIDR "172.18.255.0/33" (MetalLB\'s webhook refuses the pool)',
    ],
    [
      'a reversed range',
      '172.18.255.250-172.18.255.200',
      'error: pool.yaml doc 1 IPAddressPool metallb-system/lan: spec.addresses[0]: Invalid value: invalid CIDR "172.18.255.250-172.18.255.200" in pool "lan": invalid IP range "172.18.255.250-172.18.255.200": start IP "172.18.255.250" is after the end IP "172.18.255.200" (MetalLB\'s webhook refuses the pool)',
    ],
    [
      'a range whose ends are of two families',
      '172.18.255.200-fc00::1',
      'error: pool.yaml doc 1 IPAddressPool metallb-system/lan: spec.addresses[0]: Invalid value: invalid CIDR "172.18.255.200-fc00::1" in pool "lan": invalid IP range "172.18.255.200-fc00::1": start and end are of different families (MetalLB\'s webhook refuses the pool)',
    ],
    [
      'a range end that is no address',
      '172.18.255.200-172.18.255.300',
      'error: pool.yaml doc 1 IPAddressPool metallb-system/lan: spec.addresses[0]: Invalid value: invalid CIDR "172.18.255.200-172.18.255.300" in pool "lan": invalid IP range "172.18.255.200-172.18.255.300": invalid end IP "172.18.255.300" (MetalLB\'s webhook refuses the pool)',
    ],
  ])('%s is an error and the cluster is not built', (_case, address, message) => {
    const { loaded, issues } = load(pool(address));
    expect(loaded).toBe(false);
    expect(issues).toEqual([message]);
  });

  it('an IPv6 range is kept, reported, and never assigned', () => {
    const { loaded, issues } = load(
      pool('fc00:f853:ccd:e799::/124', '172.18.255.200-172.18.255.210'),
    );
    expect(loaded).toBe(true);
    expect(issues).toEqual([
      'warning: pool.yaml doc 1 IPAddressPool metallb-system/lan: spec.addresses[0]: IPv6 range "fc00:f853:ccd:e799::/124" kept but never assigned: the simulated cluster is single-stack IPv4, so its Services ask for IPv4 addresses only',
    ]);
  });

  it('a pool without addresses is refused', () => {
    const { loaded, issues } = load(pool());
    expect(loaded).toBe(false);
    expect(issues[0]).toMatch(/spec\.addresses: Required value: pool has no prefixes defined/);
  });

  it('single addresses, CIDRs and ranges with spaces around the dash are valid', () => {
    const { loaded, issues } = load(
      pool('172.18.255.7/32', '172.18.254.0/24', '172.18.253.1 - 172.18.253.9'),
    );
    expect({ loaded, issues }).toEqual({ loaded: true, issues: [] });
  });
});
