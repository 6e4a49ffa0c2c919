import type { ClusterState } from '../model/cluster-state';
import type { Protocol } from '../model/resources';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { clusterDoc } from '../testing/seed-fixtures';
import { evaluateConnection } from './evaluate-connection';
import type { PolicyPeerRef } from './policy-model';

function pod(state: ClusterState, ref: string): PolicyPeerRef {
  const found = state.pods.get(ref);
  if (!found) throw new Error(`no pod ${ref}`);
  return { kind: 'pod', pod: found };
}

function allowed(
  state: ClusterState,
  from: string,
  to: string,
  protocol: Protocol,
  port: number,
): boolean {
  const src: PolicyPeerRef = from.includes('/') ? pod(state, from) : { kind: 'external', ip: from };
  const dst: PolicyPeerRef = to.includes('/') ? pod(state, to) : { kind: 'external', ip: to };
  return evaluateConnection(state, { src, dst, protocol, port }).allowed;
}

function podYaml(namespace: string, name: string, extra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${namespace}, labels: { app: ${name} } }
spec:
  ${extra}containers: [{ name: c, image: nginx, ports: [{ name: http, containerPort: 8080 }] }]`;
}

function namespaces(...names: string[]): string {
  return names
    .map((n) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${n} }`)
    .join('\n---\n');
}

