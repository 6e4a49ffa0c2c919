/**
 * Per pod: which policies select it, whether it is isolated for ingress and for egress, and every
 * rule that applies to it in plain words. Cluster policies are listed in evaluation order (Admin
 * by priority, then NetworkPolicies, then Baseline), so reading top to bottom follows the verdict.
 */
import type { ClusterState } from '../model/cluster-state';
import type { Labels, Pod } from '../model/resources';
import type { ClusterPolicy, NetworkPolicy, PolicyDirection } from '../policy/policy-model';
import { readPolicies } from '../policy/read-policies';
import { describeClusterRule, describeDirection } from './describe-rule';
import {
  clusterPoliciesInOrder,
  clusterPolicySelects,
  networkPolicySelects,
} from './policy-selection';

export interface PolicyExplanation {
  kind: string;
  name: string;
  /** Set for NetworkPolicies only; cluster policies are cluster-scoped. */
  namespace?: string;
  tier: 'Admin' | 'NetworkPolicy' | 'Baseline';
  /** Cluster policies only: lower value = evaluated first. */
  priority?: number;
  /** The directions this policy constrains (NetworkPolicy: policyTypes after defaulting). */
  policyTypes: PolicyDirection[];
  ingress: string[];
  egress: string[];
}

export interface PodPolicyExplanation {
  namespace: string;
  pod: string;
  labels: Labels;
  hostNetwork: boolean;
  /** NetworkPolicy isolation: a pod is isolated for a direction once any policy selecting it lists that direction. */
  isolated: { ingress: boolean; egress: boolean };
  /** One sentence per direction: what reaches the pod / what the pod may reach. */
  summary: { ingress: string; egress: string };
  policies: PolicyExplanation[];
}

export interface ExplainOptions {
  /** Only pods of this namespace; without it every pod, except kube-system pods no policy selects. */
  namespace?: string;
}

export function explainPolicies(
  state: ClusterState,
  options: ExplainOptions = {},
): PodPolicyExplanation[] {
  const set = readPolicies(state);
  const cluster = clusterPoliciesInOrder(set.clusterPolicies);
  const result: PodPolicyExplanation[] = [];
  for (const pod of state.pods.values()) {
    if (options.namespace !== undefined && pod.namespace !== options.namespace) continue;
    const networkPolicies = set.networkPolicies.filter((p) => networkPolicySelects(p, pod));
    const clusterPolicies = cluster.filter((p) => clusterPolicySelects(state, p, pod));
    const selected = networkPolicies.length + clusterPolicies.length > 0;
    if (options.namespace === undefined && pod.namespace === 'kube-system' && !selected) continue;
    result.push(explainPod(pod, networkPolicies, clusterPolicies));
  }
  // kubectl's order: by namespace, then name (the API server lists objects sorted by key).
  return result.sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.pod.localeCompare(b.pod),
  );
}

function explainPod(
  pod: Pod,
  networkPolicies: NetworkPolicy[],
  clusterPolicies: ClusterPolicy[],
): PodPolicyExplanation {
  const isolated = {
    ingress: networkPolicies.some((p) => p.policyTypes.includes('Ingress')),
    egress: networkPolicies.some((p) => p.policyTypes.includes('Egress')),
  };
  const admin = clusterPolicies.filter((p) => p.tier === 'Admin').map(explainClusterPolicy);
  const baseline = clusterPolicies.filter((p) => p.tier === 'Baseline').map(explainClusterPolicy);
  const policies = [...admin, ...networkPolicies.map(explainNetworkPolicy), ...baseline];
  return {
    namespace: pod.namespace,
    pod: pod.name,
    labels: pod.labels,
    hostNetwork: pod.hostNetwork,
    isolated,
    summary: {
      ingress: summarise(pod, 'Ingress', isolated.ingress, clusterPolicies),
      egress: summarise(pod, 'Egress', isolated.egress, clusterPolicies),
    },
    policies,
  };
}

function explainNetworkPolicy(policy: NetworkPolicy): PolicyExplanation {
  return {
    kind: 'NetworkPolicy',
    name: policy.name,
    namespace: policy.namespace,
    tier: 'NetworkPolicy',
    policyTypes: policy.policyTypes,
    ingress: describeDirection(policy, 'Ingress'),
    egress: describeDirection(policy, 'Egress'),
  };
}

function explainClusterPolicy(policy: ClusterPolicy): PolicyExplanation {
  const policyTypes: PolicyDirection[] = [];
  if (policy.ingress.length) policyTypes.push('Ingress');
  if (policy.egress.length) policyTypes.push('Egress');
  return {
    kind: policy.kind,
    name: policy.name,
    tier: policy.tier,
    ...(policy.kind === 'BaselineAdminNetworkPolicy' ? {} : { priority: policy.priority }),
    policyTypes,
    ingress: policy.ingress.map((rule) => describeClusterRule(policy, rule, 'Ingress')),
    egress: policy.egress.map((rule) => describeClusterRule(policy, rule, 'Egress')),
  };
}

function summarise(
  pod: Pod,
  direction: PolicyDirection,
  isolated: boolean,
  clusterPolicies: ClusterPolicy[],
): string {
  const traffic = direction === 'Ingress' ? 'incoming' : 'outgoing';
  if (pod.hostNetwork)
    return `not selectable: a hostNetwork pod's ${traffic} traffic is the node's, which policies do not isolate`;
  const clusterRules = clusterPolicies.some(
    (p) => (direction === 'Ingress' ? p.ingress : p.egress).length > 0,
  );
  const unless = clusterRules ? ', after the cluster policy rules above' : '';
  if (isolated) {
    // Ingress isolation never blocks the pod's own node (kubelet probes): network-policies.md.
    const nodeException = direction === 'Ingress' ? ' (and from its own node)' : '';
    return `isolated: only the ${traffic} traffic the rules below allow${nodeException}${unless}`;
  }
  return `not isolated: all ${traffic} traffic allowed${unless}`;
}
