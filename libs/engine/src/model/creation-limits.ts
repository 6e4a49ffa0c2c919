/**
 * Bounds on what the engine may *create* from a valid input, as opposed to what it reads (bytes,
 * objects, nesting): one line of YAML (`replicas: 1000000000`) would otherwise allocate without
 * end. Each is checked before the objects exist, and refused as a `LIMIT_EXCEEDED` error naming
 * the field and the limit. The benchmarks raise them; a hosted service may keep lower ones.
 */
export interface CreationLimits {
  /** `spec.replicas` of one Deployment, ReplicaSet, ReplicationController or StatefulSet (and a scale step's). */
  maxReplicas: number;
  /** Pods in the whole cluster with every workload at its replicas and every DaemonSet on every node. */
  maxPods: number;
  /** Nodes of the cluster (Cluster document and Node objects together). */
  maxNodes: number;
  /** Endpoints in all EndpointSlices the EndpointSlice controller would write (pods selected, summed over Services). */
  maxEndpoints: number;
}

export const DEFAULT_CREATION_LIMITS: CreationLimits = {
  maxReplicas: 1_000,
  maxPods: 10_000,
  maxNodes: 1_000,
  maxEndpoints: 100_000,
};