// np-guard/netpol-analyzer tests/anp_test_3_pass_traffic and its expected connlist output.
const ANP_TEST_3 = [
  namespaces('foo-ns-1', 'foo-ns-2', 'bar-ns'),
  podYaml('foo-ns-1', 'foo'),
  podYaml('foo-ns-2', 'foo'),
  podYaml('bar-ns', 'bar'),
  `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: pass-example }
spec:
  priority: 20
  subject: { namespaces: {} }
  egress:
  - name: allow-to-bar-except-8080-and-9090
    action: Allow
    to: [{ namespaces: { matchLabels: { kubernetes.io/metadata.name: bar-ns } } }]
    ports:
    - portRange: { protocol: TCP, start: 1, end: 8079 }
    - portRange: { protocol: TCP, start: 8081, end: 9089 }
    - portRange: { protocol: TCP, start: 9091, end: 65535 }
  - name: pass-8080-to-bar
    action: Pass
    to: [{ namespaces: { matchLabels: { kubernetes.io/metadata.name: bar-ns } } }]
    ports: [{ portNumber: { protocol: TCP, port: 8080 } }]`,
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: egress-9090-to-bar, namespace: foo-ns-1 }
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: bar-ns } } }]
    ports: [{ protocol: TCP, port: 9090 }]`,
];

describe('admin policy tiers: np-guard anp_test_3_pass_traffic', () => {
  const state = clusterFromYaml(...ANP_TEST_3);
  it.each([
    ['foo-ns-1/foo', 'bar-ns/bar', 'TCP', 80, true],
    ['foo-ns-1/foo', 'bar-ns/bar', 'TCP', 8079, true],
    ['foo-ns-1/foo', 'bar-ns/bar', 'TCP', 8080, false],
    ['foo-ns-1/foo', 'bar-ns/bar', 'TCP', 9090, true],
    ['foo-ns-1/foo', 'bar-ns/bar', 'TCP', 65535, true],
    ['foo-ns-1/foo', 'bar-ns/bar', 'UDP', 53, false],
    ['foo-ns-1/foo', '8.8.8.8', 'TCP', 443, false],
    ['foo-ns-2/foo', 'bar-ns/bar', 'TCP', 8080, true],
    ['foo-ns-2/foo', 'bar-ns/bar', 'UDP', 53, true],
  ] as const)('%s → %s %s/%d allowed: %s', (from, to, protocol, port, expected) => {
    expect(allowed(state, from, to, protocol, port)).toBe(expected);
  });

  it('names the Pass rule and the NetworkPolicy that dropped 8080 in the tier chain', () => {
    const decision = evaluateConnection(state, {
      src: pod(state, 'foo-ns-1/foo'),
      dst: pod(state, 'bar-ns/bar'),
      protocol: 'TCP',
      port: 8080,
    });
    expect(decision.egress.tierChain).toBe(
      '[Admin] Pass (pass-example) → [NetworkPolicy] Dropped (foo-ns-1/egress-9090-to-bar)',
    );
    expect(decision.egress.decidedBy).toEqual({
      tier: 'NetworkPolicy',
      policy: 'foo-ns-1/egress-9090-to-bar',
      action: 'Isolated',
    });
    expect(decision.egress.mismatches).toEqual([
      {
        policy: 'pass-example',
        ruleIndex: 0,
        reason: 'port',
        detail: '8080/TCP is not among ports 1-8079/TCP, 8081-9089/TCP, 9091-65535/TCP',
      },
      {
        policy: 'foo-ns-1/egress-9090-to-bar',
        ruleIndex: 0,
        reason: 'port',
        detail: '8080/TCP is not among ports 9090/TCP',
      },
    ]);
  });

  it('names the deciding admin rule when it allows', () => {
    const decision = evaluateConnection(state, {
      src: pod(state, 'foo-ns-2/foo'),
      dst: pod(state, 'bar-ns/bar'),
      protocol: 'TCP',
      port: 80,
    });
    expect(decision.egress.decidedBy).toEqual({
      tier: 'Admin',
      policy: 'pass-example',
      ruleIndex: 0,
      ruleName: 'allow-to-bar-except-8080-and-9090',
      action: 'Allow',
    });
  });
});

const TWO_NAMESPACES = [
  namespaces('app', 'other'),
  podYaml('app', 'web'),
  podYaml('other', 'client'),
];
const anp = (
  name: string,
  priority: number,
  action: string,
  namespace = 'other',
  ports = '',
): string => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: ${name} }
spec:
  priority: ${priority}
  subject: { namespaces: { matchLabels: { kubernetes.io/metadata.name: app } } }
  ingress:
  - action: ${action}
    from: [{ namespaces: { matchLabels: { kubernetes.io/metadata.name: ${namespace} } } }]
${ports}`;
const DENY_ALL_INGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-all, namespace: app }
spec: { podSelector: {}, policyTypes: [Ingress] }`;
const ALLOW_ALL_INGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-all, namespace: app }
spec: { podSelector: {}, ingress: [{}] }`;
const banp = (action: string): string => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: { name: default }
spec:
  subject: { namespaces: {} }
  ingress: [{ action: ${action}, from: [{ namespaces: {} }] }]`;
const cnp = (
  tier: string,
  priority: number,
  action: string,
): string => `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: cnp-${tier.toLowerCase()}-${action.toLowerCase()} }
spec:
  tier: ${tier}
  priority: ${priority}
  subject: { namespaces: {} }
  ingress:
  - action: ${action}
    from: [{ namespaces: { matchLabels: { kubernetes.io/metadata.name: other } } }]
    protocols: [{ tcp: { destinationPort: { number: 8080 } } }]`;

describe('tier precedence: Admin → NetworkPolicy → Baseline → default allow', () => {
  it.each([
    [
      'an ANP Allow beats a NetworkPolicy deny',
      [anp('allow', 10, 'Allow'), DENY_ALL_INGRESS],
      true,
      'Admin',
    ],
    [
      'an ANP Deny beats a NetworkPolicy allow',
      [anp('deny', 10, 'Deny'), ALLOW_ALL_INGRESS],
      false,
      'Admin',
    ],
    [
      'the lower priority value wins between ANPs',
      [anp('allow', 20, 'Allow'), anp('deny', 10, 'Deny')],
      false,
      'Admin',
    ],
    [
      'an ANP rule for another namespace does not match',
      [anp('deny', 10, 'Deny', 'app')],
      true,
      'Default',
    ],
    [
      'Pass skips to NetworkPolicy, which allows',
      [anp('pass', 10, 'Pass'), anp('deny', 20, 'Deny'), ALLOW_ALL_INGRESS],
      true,
      'NetworkPolicy',
    ],
    [
      'Pass with no selecting NetworkPolicy falls to the baseline',
      [anp('pass', 10, 'Pass'), banp('Deny')],
      false,
      'Baseline',
    ],
    [
      'a NetworkPolicy that selects the pod decides before the baseline',
      [ALLOW_ALL_INGRESS, banp('Deny')],
      true,
      'NetworkPolicy',
    ],
    ['the baseline decides for pods no NetworkPolicy selects', [banp('Deny')], false, 'Baseline'],
    [
      'a baseline Allow does not lift a NetworkPolicy isolation',
      [DENY_ALL_INGRESS, banp('Allow')],
      false,
      'NetworkPolicy',
    ],
    [
      'ClusterNetworkPolicy Admin tier Accept is an Allow',
      [cnp('Admin', 5, 'Accept'), DENY_ALL_INGRESS],
      true,
      'Admin',
    ],
    [
      'ClusterNetworkPolicy Baseline tier Deny acts as a baseline',
      [cnp('Baseline', 5, 'Deny')],
      false,
      'Baseline',
    ],
  ])('%s', (_name, policies, expected, tier) => {
    const state = clusterFromYaml(...TWO_NAMESPACES, ...policies);
    const decision = evaluateConnection(state, {
      src: pod(state, 'other/client'),
      dst: pod(state, 'app/web'),
      protocol: 'TCP',
      port: 8080,
    });
    expect([decision.allowed, decision.ingress.decidedBy.tier]).toEqual([expected, tier]);
  });

  it('rules of one ANP are evaluated in order: the first match wins', () => {
    const policy = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: ordered }
spec:
  priority: 1
  subject: { namespaces: {} }
  ingress:
  - { name: deny-8080, action: Deny, from: [{ namespaces: {} }], ports: [{ portNumber: { protocol: TCP, port: 8080 } }] }
  - { name: allow-all, action: Allow, from: [{ namespaces: {} }] }`;
    const state = clusterFromYaml(...TWO_NAMESPACES, policy);
    const decision = evaluateConnection(state, {
      src: pod(state, 'other/client'),
      dst: pod(state, 'app/web'),
      protocol: 'TCP',
      port: 8080,
    });
    expect(decision.ingress.decidedBy).toEqual({
      tier: 'Admin',
      policy: 'ordered',
      ruleIndex: 0,
      ruleName: 'deny-8080',
      action: 'Deny',
    });
    expect(allowed(state, 'other/client', 'app/web', 'TCP', 80)).toBe(true);
  });

  it('a named port in an ANP resolves on the destination pod', () => {
    const state = clusterFromYaml(
      ...TWO_NAMESPACES,
      anp('deny-http', 10, 'Deny', 'other', '    ports: [{ namedPort: http }]'),
    );
    expect(allowed(state, 'other/client', 'app/web', 'TCP', 8080)).toBe(false);
    expect(allowed(state, 'other/client', 'app/web', 'TCP', 9090)).toBe(true);
  });

  it('same-priority ANPs are evaluated in name order and the ambiguity is noted', () => {
    const state = clusterFromYaml(
      ...TWO_NAMESPACES,
      anp('b-deny', 10, 'Deny'),
      anp('a-allow', 10, 'Allow'),
    );
    const decision = evaluateConnection(state, {
      src: pod(state, 'other/client'),
      dst: pod(state, 'app/web'),
      protocol: 'TCP',
      port: 8080,
    });
    expect(decision.ingress.decidedBy.policy).toBe('a-allow');
    expect(decision.ingress.notes.join(' ')).toContain('a-allow shares priority 10 with b-deny');
  });
});

