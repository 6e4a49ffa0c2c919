import type { ClusterState } from './cluster-state';
import { derivedPerVersion } from './derived';
import type { EndpointSlice, Node, Pod, Service } from './resources';

/**
 * Indexes over a cluster state, built once per state version: probes look things up by IP in
 * O(1) instead of scanning thousands of pods.
 */
export interface ClusterIndex {
  podsByIP: Map<string, Pod[]>;
  nodesByIP: Map<string, Node>;
  /** ClusterIP and externalIPs / LoadBalancer ingress IPs → services. */
  servicesByClusterIP: Map<string, Service>;
  servicesByExternalIP: Map<string, Service[]>;
  /** `TCP/30080` → service (TCP and UDP may share a node port number). */
  servicesByNodePort: Map<string, Service>;
  /** `namespace/serviceName` → its EndpointSlices. */
  slicesByService: Map<string, EndpointSlice[]>;
  /** `namespace/name` of a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet) → its pods. */
  podsByOwnerWorkload: Map<string, Pod[]>;
}

export const clusterIndex: (state: ClusterState) => ClusterIndex = derivedPerVersion(buildIndex);

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

function buildIndex(state: ClusterState): ClusterIndex {
  const index: ClusterIndex = {
    podsByIP: new Map(),
    nodesByIP: new Map(),
    servicesByClusterIP: new Map(),
    servicesByExternalIP: new Map(),
    servicesByNodePort: new Map(),
    slicesByService: new Map(),
    podsByOwnerWorkload: new Map(),
  };
  for (const node of state.nodes.values()) index.nodesByIP.set(node.ip, node);
  for (const pod of state.pods.values()) {
    if (pod.ip) push(index.podsByIP, pod.ip, pod);
    if (pod.owner) {
      let owner = pod.owner.name;
      if (pod.owner.kind === 'ReplicaSet') {
        const rs = state.replicaSets.get(`${pod.namespace}/${pod.owner.name}`);
        if (rs?.owner?.kind === 'Deployment') owner = rs.owner.name;
      }
      push(index.podsByOwnerWorkload, `${pod.namespace}/${owner}`, pod);
    }
  }
  for (const svc of state.services.values()) {
    if (svc.clusterIP && svc.clusterIP !== 'None')
      index.servicesByClusterIP.set(svc.clusterIP, svc);
    for (const ip of svc.externalIPs) push(index.servicesByExternalIP, ip, svc);
    for (const ing of svc.loadBalancerIngress)
      if (ing.ip) push(index.servicesByExternalIP, ing.ip, svc);
    for (const port of svc.ports)
      if (port.nodePort) index.servicesByNodePort.set(`${port.protocol}/${port.nodePort}`, svc);
  }
  for (const slice of state.endpointSlices.values())
    push(index.slicesByService, `${slice.namespace}/${slice.serviceName}`, slice);
  return index;
}
