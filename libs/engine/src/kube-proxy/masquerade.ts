import type { ClusterState } from '../model/cluster-state';
import type { Node, Service } from '../model/resources';
import { cidrContains, intToIp, parseCidr } from '../util/ip';
import type { ServiceEndpoint } from './endpoints';
import type { VipKind } from './service-match';

export interface MasqueradeInput {
  vip: VipKind;
  service: Service;
  srcIP: string;
  endpoint: ServiceEndpoint;
  /** The node whose kube-proxy handles the packet (and where it leaves for the endpoint). */
  node: Node;
}

export interface MasqueradeDecision {
  masquerade: boolean;
  /** Why, in the words of the rule that marked (or would have marked) the packet. */
  reason: string;
  /** The source address MASQUERADE picks in KUBE-POSTROUTING, when masquerading. */
  snatIP?: string;
  notes: string[];
}

const LOCALHOST = '127.0.0.1';

/** Whether the address is one the node owns (`-m addrtype --src-type LOCAL` / `fib saddr type local`). */
export function isNodeLocalAddress(node: Node, ip: string): boolean {
  return ip === node.ip || ip === LOCALHOST;
}

/**
 * Whether kube-proxy marks the packet 0x4000 for masquerade (the table in semantics §4.3, as the
 * packetFlowTest cases in pkg/proxy/{iptables,nftables}/proxier_test.go check it):
 *  - hairpin (source is the chosen endpoint): KUBE-SEP `-s <epIP> -j KUBE-MARK-MASQ`;
 *  - ClusterIP: only from outside the cluster CIDR (`! -s <clusterCIDR> -j KUBE-MARK-MASQ`);
 *  - NodePort / LoadBalancer / externalIP with eTP=Cluster: always (KUBE-EXT `-j KUBE-MARK-MASQ`);
 *  - with eTP=Local: pods short-circuit to the cluster chain unmasqueraded, the node itself is
 *    masqueraded, external clients keep their address.
 */
export function masqueradeDecision(
  state: ClusterState,
  input: MasqueradeInput,
): MasqueradeDecision {
  const { vip, service, srcIP, endpoint, node } = input;
  const podCidr = parseCidr(state.config.podCIDR);
  const fromPodCidr = podCidr !== null && cidrContains(podCidr, srcIP);
  const masq = (reason: string): MasqueradeDecision => ({
    masquerade: true,
    reason,
    ...snatAddress(state, node, endpoint),
  });
  const keep = (reason: string): MasqueradeDecision => ({ masquerade: false, reason, notes: [] });

  if (srcIP === endpoint.ip)
    return masq(
      'hairpin: the endpoint reached its own service, so the reply must come back through this node',
    );
  if (vip === 'ClusterIP') {
    return fromPodCidr
      ? keep('pod traffic to a ClusterIP keeps its source address')
      : masq(
          `source ${srcIP} is outside the cluster CIDR ${state.config.podCIDR} (! -s ${state.config.podCIDR} -j KUBE-MARK-MASQ)`,
        );
  }
  if (service.externalTrafficPolicy === 'Cluster')
    return masq(
      `externalTrafficPolicy Cluster: traffic to the ${vip} may cross nodes, so it is masqueraded`,
    );
  // IPVS: the Local sets (KUBE-NODE-PORT-LOCAL-*, KUBE-LOAD-BALANCER-LOCAL) RETURN before the
  // masquerade mark, whoever sends, and externalIPs with eTP=Local are only accepted.
  if (state.config.kubeProxy.mode === 'ipvs')
    return keep(
      'externalTrafficPolicy Local: IPVS mode returns from the Local set before marking, so no source is masqueraded',
    );
  if (fromPodCidr)
    return keep(
      'externalTrafficPolicy Local: pod traffic short-circuits to the cluster endpoints without masquerade',
    );
  if (isNodeLocalAddress(node, srcIP))
    return masq(
      'externalTrafficPolicy Local: traffic from the node itself is masqueraded and sent to any endpoint',
    );
  return keep(
    'externalTrafficPolicy Local: the client address is preserved (only node-local endpoints are used)',
  );
}

/**
 * The address MASQUERADE gives the packet: the primary address of the interface it leaves by.
 * To an endpoint on this node that is the pod-network side of the node: kindnet's ptp veths and
 * flannel's cni0 bridge carry the gateway `.1` of the node's pod range (host-local's default
 * gateway), which is the source a hairpinned pod sees in kind. Towards another node it is the node
 * IP on routed networks (kindnet, calico BGP, cilium native), the tunnel device's address on
 * overlays (flannel.1 holds the `.0` of the node's range).
 */
export function snatAddress(
  state: ClusterState,
  node: Node,
  endpoint: ServiceEndpoint,
): { snatIP: string; notes: string[] } {
  const { plugin, mode } = state.config.cni;
  const range = parseCidr(node.podCIDR);
  const sameNode = endpoint.nodeName === node.name;
  if (sameNode) {
    if (range && (plugin === 'kindnet' || plugin === 'flannel'))
      return { snatIP: intToIp(range.base + 1), notes: [] };
    return {
      snatIP: node.ip,
      notes: [
        `${plugin}: host-side veths carry no address, so the engine uses the node IP as the masquerade source for a same-node endpoint.`,
      ],
    };
  }
  if (range && plugin === 'flannel' && mode === 'vxlan')
    return { snatIP: intToIp(range.base), notes: [] };
  if (range && plugin === 'calico' && (mode === 'ipip' || mode === 'vxlan')) {
    return {
      snatIP: intToIp(range.base),
      notes: [
        "calico: the tunnel device address comes from the node's IPAM block; the engine assumes its first address.",
      ],
    };
  }
  return { snatIP: node.ip, notes: [] };
}
