/**
 * Frames of the lookup: for every query the resolver sent (in order), the query as it leaves the
 * client pod (to the nameserver, usually the kube-dns ClusterIP), the query after kube-proxy's DNAT
 * (to the CoreDNS pod), CoreDNS's response, and the response after conntrack's reverse NAT as the
 * pod receives it. A timed-out query has no response frames. The CoreDNS pod's side of the path
 * (other node, underlay) is not drawn for DNS.
 */
import type { DnsQueryRecord, Hop, Packet } from '../trace/trace-types';
import { fnv32a } from '../util/hash';
import { encodeDnsQuery, encodeDnsResponse } from './dns-wire';
import { IP_PROTO, udpDatagram } from './headers';
import type { TransportBody } from './frame';
import { dnsPhaseLength, INITIAL_TTL } from './capture-points';

export interface PlannedFrame {
  packet: Packet;
  body: TransportBody;
  ipId: number;
  ttl: number;
  outerIpId: number;
}

function reversed(packet: Packet): Packet {
  return { protocol: packet.protocol, src: packet.dst, dst: packet.src };
}

function udpBody(payload: Uint8Array): TransportBody {
  return {
    protocol: IP_PROTO.UDP,
    build: (p) => udpDatagram(p.src.ip, p.dst.ip, p.src.port ?? 0, p.dst.port ?? 0, payload),
  };
}

export function dnsFrames(queries: DnsQueryRecord[], hops: Hop[]): PlannedFrame[] {
  const phase = hops.slice(0, dnsPhaseLength(hops));
  const resolver = phase.find((h) => h.component === 'resolver');
  if (!resolver) return [];
  const dnat = phase.find((h) => h.component === 'kube-proxy' && h.packet.protocol === 'UDP');
  const servers = phase.filter((h) => h.component === 'coredns' || h.component === 'upstream-dns');
  const sent = resolver.packet;
  const received = dnat?.packet ?? sent;
  return queries.flatMap((query, i) => {
    const seq = servers[i]?.seq ?? resolver.seq + i;
    const id = fnv32a(`dns ${i} ${query.name} ${query.type}`) & 0xffff;
    const ask = udpBody(encodeDnsQuery(id, query));
    const frames: PlannedFrame[] = [frame(sent, ask, seq << 8)];
    if (dnat) frames.push(frame(received, ask, seq << 8));
    const response = encodeDnsResponse(id, query);
    if (!response) return frames;
    const answer = udpBody(response);
    frames.push(frame(reversed(received), answer, (seq << 8) | 1));
    if (dnat) frames.push(frame(reversed(sent), answer, (seq << 8) | 1));
    return frames;
  });
}

function frame(packet: Packet, body: TransportBody, ipId: number): PlannedFrame {
  return { packet, body, ipId, ttl: INITIAL_TTL, outerIpId: ipId };
}
