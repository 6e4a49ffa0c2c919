import type { ClusterState } from '../model/cluster-state';
import type { LabelSelector, Labels } from '../model/resources';
import { selectorMatches } from '../util/labels';
import { touch } from './new-state';

/**
 * Controllers adopt the orphans their selector matches (controller_ref_manager.go ClaimPods /
 * ClaimReplicaSets): a pod with no controller ownerReference whose labels match a ReplicaSet,
 * a StatefulSet (named `<set>-<ordinal>`) or a DaemonSet (bound to a node) becomes that
 * controller's; a ReplicaSet with no owner whose labels match a Deployment becomes the
 * Deployment's. Objects a cluster dump lists without ownerReferences are claimed the same way.
 */
export function adoptOrphans(state: ClusterState): void {
  for (const rs of state.replicaSets.values()) {
    if (rs.owner) continue;
    const deployment = firstMatch(state.deployments.values(), rs.namespace, rs.labels);
    if (!deployment) continue;
    rs.owner = { kind: 'Deployment', name: deployment.name };
    touch(state);
  }
  for (const pod of state.pods.values()) {
    if (pod.owner || pod.terminating) continue;
    const rs = firstMatch(state.replicaSets.values(), pod.namespace, pod.labels);
    if (rs) {
      pod.owner = { kind: 'ReplicaSet', name: rs.name };
      touch(state);
      continue;
    }
    const sts = [...state.statefulSets.values()].find(
      (s) =>
        s.namespace === pod.namespace &&
        new RegExp(`^${escapeRegExp(s.name)}-(0|[1-9]\\d*)$`).test(pod.name) &&
        selectorMatches(s.selector, pod.labels),
    );
    if (sts) {
      pod.owner = { kind: 'StatefulSet', name: sts.name };
      touch(state);
      continue;
    }
    if (!pod.nodeName) continue;
    const ds = firstMatch(state.daemonSets.values(), pod.namespace, pod.labels);
    if (ds) {
      pod.owner = { kind: 'DaemonSet', name: ds.name };
      touch(state);
    }
  }
}

function firstMatch<T extends { namespace: string; selector: LabelSelector }>(
  candidates: Iterable<T>,
  namespace: string,
  labels: Labels,
): T | undefined {
  for (const candidate of candidates)
    if (candidate.namespace === namespace && selectorMatches(candidate.selector, labels))
      return candidate;
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