describe('what the CNI enforces', () => {
  it('flannel ignores NetworkPolicy and says what an enforcing CNI would do', () => {
    const state = clusterFromYaml(clusterDoc('flannel'), ...TWO_NAMESPACES, DENY_ALL_INGRESS);
    const decision = evaluateConnection(state, {
      src: pod(state, 'other/client'),
      dst: pod(state, 'app/web'),
      protocol: 'TCP',
      port: 8080,
    });
    expect([decision.allowed, decision.ingress.enforced]).toEqual([true, false]);
    expect(decision.ingress.explanation).toBe(
      'flannel does not enforce NetworkPolicy: this packet would be dropped by app/deny-all under an enforcing CNI',
    );
  });

  it('cilium enforces NetworkPolicy but ignores AdminNetworkPolicy', () => {
    const state = clusterFromYaml(
      clusterDoc('cilium'),
      ...TWO_NAMESPACES,
      anp('allow', 10, 'Allow'),
      DENY_ALL_INGRESS,
    );
    const decision = evaluateConnection(state, {
      src: pod(state, 'other/client'),
      dst: pod(state, 'app/web'),
      protocol: 'TCP',
      port: 8080,
    });
    expect([decision.allowed, decision.ingress.enforced, decision.ingress.decidedBy.tier]).toEqual([
      false,
      false,
      'NetworkPolicy',
    ]);
    expect(decision.ingress.explanation).toContain(
      'cilium does not enforce AdminNetworkPolicy/BaselineAdminNetworkPolicy: this packet would be allowed by allow',
    );
  });

  it.each(['kindnet', 'calico'])('%s enforces both', (cni) => {
    const state = clusterFromYaml(clusterDoc(cni), ...TWO_NAMESPACES, anp('deny', 10, 'Deny'));
    expect(allowed(state, 'other/client', 'app/web', 'TCP', 8080)).toBe(false);
  });
});

