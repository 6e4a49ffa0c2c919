/**
 * One policy rule in one sentence. NetworkPolicy rules only ever allow (policies are an additive
 * union, kubernetes.io network-policies); cluster policy rules allow, deny or pass, and carry
 * their tier and priority because those decide which rule wins.
 */
import type {
  ClusterPolicy,
  ClusterPolicyRule,
  NetworkPolicyRule,
  PolicyDirection,
} from '../policy/policy-model';
import {
  clusterPolicyPortWords,
  describeClusterPolicyPeer,
  describeNetworkPolicyPeer,
  describePortList,
  joinWords,
  networkPolicyPortWords,
} from './describe-selector';

/** What a policy that lists a direction in policyTypes but has no rule for it does. */
export const ISOLATES_ONLY = 'allows nothing: the policy only isolates the pod';

/**
 * `allows TCP 80 from pods labelled role=frontend in namespace prod`. A rule without peers and
 * ports is the allow-all rule; without peers it also admits addresses outside the cluster
 * (types.go NetworkPolicyIngressRule.From: "If this field is empty … matches all sources").
 */
export function describeRule(
  rule: NetworkPolicyRule,
  direction: PolicyDirection,
  policyNamespace: string,
): string {
  const preposition = direction === 'Ingress' ? 'from' : 'to';
  if (rule.peers === null && rule.ports === null)
    return `allows all traffic ${preposition} everywhere (empty rule)`;
  const what =
    rule.ports === null ? 'all traffic' : describePortList(rule.ports.map(networkPolicyPortWords));
  const where =
    rule.peers === null
      ? 'everywhere'
      : joinWords(
          rule.peers.map((p) => describeNetworkPolicyPeer(p, policyNamespace)),
          'or',
        );
  return `allows ${what} ${preposition} ${where}`;
}

/** The rules of one direction of a NetworkPolicy, or [] when the policy does not isolate that direction. */
export function describeDirection(
  policy: {
    namespace: string;
    policyTypes: PolicyDirection[];
    ingress: NetworkPolicyRule[];
    egress: NetworkPolicyRule[];
  },
  direction: PolicyDirection,
): string[] {
  if (!policy.policyTypes.includes(direction)) return [];
  const rules = direction === 'Ingress' ? policy.ingress : policy.egress;
  if (rules.length === 0) return [ISOLATES_ONLY];
  return rules.map((rule) => describeRule(rule, direction, policy.namespace));
}

const ACTION_VERBS = { Allow: 'allows', Deny: 'denies', Pass: 'passes to NetworkPolicy' } as const;

/** `[Admin priority 10]`, or `[Baseline]` (BaselineAdminNetworkPolicy has no priority). */
export function tierLabel(policy: Pick<ClusterPolicy, 'tier' | 'priority' | 'kind'>): string {
  if (policy.tier === 'Baseline' && policy.kind === 'BaselineAdminNetworkPolicy')
    return '[Baseline]';
  return `[${policy.tier} priority ${policy.priority}]`;
}

/** `[Admin priority 10] denies ingress from namespaces labelled tenant=b` */
export function describeClusterRule(
  policy: Pick<ClusterPolicy, 'tier' | 'priority' | 'kind'>,
  rule: ClusterPolicyRule,
  direction: PolicyDirection,
): string {
  const verb = ACTION_VERBS[rule.action];
  const flow = direction === 'Ingress' ? 'ingress' : 'egress';
  const preposition = direction === 'Ingress' ? 'from' : 'to';
  const ports =
    rule.ports === null ? '' : ` on ${describePortList(rule.ports.map(clusterPolicyPortWords))}`;
  const peers = rule.peers.length
    ? joinWords(rule.peers.map(describeClusterPolicyPeer), 'or')
    : 'nothing';
  const invalid = rule.invalid
    ? ` (invalid: ${rule.invalid}; ${rule.action === 'Allow' ? 'matches nothing' : 'denies everything'})`
    : '';
  return `${tierLabel(policy)} ${verb} ${flow}${ports} ${preposition} ${peers}${invalid}`;
}
