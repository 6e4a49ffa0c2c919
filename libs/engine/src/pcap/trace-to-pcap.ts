/**
 * A trace as a classic libpcap capture that Wireshark and tshark open: the DNS lookup, then the
 * connection's packets at every capture point of its path (see capture-points.ts), in time order.
 * Everything synthetic is deterministic: timestamps start at SYNTHETIC_EPOCH_SECONDS and advance
 * 1 ms per frame, MACs derive from IPs, IP IDs from hop numbers, TCP sequence numbers from hashes.
 */
import type { DnsTrace, Hop, Packet, ProbeTrace } from '../trace/trace-types';
import { connectionCapturePoints, INITIAL_TTL, type CapturePoint } from './capture-points';
import { dnsFrames, type PlannedFrame } from './dns-frames';
import { buildFrame, type TransportBody } from './frame';
import { IP_PROTO, udpDatagram } from './headers';
import { pcapFile } from './pcap-file';
import { httpRequest, tcpConversation, type TcpOutcome, type TcpStep } from './tcp-conversation';

/** 2024-01-01T00:00:00Z: the capture's first frame. */
export const SYNTHETIC_EPOCH_SECONDS = 1_704_067_200;
export const FRAME_INTERVAL_MICROSECONDS = 1000;

export function traceToPcap(trace: ProbeTrace | DnsTrace): Uint8Array {
  const frames =
    trace.kind === 'dns'
      ? dnsFrames(trace.queries, trace.hops)
      : [...dnsFrames(trace.dns, trace.hops), ...connectionFrames(trace)];
  return pcapFile(
    frames.map((f, i) => {
      const micros = i * FRAME_INTERVAL_MICROSECONDS;
      return {
        seconds: SYNTHETIC_EPOCH_SECONDS + Math.floor(micros / 1_000_000),
        microseconds: micros % 1_000_000,
        frame: buildFrame(f.packet, f.body, f.ipId, f.ttl, f.outerIpId),
      };
    }),
  );
}

/** Number of frames in a capture made by traceToPcap (its record count). */
export function pcapFrameCount(pcap: Uint8Array): number {
  let count = 0;
  const view = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
  for (let offset = 24; offset + 16 <= pcap.length; offset += 16 + view.getUint32(offset + 8))
    count++;
  return count;
}

function connectionFrames(trace: ProbeTrace): PlannedFrame[] {
  const points = connectionCapturePoints(trace.hops);
  const first = points.request[0];
  if (!first) return [];
  const steps = conversation(trace, first.hop.packet, points.reply.length > 0);
  return steps.flatMap((step) => {
    const stepPoints =
      step.direction === 'request'
        ? points.request
        : points.reply.length
          ? points.reply
          : refusalPoint(points.request);
    const sender = stepPoints[0]?.hop.seq ?? 0;
    return stepPoints.map((point) =>
      planned(point, step.body, ((sender << 8) | step.index) & 0xffff),
    );
  });
}

function conversation(trace: ProbeTrace, client: Packet, answered: boolean): TcpStep[] {
  if (client.protocol === 'TCP') {
    const outcome: TcpOutcome =
      trace.verdict === 'delivered'
        ? 'established'
        : trace.verdict === 'refused'
          ? 'refused'
          : 'unanswered';
    const application = trace.hops.find((h) => h.component === 'application');
    return tcpConversation(client, outcome, httpRequest(application?.details));
  }
  if (client.protocol === 'UDP') {
    const steps: TcpStep[] = [{ direction: 'request', index: 0, body: emptyUdp() }];
    return trace.verdict === 'delivered' && answered
      ? [...steps, { direction: 'reply', index: 0, body: emptyUdp() }]
      : steps;
  }
  // SCTP and ICMP connections are not encoded; their DNS lookup still is.
  return [];
}

function emptyUdp(): TransportBody {
  return {
    protocol: IP_PROTO.UDP,
    build: (p) =>
      udpDatagram(p.src.ip, p.dst.ip, p.src.port ?? 0, p.dst.port ?? 0, new Uint8Array(0)),
  };
}

/** A refusal the trace does not draw as reply hops: the RST comes back from where the request ended. */
function refusalPoint(request: CapturePoint[]): CapturePoint[] {
  const last = request[request.length - 1];
  if (!last) return [];
  const hop: Hop = {
    ...last.hop,
    direction: 'reply',
    packet: {
      protocol: last.hop.packet.protocol,
      src: last.hop.packet.dst,
      dst: last.hop.packet.src,
    },
  };
  return [{ hop, ttl: INITIAL_TTL }];
}

function planned(point: CapturePoint, body: TransportBody, ipId: number): PlannedFrame {
  return {
    packet: point.hop.packet,
    body,
    ipId,
    ttl: point.ttl,
    outerIpId: ((point.hop.seq << 8) | (ipId & 0xff)) & 0xffff,
  };
}
