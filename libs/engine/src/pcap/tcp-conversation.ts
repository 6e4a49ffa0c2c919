/**
 * The TCP segments of one connection as wget makes it: SYN, SYN-ACK, ACK, the HTTP request in one
 * PSH/ACK segment, and the server's ACK of it. No HTTP response: the engine follows the request,
 * not what the server answers. A connection that is refused ends with the server's RST/ACK; one
 * that is dropped or times out shows only the SYN.
 */
import { asciiBytes } from './bytes';
import { fnv32a } from '../util/hash';
import type { Packet } from '../trace/trace-types';
import { IP_PROTO, TCP_FLAGS, tcpSegment, type TcpFields } from './headers';
import type { TransportBody } from './frame';

export interface TcpStep {
  direction: 'request' | 'reply';
  body: TransportBody;
  /** Distinguishes the packets of one direction in the IP ID. */
  index: number;
}

/** Linux's default MSS on a 1500-byte MTU and the window wget's first segments advertise (a RST advertises 0). */
const MSS = 1460;
const WINDOW = 64240;

function segment(
  fields: Omit<TcpFields, 'srcPort' | 'dstPort' | 'window'>,
  payload: Uint8Array = new Uint8Array(0),
): TransportBody {
  return {
    protocol: IP_PROTO.TCP,
    build: (packet: Packet) =>
      tcpSegment(
        packet.src.ip,
        packet.dst.ip,
        {
          ...fields,
          srcPort: packet.src.port ?? 0,
          dstPort: packet.dst.port ?? 0,
          window: fields.flags & TCP_FLAGS.RST ? 0 : WINDOW,
        },
        payload,
      ),
  };
}

/** `GET / HTTP/1.1\r\nHost: …\r\nUser-Agent: Wget\r\n\r\n`, or nothing when the probe is not HTTP. */
export function httpRequest(details: Record<string, unknown> | undefined): Uint8Array {
  const requestLine = details?.requestLine;
  const host = details?.host;
  if (typeof requestLine !== 'string') return new Uint8Array(0);
  const hostLine = typeof host === 'string' ? `Host: ${host}\r\n` : '';
  return asciiBytes(`${requestLine}\r\n${hostLine}User-Agent: Wget\r\n\r\n`);
}

export type TcpOutcome = 'established' | 'refused' | 'unanswered';

/** Initial sequence numbers are hashes of the endpoints, so the capture is the same on every run. */
export function tcpConversation(
  client: Packet,
  outcome: TcpOutcome,
  request: Uint8Array,
): TcpStep[] {
  const clientIsn = fnv32a(`isn ${client.src.ip}:${client.src.port ?? 0}`);
  const serverIsn = fnv32a(`isn ${client.dst.ip}:${client.dst.port ?? 0}`);
  const syn: TcpStep = {
    direction: 'request',
    index: 0,
    body: segment({ seq: clientIsn, ack: 0, flags: TCP_FLAGS.SYN, mss: MSS }),
  };
  if (outcome === 'unanswered') return [syn];
  if (outcome === 'refused') {
    return [
      syn,
      {
        direction: 'reply',
        index: 0,
        body: segment({ seq: 0, ack: clientIsn + 1, flags: TCP_FLAGS.RST | TCP_FLAGS.ACK }),
      },
    ];
  }
  const steps: TcpStep[] = [
    syn,
    {
      direction: 'reply',
      index: 0,
      body: segment({
        seq: serverIsn,
        ack: clientIsn + 1,
        flags: TCP_FLAGS.SYN | TCP_FLAGS.ACK,
        mss: MSS,
      }),
    },
    {
      direction: 'request',
      index: 1,
      body: segment({ seq: clientIsn + 1, ack: serverIsn + 1, flags: TCP_FLAGS.ACK }),
    },
  ];
  if (request.length === 0) return steps;
  return [
    ...steps,
    {
      direction: 'request',
      index: 2,
      body: segment(
        { seq: clientIsn + 1, ack: serverIsn + 1, flags: TCP_FLAGS.PSH | TCP_FLAGS.ACK },
        request,
      ),
    },
    {
      direction: 'reply',
      index: 1,
      body: segment({
        seq: serverIsn + 1,
        ack: clientIsn + 1 + request.length,
        flags: TCP_FLAGS.ACK,
      }),
    },
  ];
}
