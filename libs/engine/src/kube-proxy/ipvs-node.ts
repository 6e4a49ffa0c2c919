import type { ClusterState } from '../model/cluster-state';
import type { Node, Protocol, Service } from '../model/resources';
import { cidrContains, ipToInt, parseCidr } from '../util/ip';
import {
  categorizeEndpoints,
  externalPolicyLocal,
  internalPolicyLocal,
  type ServiceEndpoint,
} from './endpoints';
import { emptySetEntries, type IpvsSetEntries, type IpvsSetName } from './ipvs-sets';
import { hasProxyRules } from './service-match';

/** One IPVS virtual server with the real servers kube-proxy put behind it. */
export interface VirtualServer {
  service: Service;
  protocol: Protocol;
  ip: string;
  port: number;
  realServers: ServiceEndpoint[];
}

/** Everything kube-proxy's IPVS mode programs on one node (syncProxyRules). */
export interface IpvsNodeState {
  virtualServers: VirtualServer[];
  /** Addresses bound to the kube-ipvs0 dummy device (activeBindAddrs). */
  boundAddresses: string[];
  sets: IpvsSetEntries;
  /** LoadBalancer IP, protocol and port a node must not reach (source ranges without the node). */
  noNodeAccess: { ip: string; protocol: string; port: number }[];
}

/**
 * Walks the services as syncProxyRules does: a virtual server for the ClusterIP (bound to
 * kube-ipvs0), each externalIP and LoadBalancer IP (bound unless the node owns the address) and
 * a NodePort on each of `nodeAddresses`; each one's real servers by syncEndpoint (a Local policy
 * takes the node's own endpoints, or every cluster endpoint when it has none, kubernetes#97081);
 * and the ipset entries the iptables rules match on.
 */
export function ipvsNodeState(
  state: ClusterState,
  node: Node,
  nodeAddresses: string[],
): IpvsNodeState {
  const virtualServers: VirtualServer[] = [];
  const bound = new Set<string>();
  const sets = emptySetEntries();
  const noNodeAccess: IpvsNodeState['noNodeAccess'] = [];
  const add = (set: IpvsSetName, entry: string) => sets.get(set)?.add(entry);
  for (const service of state.services.values()) {
    if (!hasProxyRules(service)) continue;
    for (const port of service.ports) {
      const protocol = port.protocol.toLowerCase();
      const cat = categorizeEndpoints(state, service, port, node);
      const localOrCluster = cat.local.length ? cat.local : cat.cluster;
      const internal = internalPolicyLocal(service) ? localOrCluster : cat.cluster;
      const externalLocal = externalPolicyLocal(service, port);
      const external = externalLocal ? localOrCluster : cat.cluster;
      const vs = (ip: string, portNumber: number, realServers: ServiceEndpoint[]) =>
        virtualServers.push({
          service,
          protocol: port.protocol,
          ip,
          port: portNumber,
          realServers,
        });

      // Hairpin: each endpoint on this node may reach itself through the service.
      for (const ep of cat.all)
        if (ep.local) add('KUBE-LOOP-BACK', `${ep.ip},${protocol}:${ep.port},${ep.ip}`);

      const ipPort = (ip: string) => `${ip},${protocol}:${port.port}`;
      add('KUBE-CLUSTER-IP', ipPort(service.clusterIP));
      vs(service.clusterIP, port.port, internal);
      bound.add(service.clusterIP);

      for (const ip of service.externalIPs) {
        add(externalLocal ? 'KUBE-EXTERNAL-IP-LOCAL' : 'KUBE-EXTERNAL-IP', ipPort(ip));
        vs(ip, port.port, external);
        if (!nodeAddresses.includes(ip)) bound.add(ip);
      }

      for (const ingress of service.loadBalancerIngress) {
        const ip = ingress.ip;
        if (!ip) continue;
        add('KUBE-LOAD-BALANCER', ipPort(ip));
        if (externalLocal) add('KUBE-LOAD-BALANCER-LOCAL', ipPort(ip));
        if (service.loadBalancerSourceRanges.length) {
          add('KUBE-LOAD-BALANCER-FW', ipPort(ip));
          let allowFromNode = false;
          for (const raw of service.loadBalancerSourceRanges) {
            const cidr = parseCidr(raw.trim());
            if (!cidr) continue;
            add('KUBE-LOAD-BALANCER-SOURCE-CIDR', `${ipPort(ip)},${raw.trim()}`);
            if (cidrContains(cidr, node.ip)) allowFromNode = true;
          }
          // A VIP-like load balancer loops a node's request back with the VIP as its source.
          if (allowFromNode) add('KUBE-LOAD-BALANCER-SOURCE-IP', `${ipPort(ip)},${ip}`);
          else noNodeAccess.push({ ip, protocol, port: port.port });
        }
        vs(ip, port.port, external);
        if (!nodeAddresses.includes(ip)) bound.add(ip);
      }

      if (port.nodePort) {
        const nodePort = port.nodePort;
        if (port.protocol === 'SCTP') {
          for (const address of nodeAddresses) {
            add('KUBE-NODE-PORT-SCTP-HASH', `${address},sctp:${nodePort}`);
            if (externalLocal) add('KUBE-NODE-PORT-LOCAL-SCTP-HASH', `${address},sctp:${nodePort}`);
          }
        } else {
          const p = port.protocol as 'TCP' | 'UDP';
          add(`KUBE-NODE-PORT-${p}`, String(nodePort));
          if (externalLocal) add(`KUBE-NODE-PORT-LOCAL-${p}`, String(nodePort));
        }
        for (const address of nodeAddresses) vs(address, nodePort, external);
      }

      if (service.healthCheckNodePort)
        add('KUBE-HEALTH-CHECK-NODE-PORT', String(service.healthCheckNodePort));
    }
  }
  for (const ip of bound) add('KUBE-IPVS-IPS', ip);
  return {
    virtualServers: sortVirtualServers(virtualServers),
    boundAddresses: [...bound].sort((a, b) => ipToInt(a) - ipToInt(b)),
    sets,
    noNodeAccess,
  };
}

const PROTOCOL_NUMBER: Record<Protocol, number> = { TCP: 6, UDP: 17, SCTP: 132 };

/**
 * ipvsadm's comparison (ipvs_cmp_services, ipvs_cmp_dests): protocol number, then the address
 * as a difference of two 32-bit numbers taken as a signed int, then the port. The signed
 * difference puts 172.18.0.2 before 10.96.0.1 (their difference overflows); it is still a total
 * order while all addresses lie within 2^31 of each other, as a cluster's do.
 */
function addressOrder(a: string, b: string): number {
  return (ipToInt(a) - ipToInt(b)) | 0;
}

/**
 * In ipvsadm's order, each virtual server once: two services claiming one address, protocol and
 * port (shared externalIPs) make one virtual server, as IPVS has one per address.
 */
function sortVirtualServers(list: VirtualServer[]): VirtualServer[] {
  const seen = new Set<string>();
  const unique = list.filter((vs) => {
    const key = `${vs.protocol} ${vs.ip}:${vs.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const sorted = unique.sort(
    (a, b) =>
      PROTOCOL_NUMBER[a.protocol] - PROTOCOL_NUMBER[b.protocol] ||
      addressOrder(a.ip, b.ip) ||
      a.port - b.port,
  );
  for (const vs of sorted)
    vs.realServers = [...vs.realServers].sort(
      (a, b) => addressOrder(a.ip, b.ip) || a.port - b.port,
    );
  return sorted;
}
