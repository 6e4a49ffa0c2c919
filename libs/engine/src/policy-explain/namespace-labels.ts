/**
 * Namespace selectors on labels nobody sets. The control plane sets the immutable label
 * kubernetes.io/metadata.name on every namespace (network-policies.md "Targeting a Namespace by
 * its name"); `name: prod` is only there if someone added it.
 */
import { NAMESPACE_NAME_LABEL } from '../controllers/defaults';
import type { ClusterState } from '../model/cluster-state';
import type { LabelSelector } from '../model/resources';
import { namespaceLabels } from '../policy/policy-peer';

/** Label keys a selector requires that no namespace carries (a `NotIn`/`DoesNotExist` key is fine absent). */
export function unknownNamespaceKeys(state: ClusterState, selector: LabelSelector): string[] {
  const required = [
    ...Object.keys(selector.matchLabels),
    ...selector.matchExpressions
      .filter((e) => e.operator === 'In' || e.operator === 'Exists')
      .map((e) => e.key),
  ];
  const labelSets = [...state.namespaces.keys()].map((name) => namespaceLabels(state, name));
  return [...new Set(required)].filter(
    (k) => !labelSets.some((labels) => Object.prototype.hasOwnProperty.call(labels, k)),
  );
}

export function unknownLabelMessage(
  state: ClusterState,
  selector: LabelSelector,
  unknown: string[],
  what: 'peer' | 'subject',
): string {
  const head = `no namespace has the label ${unknown.map((k) => `"${k}"`).join(', ')}, so this ${what} matches nothing`;
  const guessed = unknown
    .map((k) => selector.matchLabels[k])
    .find((v) => v !== undefined && state.namespaces.has(v));
  const hint =
    guessed !== undefined
      ? `; to select namespace ${guessed} by name use ${NAMESPACE_NAME_LABEL}: ${guessed}`
      : `; every namespace carries ${NAMESPACE_NAME_LABEL}=<name>`;
  return head + hint;
}
