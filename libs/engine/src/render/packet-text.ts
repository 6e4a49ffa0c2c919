import type { Hop } from '../trace/trace-types';

export function endpointText(e: { ip: string; port?: number }): string {
  return e.port === undefined ? e.ip : `${e.ip}:${e.port}`;
}

/** `10.244.1.2:41234 → 10.96.0.10:53 UDP`, with the outer header when encapsulated. */
export function packetText(packet: Hop['packet']): string {
  const inner = `${endpointText(packet.src)} → ${endpointText(packet.dst)} ${packet.protocol}`;
  if (!packet.outer) return inner;
  return `${inner} in ${packet.outer.protocol} ${packet.outer.src} → ${packet.outer.dst}`;
}
