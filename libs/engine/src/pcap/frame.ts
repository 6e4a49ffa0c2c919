/**
 * One Ethernet frame for a packet at a capture point: the inner IPv4 packet, wrapped in VXLAN
 * (outer Ethernet/IPv4/UDP 8472/VXLAN/inner Ethernet) or IPIP (outer IPv4 protocol 4) when the hop
 * carries an outer header.
 */
import type { Packet } from '../trace/trace-types';
import { fnv32a } from '../util/hash';
import { concatBytes } from './bytes';
import {
  ethernetFrame,
  IP_PROTO,
  ipv4Packet,
  udpDatagram,
  VXLAN_PORT,
  vxlanHeader,
} from './headers';
import { nodeMac, podMac } from './mac-address';
import { INITIAL_TTL } from './capture-points';

/** The transport part (TCP segment or UDP datagram), built for the addresses it travels with. */
export interface TransportBody {
  protocol: number;
  build: (packet: Packet) => Uint8Array;
}

/** VNI flannel's VXLAN backend uses by default (flannel `VNI` setting, default 1). */
export const DEFAULT_VNI = 1;

export function buildFrame(
  packet: Packet,
  body: TransportBody,
  ipId: number,
  ttl: number,
  outerIpId: number,
): Uint8Array {
  const inner = ipv4Packet(
    { src: packet.src.ip, dst: packet.dst.ip, protocol: body.protocol, id: ipId, ttl },
    body.build(packet),
  );
  const outer = packet.outer;
  if (!outer) return ethernetFrame(podMac(packet.dst.ip), podMac(packet.src.ip), inner);
  const outerIp = { src: outer.src, dst: outer.dst, id: outerIpId, ttl: INITIAL_TTL };
  if (outer.protocol === 'IPIP') {
    return ethernetFrame(
      nodeMac(outer.dst),
      nodeMac(outer.src),
      ipv4Packet({ ...outerIp, protocol: IP_PROTO.IPIP }, inner),
    );
  }
  const innerFrame = ethernetFrame(podMac(packet.dst.ip), podMac(packet.src.ip), inner);
  const vxlan = concatBytes(vxlanHeader(outer.vni ?? DEFAULT_VNI), innerFrame);
  const udp = udpDatagram(
    outer.src,
    outer.dst,
    vxlanSourcePort(packet),
    outer.dstPort ?? VXLAN_PORT,
    vxlan,
  );
  return ethernetFrame(
    nodeMac(outer.dst),
    nodeMac(outer.src),
    ipv4Packet({ ...outerIp, protocol: IP_PROTO.UDP }, udp),
  );
}

/**
 * Linux picks the VXLAN source port from a hash of the inner flow within the ephemeral range
 * (udp_flow_src_port), so one flow keeps one outer port; the hash here is ours.
 */
function vxlanSourcePort(packet: Packet): number {
  const low = 32768;
  const high = 60999;
  return (
    low +
    (fnv32a(`${packet.src.ip}:${packet.src.port ?? 0}>${packet.dst.ip}:${packet.dst.port ?? 0}`) %
      (high - low + 1))
  );
}
