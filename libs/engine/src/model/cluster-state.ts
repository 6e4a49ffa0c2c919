import type { ClusterConfig } from './cluster-config';
import type {
  DaemonSet,
  Deployment,
  EndpointSlice,
  Namespace,
  Node,
  Pod,
  ReplicaSet,
  ReplicationController,
  Service,
  StatefulSet,
  StoredObject,
} from './resources';
import type { EngineIssue } from './issues';
import type { CreationLimits } from './creation-limits';

/**
 * Everything the simulated API server holds, plus the controllers' bookkeeping. Maps are keyed
 * `namespace/name` (or `name` for cluster-scoped objects) and iterate in creation order, so every
 * walk over them is deterministic.
 */
export interface ClusterState {
  config: ClusterConfig;
  nodes: Map<string, Node>;
  namespaces: Map<string, Namespace>;
  pods: Map<string, Pod>;
  services: Map<string, Service>;
  endpointSlices: Map<string, EndpointSlice>;
  deployments: Map<string, Deployment>;
  replicaSets: Map<string, ReplicaSet>;
  replicationControllers: Map<string, ReplicationController>;
  statefulSets: Map<string, StatefulSet>;
  daemonSets: Map<string, DaemonSet>;
  /** Kinds kept for later stages or unknown to the engine, in input order. */
  objects: StoredObject[];
  warnings: EngineIssue[];
  /** Monotonic creation counter (the simulated API server's resourceVersion). */
  seq: number;
  /** Bumped on every change, so derived indexes (see lookup.ts) know when to rebuild. */
  version: number;
  /**
   * State of the seeded random stream, advanced by every random choice. With `affinity` and
   * `ipvsCursor`, the only fields a probe writes: `forkForReading` gives each run its own copy of
   * these three, so a probe that starts writing anything else must be listed there too.
   */
  rng: number;
  /**
   * Per-object streams (`streamSeed`), keyed by what they name (`names:<ns>/<prefix>`,
   * `uid:<ns>/<name>`, `service:<ns>/<name>`); absent until first used. Only controllers draw from
   * them, never a probe.
   */
  streams: Map<string, number>;
  /** Next host-local IPAM candidate per node (host-local hands out addresses in order, not reusing freed ones at once). */
  ipamCursor: Map<string, number>;
  /** kube-proxy session affinity: `service-port key|client IP` → endpoint `ip:port`. */
  affinity: Map<string, string>;
  /** kube-proxy IPVS `rr` scheduler position per service port (`ns/name:port/TCP` → next index); created on first use. */
  ipvsCursor?: Map<string, number>;
  /**
   * Addresses a cluster dump fixes (pods' status.podIP, Services' clusterIP and nodePorts), held
   * while the cluster is built so nothing allocated before those objects are applied takes them.
   * Values are the owner's `namespace/name`.
   */
  reserved?: ReservedAddresses;
  /** What the controllers may create (the load's limits); `DEFAULT_CREATION_LIMITS` when absent. */
  limits?: CreationLimits;
  /** The LoadBalancer controller's last failure event per Service (`ns/name` → message), so each is reported once. */
  loadBalancerEvents?: Map<string, string>;
}

export interface ReservedAddresses {
  podIPs: Map<number, string>;
  clusterIPs: Map<string, string>;
  nodePorts: Map<number, string>;
}

export function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
