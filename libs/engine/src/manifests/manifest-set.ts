import type { ClusterConfig } from '../model/cluster-config';
import type { EngineIssue } from '../model/issues';
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

/** One input file (or one inline manifest string); `name` appears in error messages. */
export interface ManifestFile {
  name?: string;
  content: string;
}

/** Input limits: refused with a clear error, never a hang. The benchmark raises them; the hosted API keeps its own. */
export interface InputLimits {
  maxBytes: number;
  maxObjects: number;
  maxDepth: number;
  maxAliases: number;
}

export const DEFAULT_LIMITS: InputLimits = {
  maxBytes: 2 * 1024 * 1024,
  maxObjects: 20_000,
  maxDepth: 64,
  maxAliases: 100,
};

/** A parsed YAML/JSON document: `doc` is its 1-based index across all files. */
export interface ParsedDoc {
  doc: number;
  file?: string;
  value: unknown;
}

/** A manifest that is not a Pod or workload gets `createdSeq: 0` here; the API server assigns it on create. */
export interface ManifestSet {
  /** From the `kind: Cluster` document, defaults otherwise. */
  cluster: ClusterConfig;
  /** True when a `kind: Cluster` document was given. */
  clusterGiven: boolean;
  namespaces: Namespace[];
  /** v1 Node objects: merged with (or added to) the cluster's nodes by name. */
  nodes: (Partial<Node> & { name: string })[];
  pods: Pod[];
  services: Service[];
  /** User EndpointSlices, and v1 Endpoints mirrored to slices (managedBy endpointslicemirroring-controller.k8s.io). */
  endpointSlices: EndpointSlice[];
  deployments: Deployment[];
  replicaSets: ReplicaSet[];
  replicationControllers: ReplicationController[];
  statefulSets: StatefulSet[];
  daemonSets: DaemonSet[];
  /** NetworkPolicy, Ingress, IngressClass, Gateway API, MetalLB and unknown kinds, kept as given. */
  objects: StoredObject[];
  issues: EngineIssue[];
}
