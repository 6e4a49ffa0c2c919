import type { ClusterState } from '../model/cluster-state';
import { deletePod } from './pod-factory';
import { mapFor, type NamespacedKind } from './delete-objects';

const WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'ReplicaSet',
  'ReplicationController',
  'StatefulSet',
  'DaemonSet',
]);

function isWorkloadKind(kind: string): kind is NamespacedKind {
  return WORKLOAD_KINDS.has(kind);
}
import { touch } from './new-state';

/**
 * Cascading deletion (background propagation, the kubectl default): ReplicaSets whose Deployment is
 * gone and pods whose controller is gone are removed, as the garbage collector does via ownerReferences.
 */
export function collectGarbage(state: ClusterState): void {
  for (const [k, rs] of state.replicaSets) {
    if (
      rs.owner?.kind === 'Deployment' &&
      !state.deployments.has(`${rs.namespace}/${rs.owner.name}`)
    ) {
      state.replicaSets.delete(k);
      touch(state);
    }
  }
  for (const pod of [...state.pods.values()]) {
    const owner = pod.owner;
    if (!owner) continue;
    const ownerKey = `${pod.namespace}/${owner.name}`;
    // Owners the engine does not run (a Job, a Node for mirror pods, a custom controller) are kept as given.
    const exists = !isWorkloadKind(owner.kind) || mapFor(state, owner.kind).has(ownerKey);
    if (!exists) deletePod(state, pod);
  }
}
