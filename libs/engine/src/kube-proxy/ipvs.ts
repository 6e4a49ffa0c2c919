import type { ClusterState } from '../model/cluster-state';
import type { Node } from '../model/resources';
import {
  categorizeEndpoints,
  externalPolicyLocal,
  internalPolicyLocal,
  type ServiceEndpoint,
} from './endpoints';
import { IPVS_HEADER, realServerLine, virtualServerLine } from './ipvs-rules';
import { hasProxyRules } from './service-match';

/**
 * `ipvsadm -Ln` on one node: a virtual server for every ClusterIP, externalIP, LoadBalancer IP
 * and NodePort (on the node's IP) with its real servers. Local traffic policies leave only the
 * node's own endpoints behind the matching virtual servers, or every cluster endpoint when the node
 * has none (pkg/proxy/ipvs/proxier.go syncEndpoint, kubernetes#97081).
 * Connection counters are always 0: the engine does not track connections.
 */
export function renderIpvs(state: ClusterState, node: Node): string {
  const lines = [...IPVS_HEADER];
  const add = (header: string, servers: ServiceEndpoint[]) =>
    lines.push(header, ...servers.map(realServerLine));
  for (const service of state.services.values()) {
    if (!hasProxyRules(service)) continue;
    for (const port of service.ports) {
      const cat = categorizeEndpoints(state, service, port, node);
      // A Local policy without local endpoints falls back to the cluster endpoints (syncEndpoint).
      const localOrCluster = cat.local.length ? cat.local : cat.cluster;
      const internal = internalPolicyLocal(service) ? localOrCluster : cat.cluster;
      const external = externalPolicyLocal(service, port) ? localOrCluster : cat.cluster;
      add(virtualServerLine(state, service, port, service.clusterIP, port.port), internal);
      for (const ip of service.externalIPs)
        add(virtualServerLine(state, service, port, ip, port.port), external);
      for (const ing of service.loadBalancerIngress)
        if (ing.ip) add(virtualServerLine(state, service, port, ing.ip, port.port), external);
      if (port.nodePort)
        add(virtualServerLine(state, service, port, node.ip, port.nodePort), external);
    }
  }
  return `${lines.join('\n')}\n`;
}
