import type { ClusterState } from '../model/cluster-state';

/** A deep copy (Maps included, creation order kept), so a scenario run never alters the cluster it started from. */
export function cloneState(state: ClusterState): ClusterState {
  return structuredClone(state);
}

/**
 * A copy for steps that only read the cluster (probes, DNS lookups, views): it shares the objects
 * and has its own copy of the bookkeeping such steps advance — the random stream, kube-proxy's
 * session-affinity table and IPVS round-robin cursors — so runs that start from one loaded cluster
 * neither see each other's choices nor pay for copying every object. Before anything changes an
 * object, take a `cloneState` of the fork.
 */
export function forkForReading(state: ClusterState): ClusterState {
  return {
    ...state,
    affinity: new Map(state.affinity),
    ...(state.ipvsCursor ? { ipvsCursor: new Map(state.ipvsCursor) } : {}),
  };
}
