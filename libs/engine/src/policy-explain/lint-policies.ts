/**
 * Policy traps a learner falls into, as warnings: selectors that match nothing, namespace labels
 * nobody sets, named ports no pod defines, egress isolation that forgets DNS, and policies whose
 * rules add nothing to what other policies already allow.
 */
import type { ClusterState } from '../model/cluster-state';
import { type EngineIssue, type IssueCode, objectRef } from '../model/issues';
import type { Pod } from '../model/resources';
import type { NetworkPolicy, NetworkPolicyRule, PolicyDirection } from '../policy/policy-model';
import { readPolicies } from '../policy/read-policies';
import { describeNetworkPolicyPeer, selectorText } from './describe-selector';
import { namespacesMatching, podsMatchingPeer } from './peer-matching';
import { networkPolicySelects } from './policy-selection';
import { findRedundantPolicies } from './redundant-policies';
import { NAMESPACE_NAME_LABEL } from '../controllers/defaults';
import { lintClusterPolicies } from './lint-cluster-policies';
import { unknownLabelMessage, unknownNamespaceKeys } from './namespace-labels';
import { missingDnsAllowance } from './dns-allowance';

export function lintPolicies(state: ClusterState): EngineIssue[] {
  const { networkPolicies, clusterPolicies } = readPolicies(state);
  const issues: EngineIssue[] = [];
  for (const policy of networkPolicies) {
    const warn = warningFor(state, policy);
    const selected = [...state.pods.values()].filter((pod) => networkPolicySelects(policy, pod));
    if (selected.length === 0) {
      const what = selectorText(policy.podSelector) || '{} (every pod)';
      warn(
        'POLICY_SELECTS_NO_POD',
        'spec.podSelector',
        `podSelector ${what} matches no pod in namespace ${policy.namespace}`,
      );
    }
    for (const direction of ['Ingress', 'Egress'] as const) {
      const rules = direction === 'Ingress' ? policy.ingress : policy.egress;
      rules.forEach((rule, i) =>
        lintRule(
          state,
          policy,
          direction,
          rule,
          `spec.${direction.toLowerCase()}[${i}]`,
          selected,
          warn,
        ),
      );
    }
    const withoutDns = missingDnsAllowance(state, policy, networkPolicies, selected);
    if (withoutDns.length) {
      const pods = withoutDns.map((pod) => `${pod.namespace}/${pod.name}`);
      const shown =
        pods.length > 3
          ? `${pods.slice(0, 3).join(', ')} and ${pods.length - 3} more`
          : pods.join(', ');
      warn(
        'POLICY_EGRESS_BLOCKS_DNS',
        'spec.policyTypes',
        `isolates egress of ${shown}, which use${pods.length === 1 ? 's' : ''} cluster DNS, but no egress rule allows UDP 53 to kube-dns: name lookups will time out (allow UDP and TCP 53 to pods labelled k8s-app=kube-dns in namespaces labelled ${NAMESPACE_NAME_LABEL}=kube-system)`,
      );
    }
  }
  for (const { policy, coveredBy } of findRedundantPolicies(state, networkPolicies)) {
    const others = coveredBy.map((p) => `${p.namespace}/${p.name}`).join(', ');
    warningFor(state, policy)(
      'POLICY_REDUNDANT',
      'spec',
      `adds nothing: every connection its rules allow is already allowed by ${others}`,
    );
  }
  issues.push(...lintClusterPolicies(state, clusterPolicies));
  return issues;

  function warningFor(s: ClusterState, policy: NetworkPolicy) {
    const file = s.objects.find((o) => o.doc === policy.doc)?.file;
    return (code: IssueCode, path: string, message: string): void => {
      issues.push({
        severity: 'warning',
        code,
        message,
        doc: policy.doc,
        ...(file !== undefined ? { file } : {}),
        object: objectRef('NetworkPolicy', policy.namespace, policy.name),
        path,
      });
    };
  }
}

type Warn = (code: IssueCode, path: string, message: string) => void;

function lintRule(
  state: ClusterState,
  policy: NetworkPolicy,
  direction: PolicyDirection,
  rule: NetworkPolicyRule,
  path: string,
  selected: Pod[],
  warn: Warn,
): void {
  const peersKey = direction === 'Ingress' ? 'from' : 'to';
  rule.peers?.forEach((peer, j) => {
    if (peer.kind !== 'selector') return;
    const peerPath = `${path}.${peersKey}[${j}]`;
    if (peer.namespaceSelector !== null) {
      const unknown = unknownNamespaceKeys(state, peer.namespaceSelector);
      if (unknown.length) {
        warn(
          'POLICY_UNKNOWN_NAMESPACE_LABEL',
          `${peerPath}.namespaceSelector`,
          unknownLabelMessage(state, peer.namespaceSelector, unknown, 'peer'),
        );
        return;
      }
      if (namespacesMatching(state, peer.namespaceSelector).length === 0) {
        warn(
          'POLICY_PEER_MATCHES_NOTHING',
          `${peerPath}.namespaceSelector`,
          `namespaceSelector ${selectorText(peer.namespaceSelector)} matches no namespace`,
        );
        return;
      }
    }
    if (podsMatchingPeer(state, peer, policy.namespace).length === 0) {
      warn(
        'POLICY_PEER_MATCHES_NOTHING',
        peerPath,
        `peer "${describeNetworkPolicyPeer(peer, policy.namespace)}" matches no pod`,
      );
    }
  });
  rule.ports?.forEach((port, j) => {
    if (typeof port.port !== 'string') return;
    const name = port.port;
    // Named ports resolve on the destination pod: the selected pod for ingress, the peer for egress.
    const destinations = direction === 'Ingress' ? selected : rulePeerPods(state, policy, rule);
    const defined = destinations.some((pod) =>
      pod.containers.some((c) =>
        c.ports.some((p) => p.name === name && p.protocol === port.protocol),
      ),
    );
    if (!defined) {
      const whose =
        direction === 'Ingress' ? 'any pod the policy selects' : 'any destination pod of this rule';
      warn(
        'POLICY_NAMED_PORT_UNDEFINED',
        `${path}.ports[${j}].port`,
        `named port "${name}" (${port.protocol}) is not defined by ${whose}: the rule matches no traffic on it`,
      );
    }
  });
}

function rulePeerPods(state: ClusterState, policy: NetworkPolicy, rule: NetworkPolicyRule): Pod[] {
  if (rule.peers === null) return [...state.pods.values()];
  return rule.peers.flatMap((peer) => podsMatchingPeer(state, peer, policy.namespace));
}
