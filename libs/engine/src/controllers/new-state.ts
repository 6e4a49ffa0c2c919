import type { ClusterConfig } from '../model/cluster-config';
import type { ClusterState } from '../model/cluster-state';
import { seedFromString } from '../util/rng';

/** An empty API server for `config`: no objects yet, the random stream seeded from `config.seed`. */
export function newClusterState(config: ClusterConfig): ClusterState {
  return {
    config,
    nodes: new Map(),
    namespaces: new Map(),
    pods: new Map(),
    services: new Map(),
    endpointSlices: new Map(),
    deployments: new Map(),
    replicaSets: new Map(),
    replicationControllers: new Map(),
    statefulSets: new Map(),
    daemonSets: new Map(),
    objects: [],
    warnings: [],
    seq: 0,
    version: 0,
    rng: seedFromString(config.seed),
    ipamCursor: new Map(),
    affinity: new Map(),
  };
}

/** Every write to the state goes through here so `clusterIndex` knows to rebuild. */
export function touch(state: ClusterState): void {
  state.version++;
}

export function nextSeq(state: ClusterState): number {
  return ++state.seq;
}
