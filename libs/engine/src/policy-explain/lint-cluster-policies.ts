/**
 * The selector traps of lint-policies.ts for the cluster-wide policies (AdminNetworkPolicy,
 * BaselineAdminNetworkPolicy, ClusterNetworkPolicy): a subject that selects no pod, and namespace
 * selectors on labels no namespace carries.
 */
import type { ClusterState } from '../model/cluster-state';
import { type EngineIssue, type IssueCode, objectRef } from '../model/issues';
import type { ClusterPolicy } from '../policy/policy-model';
import { unknownNamespaceKeys, unknownLabelMessage } from './namespace-labels';
import { clusterPolicySelects } from './policy-selection';

export function lintClusterPolicies(state: ClusterState, policies: ClusterPolicy[]): EngineIssue[] {
  const issues: EngineIssue[] = [];
  for (const policy of policies) {
    const file = state.objects.find((o) => o.doc === policy.doc)?.file;
    const warn = (code: IssueCode, path: string, message: string): void => {
      issues.push({
        severity: 'warning',
        code,
        message,
        doc: policy.doc,
        ...(file !== undefined ? { file } : {}),
        object: objectRef(policy.kind, undefined, policy.name),
        path,
      });
    };
    const subjectPath = `spec.subject.${policy.subject.kind}`;
    const subjectUnknown = unknownNamespaceKeys(state, policy.subject.namespaceSelector);
    if (subjectUnknown.length)
      warn(
        'POLICY_UNKNOWN_NAMESPACE_LABEL',
        subjectPath,
        unknownLabelMessage(state, policy.subject.namespaceSelector, subjectUnknown, 'subject'),
      );
    else if (![...state.pods.values()].some((pod) => clusterPolicySelects(state, policy, pod)))
      warn('POLICY_SELECTS_NO_POD', subjectPath, 'the subject selects no pod');
    for (const direction of ['ingress', 'egress'] as const) {
      const peersKey = direction === 'ingress' ? 'from' : 'to';
      policy[direction].forEach((rule, i) => {
        rule.peers.forEach((peer, j) => {
          if (peer.kind !== 'namespaces' && peer.kind !== 'pods') return;
          const unknown = unknownNamespaceKeys(state, peer.namespaceSelector);
          if (unknown.length)
            warn(
              'POLICY_UNKNOWN_NAMESPACE_LABEL',
              `spec.${direction}[${i}].${peersKey}[${j}]`,
              unknownLabelMessage(state, peer.namespaceSelector, unknown, 'peer'),
            );
        });
      });
    }
  }
  return issues;
}
