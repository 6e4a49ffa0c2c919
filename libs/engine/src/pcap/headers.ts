/**
 * Protocol headers as they appear on the wire, with real checksums: Ethernet II, IPv4 (RFC 791),
 * UDP (RFC 768), TCP (RFC 793), VXLAN (RFC 7348).
 */
import { concatBytes, ipv4Bytes, u16, u32 } from './bytes';
import { internetChecksum, transportChecksum } from './checksum';

export const ETHERTYPE_IPV4 = 0x0800;
export const IP_PROTO = { IPIP: 4, TCP: 6, UDP: 17 } as const;
/** The port the Linux kernel and flannel use for VXLAN (not IANA's 4789). */
export const VXLAN_PORT = 8472;

export function ethernetFrame(
  dstMac: Uint8Array,
  srcMac: Uint8Array,
  payload: Uint8Array,
): Uint8Array {
  return concatBytes(dstMac, srcMac, u16(ETHERTYPE_IPV4), payload);
}

export interface Ipv4Fields {
  src: string;
  dst: string;
  protocol: number;
  id: number;
  ttl: number;
}

/** A 20-byte IPv4 header (no options, DF set as Linux does for TCP and most UDP) followed by the payload. */
export function ipv4Packet(fields: Ipv4Fields, payload: Uint8Array): Uint8Array {
  const header = concatBytes(
    Uint8Array.of(0x45, 0x00),
    u16(20 + payload.length),
    u16(fields.id & 0xffff),
    u16(0x4000),
    Uint8Array.of(fields.ttl & 0xff, fields.protocol),
    u16(0),
    ipv4Bytes(fields.src),
    ipv4Bytes(fields.dst),
  );
  header.set(u16(internetChecksum(header)), 10);
  return concatBytes(header, payload);
}

export function udpDatagram(
  src: string,
  dst: string,
  srcPort: number,
  dstPort: number,
  payload: Uint8Array,
): Uint8Array {
  const datagram = concatBytes(
    u16(srcPort),
    u16(dstPort),
    u16(8 + payload.length),
    u16(0),
    payload,
  );
  datagram.set(u16(transportChecksum(ipv4Bytes(src), ipv4Bytes(dst), IP_PROTO.UDP, datagram)), 6);
  return datagram;
}

export const TCP_FLAGS = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10 } as const;

export interface TcpFields {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  /** Maximum segment size option, sent on SYN and SYN-ACK. */
  mss?: number;
}

export function tcpSegment(
  src: string,
  dst: string,
  fields: TcpFields,
  payload: Uint8Array,
): Uint8Array {
  const options =
    fields.mss === undefined
      ? new Uint8Array(0)
      : concatBytes(Uint8Array.of(2, 4), u16(fields.mss));
  const headerLength = 20 + options.length;
  const segment = concatBytes(
    u16(fields.srcPort),
    u16(fields.dstPort),
    u32(fields.seq >>> 0),
    u32(fields.ack >>> 0),
    Uint8Array.of((headerLength / 4) << 4, fields.flags),
    u16(fields.window),
    u16(0),
    u16(0),
    options,
    payload,
  );
  segment.set(u16(transportChecksum(ipv4Bytes(src), ipv4Bytes(dst), IP_PROTO.TCP, segment)), 16);
  return segment;
}

/** The 8-byte VXLAN header: flags with the I bit (VNI valid), 24-bit VNI. */
export function vxlanHeader(vni: number): Uint8Array {
  return concatBytes(Uint8Array.of(0x08, 0, 0, 0), u32((vni & 0xffffff) << 8));
}
