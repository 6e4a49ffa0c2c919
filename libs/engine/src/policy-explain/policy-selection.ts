/**
 * Which pods a policy applies to. hostNetwork pods are left out: most plugins ignore them when
 * matching selectors, their traffic is treated as the node's (kubernetes.io network-policies
 * "NetworkPolicy and hostNetwork pods"; network-policy-api: host-networked pods are not subjects).
 */
import type { ClusterState } from '../model/cluster-state';
import type { Pod } from '../model/resources';
import type { ClusterPolicy, NetworkPolicy } from '../policy/policy-model';
import { namespaceLabels } from '../policy/policy-peer';
import { selectorMatches } from '../util/labels';

export function networkPolicySelects(policy: NetworkPolicy, pod: Pod): boolean {
  return (
    !pod.hostNetwork &&
    pod.namespace === policy.namespace &&
    selectorMatches(policy.podSelector, pod.labels)
  );
}

export function clusterPolicySelects(
  state: ClusterState,
  policy: ClusterPolicy,
  pod: Pod,
): boolean {
  if (pod.hostNetwork) return false;
  const subject = policy.subject;
  if (!selectorMatches(subject.namespaceSelector, namespaceLabels(state, pod.namespace)))
    return false;
  return subject.kind === 'namespaces' || selectorMatches(subject.podSelector, pod.labels);
}

/** Admin tier by priority (lower first), then Baseline: the order in which they are evaluated. */
export function clusterPoliciesInOrder(policies: ClusterPolicy[]): ClusterPolicy[] {
  const rank = (p: ClusterPolicy) => (p.tier === 'Admin' ? 0 : 1);
  return [...policies].sort(
    (a, b) => rank(a) - rank(b) || a.priority - b.priority || a.name.localeCompare(b.name),
  );
}