describe('ends that are not ordinary pods', () => {
  const pinned = [
    namespaces('app'),
    podYaml('app', 'web', 'nodeName: worker\n  '),
    podYaml('app', 'agent', 'nodeName: worker\n  hostNetwork: true\n  '),
    DENY_ALL_INGRESS,
  ];
  it("traffic from the pod's own node is always allowed, from another node it is not", () => {
    const state = clusterFromYaml(...pinned);
    const own = state.nodes.get('worker');
    const other = state.nodes.get('worker2');
    if (!own || !other) throw new Error('nodes missing');
    const web = pod(state, 'app/web');
    expect(
      evaluateConnection(state, {
        src: { kind: 'node', node: own },
        dst: web,
        protocol: 'TCP',
        port: 8080,
      }).allowed,
    ).toBe(true);
    expect(
      evaluateConnection(state, {
        src: { kind: 'node', node: other },
        dst: web,
        protocol: 'TCP',
        port: 8080,
      }).allowed,
    ).toBe(false);
    expect(
      evaluateConnection(state, {
        src: { kind: 'external', ip: other.ip },
        dst: web,
        protocol: 'TCP',
        port: 8080,
      }).allowed,
    ).toBe(false);
  });

  it("a hostNetwork pod is its node: never a policy subject, allowed to its node's pods", () => {
    const state = clusterFromYaml(...pinned);
    const decision = evaluateConnection(state, {
      src: pod(state, 'app/agent'),
      dst: pod(state, 'app/web'),
      protocol: 'TCP',
      port: 8080,
    });
    expect([decision.allowed, decision.egress.subject]).toEqual([true, null]);
  });

  it('a pod cannot block access to itself', () => {
    const state = clusterFromYaml(...pinned);
    expect(allowed(state, 'app/web', 'app/web', 'TCP', 8080)).toBe(true);
  });

  it('ipBlock matches a node address; selector peers never do', () => {
    const ipBlock = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: from-nodes, namespace: app }
spec:
  podSelector: {}
  ingress: [{ from: [{ ipBlock: { cidr: 172.18.0.4/32 } }] }]`;
    const state = clusterFromYaml(...pinned, ipBlock);
    expect(allowed(state, '172.18.0.4', 'app/web', 'TCP', 8080)).toBe(true);
    expect(allowed(state, '172.18.0.2', 'app/web', 'TCP', 8080)).toBe(false);
  });
});
