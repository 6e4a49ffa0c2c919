/**
 * Which hops of a trace become frames in the capture. A frame is written where the packet is on
 * a wire or has just changed:
 * - the first hop of each direction after the application (the packet leaving its sender),
 * - every `pod-netns` hop (the pod's eth0: leaving or arriving at a pod over its veth),
 * - every `underlay` and `external-network` hop (the wire between nodes, or outside the cluster),
 *   in its encapsulated form when the hop carries an outer header,
 * - every hop whose addresses or ports differ from the last frame of that direction (DNAT by
 *   kube-proxy, SNAT, conntrack's reverse NAT on the reply).
 * Hops inside one node's stack that leave the packet as it was (veth, bridge, route, vxlan
 * encapsulation before the wire) add no frame.
 */
import type { Hop, HopComponent, Packet } from '../trace/trace-types';

export interface CapturePoint {
  hop: Hop;
  /** IPv4 TTL at this point: 64 from the sender, minus one per node that routed the packet so far. */
  ttl: number;
}

const DNS_COMPONENTS: HopComponent[] = ['resolver', 'coredns', 'upstream-dns'];
const WIRE_COMPONENTS: HopComponent[] = ['pod-netns', 'underlay', 'external-network'];
export const INITIAL_TTL = 64;

/** The hops of the lookup (resolver, kube-proxy's DNAT of the query, the DNS servers) come first. */
export function dnsPhaseLength(hops: Hop[]): number {
  let last = -1;
  hops.forEach((hop, i) => {
    if (DNS_COMPONENTS.includes(hop.component)) last = i;
  });
  return last + 1;
}

function tupleKey(packet: Packet): string {
  return `${packet.protocol} ${packet.src.ip}:${packet.src.port ?? ''} ${packet.dst.ip}:${packet.dst.port ?? ''}`;
}

/** Capture points of the connection (after the lookup), per direction in path order. */
export function connectionCapturePoints(hops: Hop[]): {
  request: CapturePoint[];
  reply: CapturePoint[];
} {
  const connection = hops.slice(dnsPhaseLength(hops));
  return {
    request: pointsOf(connection.filter((h) => h.direction === 'request')),
    reply: pointsOf(connection.filter((h) => h.direction === 'reply')),
  };
}

function pointsOf(hops: Hop[]): CapturePoint[] {
  const points: CapturePoint[] = [];
  let lastKey: string | null = null;
  let routed = 0;
  for (const hop of hops) {
    if (hop.component === 'application') continue;
    if (hop.component === 'route') routed++;
    const key = tupleKey(hop.packet);
    if (lastKey === null || key !== lastKey || WIRE_COMPONENTS.includes(hop.component)) {
      points.push({ hop, ttl: Math.max(1, INITIAL_TTL - routed) });
    }
    lastKey = key;
  }
  return points;
}
