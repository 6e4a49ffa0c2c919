import { loadCluster } from '../cluster/load-cluster';
import { formatIssue } from '../model/issues';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { readPolicies } from './read-policies';

function errors(yaml: string): string[] {
  const result = loadCluster([{ name: 'policy.yaml', content: yaml }]);
  return result.issues.filter((i) => i.severity === 'error').map(formatIssue);
}

const np = (spec: string): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: p, namespace: default }
spec:
${spec}`;

const anp = (
  spec: string,
  kind = 'AdminNetworkPolicy',
  name = 'a',
): string => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: ${kind}
metadata: { name: ${name} }
spec:
${spec}`;

describe('policy validation reports what the API server would refuse, and no cluster is built', () => {
  it.each([
    [
      'ipBlock together with a selector',
      np(
        '  podSelector: {}\n  ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8 }, podSelector: {} }] }]',
      ),
      'policy.yaml doc 1 NetworkPolicy default/p: spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer',
    ],
    [
      'an empty peer',
      np('  podSelector: {}\n  egress: [{ to: [{}] }]'),
      'policy.yaml doc 1 NetworkPolicy default/p: spec.egress[0].to[0]: Required value: must specify a peer',
    ],
    [
      'except outside cidr',
      np(
        '  podSelector: {}\n  ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/16, except: [10.1.0.0/24] } }] }]',
      ),
      'policy.yaml doc 1 NetworkPolicy default/p: spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`',
    ],
    [
      'except equal to cidr',
      np(
        '  podSelector: {}\n  ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/16, except: [10.0.0.0/16] } }] }]',
      ),
      'policy.yaml doc 1 NetworkPolicy default/p: spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.0.0.0/16": must be a strict subset of `cidr`',
    ],
    [
      'an IPv4 except inside an IPv6 cidr',
      np(
        '  podSelector: {}\n  egress: [{ to: [{ ipBlock: { cidr: "::/0", except: [10.0.0.0/8] } }] }]',
      ),
      'policy.yaml doc 1 NetworkPolicy default/p: spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
    ],
    [
      'an IPv6 except outside its cidr',
      np(
        '  podSelector: {}\n  egress: [{ to: [{ ipBlock: { cidr: "2001:db8::/32", except: ["2001:db9::/48"] } }] }]',
      ),
      'policy.yaml doc 1 NetworkPolicy default/p: spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "2001:db9::/48": must be a strict subset of `cidr`',
    ],
    [
      'an invalid cidr',
      np('  podSelector: {}\n  ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.300/16 } }] }]'),
      'policy.yaml doc 1 NetworkPolicy default/p: spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.300/16": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ],
    [
      'endPort below port',
      np('  podSelector: {}\n  ingress: [{ ports: [{ port: 90, endPort: 80 }] }]'),
      'policy.yaml doc 1 NetworkPolicy default/p: spec.ingress[0].ports[0].endPort: Invalid value: 90: must be greater than or equal to `port`',
    ],
    [
      'endPort with a named port',
      np('  podSelector: {}\n  ingress: [{ ports: [{ port: http, endPort: 80 }] }]'),
      'policy.yaml doc 1 NetworkPolicy default/p: spec.ingress[0].ports[0].endPort: Invalid value: 80: may not be specified when `port` is non-numeric',
    ],
    [
      'endPort without port',
      np('  podSelector: {}\n  ingress: [{ ports: [{ endPort: 80 }] }]'),
      'policy.yaml doc 1 NetworkPolicy default/p: spec.ingress[0].ports[0].endPort: Invalid value: 80: may not be specified when `port` is not specified',
    ],
    [
      'an unknown protocol',
      np('  podSelector: {}\n  ingress: [{ ports: [{ port: 80, protocol: ICMP }] }]'),
      'policy.yaml doc 1 NetworkPolicy default/p: spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
    ],
    [
      'a port out of range',
      np('  podSelector: {}\n  ingress: [{ ports: [{ port: 70000 }] }]'),
      'policy.yaml doc 1 NetworkPolicy default/p: spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ],
    [
      'an unknown policy type',
      np('  podSelector: {}\n  policyTypes: [Ingress, Outgress]'),
      'policy.yaml doc 1 NetworkPolicy default/p: spec.policyTypes[1]: Unsupported value: "Outgress": supported values: "Ingress", "Egress"',
    ],
    [
      'a selector without values',
      np('  podSelector: { matchExpressions: [{ key: app, operator: In }] }'),
      "policy.yaml doc 1 NetworkPolicy default/p: spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ],
    [
      'an ANP priority above 1000',
      anp('  priority: 1001\n  subject: { namespaces: {} }'),
      'policy.yaml doc 1 AdminNetworkPolicy a: spec.priority: Invalid value: 1001: must be between 0 and 1000, inclusive',
    ],
    [
      'a BANP not named default',
      anp('  subject: { namespaces: {} }', 'BaselineAdminNetworkPolicy', 'base'),
      'policy.yaml doc 1 BaselineAdminNetworkPolicy base: metadata.name: Invalid value: "base": Only one baseline admin network policy with metadata.name="default" can be created in the cluster',
    ],
    [
      'a BANP Pass action',
      anp(
        '  subject: { namespaces: {} }\n  ingress: [{ action: Pass, from: [{ namespaces: {} }] }]',
        'BaselineAdminNetworkPolicy',
        'default',
      ),
      'policy.yaml doc 1 BaselineAdminNetworkPolicy default: spec.ingress[0].action: Unsupported value: "Pass": supported values: "Allow", "Deny"',
    ],
    [
      'an ANP without subject',
      anp('  priority: 1'),
      'policy.yaml doc 1 AdminNetworkPolicy a: spec.subject: Required value',
    ],
    [
      'a networks peer in an ingress rule',
      anp(
        '  priority: 1\n  subject: { namespaces: {} }\n  ingress: [{ action: Deny, from: [{ networks: [10.0.0.0/8] }] }]',
      ),
      'policy.yaml doc 1 AdminNetworkPolicy a: spec.ingress[0].from[0].networks: Forbidden: networks peers are only allowed in egress rules',
    ],
  ])('%s', (_name, yaml, message) => {
    const result = loadCluster([{ name: 'policy.yaml', content: yaml }]);
    expect(result.state).toBeNull();
    expect(errors(yaml)).toContain(message);
  });

  it('accepts valid policies of every family', () => {
    const cnp = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: c }
spec:
  tier: Baseline
  priority: 3
  subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: web } } } }
  egress: [{ action: Accept, to: [{ networks: [0.0.0.0/0] }], protocols: [{ udp: { destinationPort: { range: { start: 53, end: 54 } } } }] }]`;
    const state = clusterFromYaml(
      np('  podSelector: {}\n  ingress: [{ ports: [{ port: 80, endPort: 90 }] }]'),
      anp('  priority: 0\n  subject: { namespaces: {} }'),
      cnp,
    );
    const set = readPolicies(state);
    expect(set.issues).toEqual([]);
    expect(set.clusterPolicies.map((p) => [p.name, p.tier, p.priority])).toEqual([
      ['a', 'Admin', 0],
      ['c', 'Baseline', 3],
    ]);
    expect(set.clusterPolicies[1].egress[0]).toEqual({
      action: 'Allow',
      peers: [{ kind: 'networks', cidrs: ['0.0.0.0/0'] }],
      ports: [{ kind: 'range', protocol: 'UDP', start: 53, end: 54 }],
    });
  });

  it.each([
    ['no policyTypes and no egress section', '  podSelector: {}', ['Ingress']],
    [
      'no policyTypes and an egress rule',
      '  podSelector: {}\n  egress: [{}]',
      ['Ingress', 'Egress'],
    ],
    [
      'no policyTypes and an empty egress list (the defaulting tests len(egress) != 0)',
      '  podSelector: {}\n  egress: []',
      ['Ingress'],
    ],
    ['explicit Egress only', '  podSelector: {}\n  policyTypes: [Egress]', ['Egress']],
  ])('policyTypes defaulting: %s', (_name, spec, types) => {
    expect(readPolicies(clusterFromYaml(np(spec))).networkPolicies[0].policyTypes).toEqual(types);
  });

  it('accepts IPv6 blocks of either API, with a warning that they match no address here', () => {
    const result = loadCluster([
      {
        name: 'policy.yaml',
        content: `${np(
          '  podSelector: {}\n  egress: [{ to: [{ ipBlock: { cidr: "::/0", except: ["fd00::/8"] } }, { ipBlock: { cidr: 0.0.0.0/0 } }] }]',
        )}\n---\n${anp(
          '  priority: 1\n  subject: { namespaces: {} }\n  egress: [{ action: Deny, to: [{ networks: [0.0.0.0/0, "::/0"] }] }]',
        )}`,
      },
    ]);
    expect(result.state).not.toBeNull();
    expect(result.issues.map(formatIssue)).toEqual([
      'policy.yaml doc 1 NetworkPolicy default/p: spec.egress[0].to[0].ipBlock.cidr: IPv6 block "::/0" accepted: the simulated cluster is single-stack IPv4, so it matches no address here (IPv6 traffic is not simulated)',
      'policy.yaml doc 2 AdminNetworkPolicy a: spec.egress[0].to[0].networks[1]: IPv6 block "::/0" accepted: the simulated cluster is single-stack IPv4, so it matches no address here (IPv6 traffic is not simulated)',
    ]);
  });
});
