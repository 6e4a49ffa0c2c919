import type { ClusterConfig } from '../model/cluster-config';
import { DEFAULT_CREATION_LIMITS, type CreationLimits } from '../model/creation-limits';
import type { EngineIssue, InputLocation } from '../model/issues';
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
} from '../model/resources';

/** A v1 Node as read: what it sets, and where it was read. */
export type NodeObject = Partial<Node> & { name: string; location?: InputLocation };

/** A v1 Endpoints object and the slices the EndpointSlice mirroring controller would make of it. */
export interface MirroredEndpoints {
  namespace: string;
  name: string;
  /** The `endpointslice.kubernetes.io/skip-mirror: "true"` label. */
  skipMirror: boolean;
  slices: EndpointSlice[];
  location: InputLocation;
}

/** One input file (or one inline manifest string); `name` appears in error messages. */
export interface ManifestFile {
  name?: string;
  content: string;
}

/**
 * Input limits: refused with a clear error, never a hang. What is read (bytes, objects, nesting,
 * aliases, one scalar's length, scenario steps) and what may be created from it
 * (`CreationLimits`). The benchmark raises them; the hosted API keeps its own.
 */
export interface InputLimits extends CreationLimits {
  maxBytes: number;
  maxObjects: number;
  maxDepth: number;
  maxAliases: number;
  /**
   * Keys of one YAML mapping. Real objects stay far below it (labels, annotations, a ConfigMap's
   * data: Kubernetes caps an object at about 1 MiB); a list dump's items are a sequence, not a map.
   */
  maxMappingKeys: number;
  /** Characters of one YAML scalar (a key or a value). */
  maxScalarLength: number;
  /** Steps of one scenario or run. */
  maxSteps: number;
}

export const DEFAULT_LIMITS: InputLimits = {
  maxBytes: 2 * 1024 * 1024,
  maxObjects: 20_000,
  maxDepth: 64,
  maxAliases: 100,
  maxMappingKeys: 10_000,
  maxScalarLength: 2 * 1024 * 1024,
  maxSteps: 200,
  ...DEFAULT_CREATION_LIMITS,
};

/** A parsed YAML/JSON document: `doc` is its 1-based index across all files. */
export interface ParsedDoc {
  doc: number;
  /** 1-based index of the object inside a List document. */
  item?: number;
  file?: string;
  value: unknown;
}

/** A manifest that is not a Pod or workload gets `createdSeq: 0` here; the API server assigns it on create. */
export interface ManifestSet {
  /** From the `kind: Cluster` document, defaults otherwise. */
  cluster: ClusterConfig;
  /** True when a `kind: Cluster` document was given. */
  clusterGiven: boolean;
  /** The `spec` fields the Cluster document sets (`nodes`, `podCIDR` …): what a cluster dump must not override. */
  clusterFields: string[];
  namespaces: Namespace[];
  /**
   * v1 Node objects: they define the cluster's nodes (replacing the defaults) unless the Cluster
   * document lists nodes, with which they are merged by name.
   */
  nodes: NodeObject[];
  pods: Pod[];
  services: Service[];
  /** EndpointSlices as given (the user's, or the controllers' in a cluster dump). */
  endpointSlices: EndpointSlice[];
  /** v1 Endpoints, converted to the slices the mirroring controller would write if it mirrors them (decided on apply). */
  endpoints: MirroredEndpoints[];
  /** Pods whose status.phase is Succeeded or Failed: finished, holding no address, not simulated. */
  finishedPods: string[];
  deployments: Deployment[];
  replicaSets: ReplicaSet[];
  replicationControllers: ReplicationController[];
  statefulSets: StatefulSet[];
  daemonSets: DaemonSet[];
  /** NetworkPolicy, Ingress, IngressClass, Gateway API, MetalLB and unknown kinds, kept as given. */
  objects: StoredObject[];
  issues: EngineIssue[];
}
