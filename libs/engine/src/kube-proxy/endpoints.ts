import type { ClusterState } from '../model/cluster-state';
import { clusterIndex } from '../model/lookup';
import type { Node, Pod, Service, ServicePort } from '../model/resources';

/** One backend of a service port as kube-proxy sees it (pkg/proxy/endpoint.go BaseEndpointInfo). */
export interface ServiceEndpoint {
  ip: string;
  port: number;
  /** `ip:port`, the form kube-proxy hashes into chain names and sorts by. */
  key: string;
  nodeName?: string;
  zone?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** Whether the endpoint runs on the node doing the proxying. */
  local: boolean;
  zoneHints: string[];
  nodeHints: string[];
  pod?: Pod;
}

export type TopologyMode = 'PreferSameZone' | 'PreferSameNode' | null;

export interface CategorizedEndpoints {
  /** Endpoints for traffic under the Cluster policy (after topology filtering); empty when unused. */
  cluster: ServiceEndpoint[];
  /** Node-local endpoints for traffic under a Local policy; empty when unused. */
  local: ServiceEndpoint[];
  /** Union of both sets: the endpoints this node has chains for. */
  allReachable: ServiceEndpoint[];
  /** Whether any usable endpoint exists anywhere (REJECT when false, DROP under Local policy when true). */
  hasAnyEndpoints: boolean;
  topologyMode: TopologyMode;
  /** True when the usable set is the serving-and-terminating fallback. */
  usedTerminatingFallback: boolean;
  /** Every endpoint read from the slices for this port, before filtering, sorted as kube-proxy sorts. */
  all: ServiceEndpoint[];
}

const ZONE_LABEL = 'topology.kubernetes.io/zone';

/** A service reachable from outside: NodePort, LoadBalancer VIPs or externalIPs (ServicePort.ExternallyAccessible). */
export function externallyAccessible(service: Service, port: ServicePort): boolean {
  return (
    !!port.nodePort ||
    service.loadBalancerIngress.some((i) => !!i.ip) ||
    service.externalIPs.length > 0
  );
}

export function externalPolicyLocal(service: Service, port: ServicePort): boolean {
  return externallyAccessible(service, port) && service.externalTrafficPolicy === 'Local';
}

export function internalPolicyLocal(service: Service): boolean {
  return service.internalTrafficPolicy === 'Local';
}

/**
 * The endpoints of one service port, read from the service's EndpointSlices: the slice port whose
 * name and protocol match the ServicePort gives the port number (kube-proxy keys its endpoints map
 * by ServicePortName, which carries the port name and protocol). Duplicates across slices are
 * merged, and the list is sorted by `ip:port` string as kube-proxy's endpointsMap is (byEndpoint).
 */
