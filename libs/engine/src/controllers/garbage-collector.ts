import type { ClusterState } from '../model/cluster-state';
import { deletePod } from './pod-factory';
import { mapFor } from './delete-objects';
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
    const exists = owner.kind === 'Job' || mapFor(state, owner.kind).has(ownerKey);
    if (!exists) deletePod(state, pod);
  }
}
