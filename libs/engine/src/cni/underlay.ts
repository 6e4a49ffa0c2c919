import { derivedPerVersion } from '../model/derived';
import type { ClusterState } from '../model/cluster-state';
import type { Node } from '../model/resources';
import { type Cidr, formatCidr, intToIp, ipToInt, parseCidr } from '../util/ip';
import { cidrOf } from './cidr-cache';

/**
 * The network the nodes share. kind puts every node on one docker bridge network (172.18.0.0/16,
 * gateway 172.18.0.1); the engine models the underlay the same way: the /16 holding the node IPs
 * (or the smallest block holding them all), gateway at its first address.
 */
export interface Underlay {
  cidr: Cidr;
  text: string;
  gateway: string;
}

interface PodRangeIndex {
  underlay: Underlay;
  /** Base address of a node's pod range → node. */
  nodesByPodRange: Map<number, Node>;
  rangePrefix: number;
}

function build(state: ClusterState): PodRangeIndex {
  const ips = [...state.nodes.values()].map((n) => ipToInt(n.ip));
  let prefix = 16;
  if (ips.length) {
    const first = ips[0];
    for (const ip of ips) {
      while (prefix > 0 && (first ^ ip) >>> (32 - prefix) !== 0) prefix--;
    }
  }
  const cidr = parseCidr(`${intToIp(ips[0] ?? 0)}/${prefix}`) ?? {
    base: 0,
    prefix: 0,
    size: 2 ** 32,
  };
  const nodesByPodRange = new Map<number, Node>();
  let rangePrefix = state.config.nodeCIDRMaskSize;
  for (const node of state.nodes.values()) {
    const range = parseCidr(node.podCIDR);
    if (!range) continue;
    rangePrefix = range.prefix;
    nodesByPodRange.set(range.base, node);
  }
  return {
    underlay: { cidr, text: formatCidr(cidr), gateway: intToIp(cidr.base + 1) },
    nodesByPodRange,
    rangePrefix,
  };
}

const index = derivedPerVersion(build);

export function underlayOf(state: ClusterState): Underlay {
  return index(state).underlay;
}

/** The node whose pod range (spec.podCIDR) holds `ip`, in O(1). */
export function nodeOwningPodIP(state: ClusterState, ip: string): Node | undefined {
  const idx = index(state);
  const mask = idx.rangePrefix === 0 ? 0 : (~0 << (32 - idx.rangePrefix)) >>> 0;
  return idx.nodesByPodRange.get((ipToInt(ip) & mask) >>> 0);
}

/** First host address of a node's pod range: the bridge (cni0), ptp gateway or cilium_host address. */
export function podGatewayIP(node: Node): string {
  const range = cidrOf(node.podCIDR);
  return range ? intToIp(range.base + 1) : '';
}

/** The network address of a node's pod range: flannel gives it to `flannel.1` (e.g. 10.244.1.0/32). */
export function podRangeBaseIP(node: Node): string {
  const range = cidrOf(node.podCIDR);
  return range ? intToIp(range.base) : '';
}
