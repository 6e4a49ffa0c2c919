import type { ClusterConfig } from '../model/cluster-config';
import type { ClusterState } from '../model/cluster-state';
import { seedFromString, streamSeed, type RandomSource } from '../util/rng';

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
    streams: new Map(),
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

/** Draws from the cluster's stream named `stream` (see `ClusterState.streams`), advancing it. */
export function drawFromStream<T>(
  state: ClusterState,
  stream: string,
  use: (source: RandomSource) => T,
): T {
  const source = { rng: state.streams.get(stream) ?? streamSeed(state.config.seed, stream) };
  const value = use(source);
  state.streams.set(stream, source.rng);
  return value;
}
