import type { ClusterState } from '../model/cluster-state';

/** A deep copy (Maps included, creation order kept), so a scenario run never alters the cluster it started from. */
export function cloneState(state: ClusterState): ClusterState {
  return structuredClone(state);
}