export function serviceEndpoints(
  state: ClusterState,
  service: Service,
  port: ServicePort,
  node: Node,
): ServiceEndpoint[] {
  const index = clusterIndex(state);
  const slices = index.slicesByService.get(`${service.namespace}/${service.name}`) ?? [];
  const byKey = new Map<string, ServiceEndpoint>();
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4') continue;
    const slicePort = slice.ports.find(
      (p) => (p.name ?? '') === (port.name ?? '') && p.protocol === port.protocol,
    );
    if (!slicePort) continue;
    for (const ep of slice.endpoints) {
      const epNode = ep.nodeName ? state.nodes.get(ep.nodeName) : undefined;
      // A NotReady node's endpoints are marked not ready by the endpoint controller once the
      // node's pods lose their Ready condition; the engine applies that at once.
      const nodeDown = epNode !== undefined && !epNode.ready;
      for (const ip of ep.addresses) {
        const key = `${ip}:${slicePort.port}`;
        if (byKey.has(key)) continue;
        const pod = ep.targetRef
          ? state.pods.get(`${ep.targetRef.namespace}/${ep.targetRef.name}`)
          : index.podsByIP.get(ip)?.[0];
        byKey.set(key, {
          ip,
          port: slicePort.port,
          key,
          nodeName: ep.nodeName,
          zone: ep.zone,
          ready: ep.conditions.ready && !nodeDown,
          serving: ep.conditions.serving && !nodeDown,
          terminating: ep.conditions.terminating,
          local: ep.nodeName === node.name,
          zoneHints: ep.hints?.forZones ?? [],
          nodeHints: ep.hints?.forNodes ?? [],
          pod,
        });
      }
    }
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Which endpoints this node's kube-proxy uses for a service port, following
 * pkg/proxy/topology.go CategorizeEndpoints: Ready endpoints, else serving-and-terminating ones;
 * topology filtering from hints for the Cluster set; node-local endpoints for a Local policy.
 */
export function categorizeEndpoints(
  state: ClusterState,
  service: Service,
  port: ServicePort,
  node: Node,
): CategorizedEndpoints {
  const all = serviceEndpoints(state, service, port, node);
  const usesLocal = internalPolicyLocal(service) || externalPolicyLocal(service, port);
  const usesCluster =
    !internalPolicyLocal(service) ||
    (externallyAccessible(service, port) && !externalPolicyLocal(service, port));
  let cluster: ServiceEndpoint[] = [];
  let local: ServiceEndpoint[] = [];
  let hasAnyEndpoints = false;
  let topologyMode: TopologyMode = null;
  let usedTerminatingFallback = false;

  if (usesCluster) {
    const zone = node.labels[ZONE_LABEL] ?? '';
    topologyMode = topologyModeFromHints(all, node.name, zone);
    cluster = all.filter(
      (ep) => ep.ready && availableForTopology(ep, topologyMode, node.name, zone),
    );
    if (cluster.length === 0) {
      cluster = all.filter(
        (ep) =>
          ep.serving && ep.terminating && availableForTopology(ep, topologyMode, node.name, zone),
      );
      usedTerminatingFallback = cluster.length > 0;
    }
    hasAnyEndpoints = cluster.length > 0;
  }
  if (!usesLocal)
    return {
      cluster,
      local,
      allReachable: cluster,
      hasAnyEndpoints,
      topologyMode,
      usedTerminatingFallback,
      all,
    };

  let localReady = false;
  let localServingTerminating = false;
  for (const ep of all) {
    if (ep.ready) {
      hasAnyEndpoints = true;
      if (ep.local) localReady = true;
    } else if (ep.serving && ep.terminating) {
      hasAnyEndpoints = true;
      if (ep.local) localServingTerminating = true;
    }
  }
  if (localReady) local = all.filter((ep) => ep.local && ep.ready);
  else if (localServingTerminating) {
    local = all.filter((ep) => ep.local && ep.serving && ep.terminating);
    usedTerminatingFallback = true;
  }
  if (!usesCluster)
    return {
      cluster,
      local,
      allReachable: local,
      hasAnyEndpoints,
      topologyMode,
      usedTerminatingFallback,
      all,
    };
  const seen = new Set(cluster.map((ep) => ep.key));
  const allReachable = [...cluster, ...local.filter((ep) => !seen.has(ep.key))];
  return {
    cluster,
    local,
    allReachable,
    hasAnyEndpoints,
    topologyMode,
    usedTerminatingFallback,
    all,
  };
}

/**
 * Topology filtering follows the hints alone (pkg/proxy/topology.go topologyModeFromHints, current
 * version; older versions also read the Service annotation): PreferSameNode when every ready
 * endpoint has node hints and one is for this node, else PreferSameZone when every ready endpoint
 * has zone hints and one is for this node's zone, else no filtering. The EndpointSlice controller
 * writes hints only for `service.kubernetes.io/topology-mode: Auto` or `spec.trafficDistribution`;
 * the engine's controller does not compute them, so only hints in user-written slices count.
 */
function topologyModeFromHints(
  endpoints: ServiceEndpoint[],
  nodeName: string,
  zone: string,
): TopologyMode {
  let hasForNode = false;
  let allHaveNodeHints = true;
  let hasForZone = false;
  let allHaveZoneHints = true;
  for (const ep of endpoints) {
    if (!ep.ready) continue;
    if (ep.nodeHints.length === 0) allHaveNodeHints = false;
    else if (ep.nodeHints.includes(nodeName)) hasForNode = true;
    if (ep.zoneHints.length === 0) allHaveZoneHints = false;
    else if (ep.zoneHints.includes(zone)) hasForZone = true;
  }
  if (allHaveNodeHints && hasForNode) return 'PreferSameNode';
  if (allHaveZoneHints && hasForZone) return 'PreferSameZone';
  return null;
}

/** Whether the Service asks the EndpointSlice controller for hints (annotation or trafficDistribution). */
export function wantsTopology(service: Service): boolean {
  if (service.trafficDistribution) return true;
  const mode =
    service.annotations['service.kubernetes.io/topology-mode'] ??
    service.annotations['service.kubernetes.io/topology-aware-hints'];
  return mode === 'Auto' || mode === 'auto';
}

function availableForTopology(
  ep: ServiceEndpoint,
  mode: TopologyMode,
  nodeName: string,
  zone: string,
): boolean {
  if (mode === 'PreferSameNode') return ep.nodeHints.includes(nodeName);
  if (mode === 'PreferSameZone') return ep.zoneHints.includes(zone);
  return true;
}
