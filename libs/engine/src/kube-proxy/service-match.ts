import type { ClusterState } from '../model/cluster-state';
import { clusterIndex } from '../model/lookup';
import type { Node, Pod, Protocol, Service, ServicePort } from '../model/resources';
import { cidrContains, parseCidr } from '../util/ip';

export type VipKind = 'ClusterIP' | 'NodePort' | 'ExternalIP' | 'LoadBalancer';

/** The header fields kube-proxy's rules look at. */
export interface ServicePacket {
  dstIP: string;
  dstPort: number;
  protocol: Protocol;
  srcIP: string;
}

/** Where the packet meets kube-proxy's rules: the node's netns, and who sent it. */
export interface ServicePacketContext {
  node: Node;
  origin: 'pod' | 'node' | 'external';
  sourcePod?: Pod;
}

export type ServiceMatch =
  | {
      kind: 'service';
      service: Service;
      servicePort: ServicePort;
      vip: VipKind;
      /** The node whose kube-proxy handles the packet: for a NodePort on another node's IP, that node. */
      handlingNode: Node;
    }
  /**
   * The ClusterIP exists but has no such port/protocol. nftables (`cluster-ips-check`) and IPVS
   * (`KUBE-IPVS-FILTER`) reject it; iptables has no rule for it (TestClusterIPGeneral: "svc1 does
   * not accept svc2's ports" → no match), so the packet follows the default route and is lost.
   */
  | { kind: 'port-not-found'; service: Service; action: 'reject' | 'no-rule' }
  /**
   * Inside the service CIDR but no Service owns the address: nftables drops it (`cluster-ips-check`,
   * "Drop traffic to unallocated ClusterIPs"); iptables and IPVS have no rule, so it leaves by the
   * default route and is lost.
   */
  | { kind: 'unallocated'; action: 'drop' | 'no-rule' };

const LOCALHOST = '127.0.0.1';

/**
 * Which Service address a packet hits on a node, checked in KUBE-SERVICES order: ClusterIP, then
 * externalIPs and LoadBalancer ingress IPs, then NodePorts (the last rule, `--dst-type LOCAL`).
 * Null: not a service address, route normally. Headless and ExternalName services have no rules.
 */
export function matchService(
  state: ClusterState,
  packet: ServicePacket,
  ctx: ServicePacketContext,
): ServiceMatch | null {
  const index = clusterIndex(state);
  const mode = state.config.kubeProxy.mode;

  const clusterIPService = index.servicesByClusterIP.get(packet.dstIP);
  if (clusterIPService && hasProxyRules(clusterIPService)) {
    const servicePort = findPort(clusterIPService, packet);
    if (servicePort)
      return {
        kind: 'service',
        service: clusterIPService,
        servicePort,
        vip: 'ClusterIP',
        handlingNode: ctx.node,
      };
    return {
      kind: 'port-not-found',
      service: clusterIPService,
      action: mode === 'iptables' ? 'no-rule' : 'reject',
    };
  }

  for (const service of index.servicesByExternalIP.get(packet.dstIP) ?? []) {
    if (!hasProxyRules(service)) continue;
    const servicePort = findPort(service, packet);
    if (!servicePort) continue;
    const vip: VipKind = service.externalIPs.includes(packet.dstIP) ? 'ExternalIP' : 'LoadBalancer';
    return { kind: 'service', service, servicePort, vip, handlingNode: ctx.node };
  }

  const nodePortMatch = matchNodePort(state, packet, ctx);
  if (nodePortMatch) return nodePortMatch;

  const serviceCidr = parseCidr(state.config.serviceCIDR);
  if (serviceCidr && cidrContains(serviceCidr, packet.dstIP) && !clusterIPService) {
    return { kind: 'unallocated', action: mode === 'nftables' ? 'drop' : 'no-rule' };
  }
  return null;
}

function matchNodePort(
  state: ClusterState,
  packet: ServicePacket,
  ctx: ServicePacketContext,
): ServiceMatch | null {
  const index = clusterIndex(state);
  let handlingNode = index.nodesByIP.get(packet.dstIP);
  // Localhost NodePorts (route_localnet) exist only in iptables mode for IPv4
  // (kube-proxy --iptables-localhost-nodeports: "never allowed with other proxy modes").
  if (
    !handlingNode &&
    packet.dstIP === LOCALHOST &&
    ctx.origin === 'node' &&
    state.config.kubeProxy.mode === 'iptables'
  ) {
    handlingNode = ctx.node;
  }
  if (!handlingNode) return null;
  const service = index.servicesByNodePort.get(`${packet.protocol}/${packet.dstPort}`);
  if (!service || !hasProxyRules(service)) return null;
  const servicePort = service.ports.find(
    (p) => p.nodePort === packet.dstPort && p.protocol === packet.protocol,
  );
  if (!servicePort) return null;
  return { kind: 'service', service, servicePort, vip: 'NodePort', handlingNode };
}

function findPort(service: Service, packet: ServicePacket): ServicePort | undefined {
  return service.ports.find((p) => p.port === packet.dstPort && p.protocol === packet.protocol);
}

/** kube-proxy skips headless and ExternalName services (TestBuildServiceMapServiceHeadless / …TypeExternalName). */
export function hasProxyRules(service: Service): boolean {
  return service.type !== 'ExternalName' && !!service.clusterIP && service.clusterIP !== 'None';
}
