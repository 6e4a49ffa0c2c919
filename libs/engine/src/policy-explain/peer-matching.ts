/**
 * Which pods and namespaces a NetworkPolicy peer covers, and whether one rule admits a given pod
 * and port: what the lint needs to tell a selector that matches nothing from one that works. The
 * matching itself is the evaluator's (policy/network-policy-rules.ts), so explanations and
 * verdicts cannot disagree.
 */
import type { ClusterState } from '../model/cluster-state';
import type { LabelSelector, Namespace, Pod, Protocol } from '../model/resources';
import { matchNetworkPolicyRule, peerMatches } from '../policy/network-policy-rules';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyRule } from '../policy/policy-model';
import { namespaceLabels } from '../policy/policy-peer';
import { selectorMatches } from '../util/labels';

export { portMatches } from '../policy/network-policy-rules';

export function namespacesMatching(state: ClusterState, selector: LabelSelector): Namespace[] {
  return [...state.namespaces.values()].filter((ns) =>
    selectorMatches(selector, namespaceLabels(state, ns.name)),
  );
}

/** Pods a peer covers; hostNetwork pods are the node's traffic and never match (network-policies.md). */
export function podsMatchingPeer(
  state: ClusterState,
  peer: NetworkPolicyPeer,
  policyNamespace: string,
): Pod[] {
  return [...state.pods.values()].filter(
    (pod) =>
      !pod.hostNetwork &&
      peerMatches(state, policyNamespace, peer, { kind: 'pod', pod, ip: pod.ip }),
  );
}

/** Whether one rule admits traffic to/from `peerPod` on `protocol`/`portNumber` (the destination pod's port). */
export function ruleAdmits(
  state: ClusterState,
  policy: NetworkPolicy,
  rule: NetworkPolicyRule,
  peerPod: Pod,
  dstPod: Pod | null,
  protocol: Protocol,
  portNumber: number,
): boolean {
  return matchNetworkPolicyRule(
    state,
    policy,
    rule,
    { kind: 'pod', pod: peerPod, ip: peerPod.ip },
    dstPod,
    protocol,
    portNumber,
  ).matches;
}
