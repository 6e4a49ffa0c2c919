import type { Hop, Packet } from './trace-types';

/** A hop before the tracer numbers it and sets its direction. */
export type HopDraft = Omit<Hop, 'seq' | 'direction'>;

/** Packets are copied into every hop, so later rewrites (DNAT, SNAT, encapsulation) never alter earlier hops. */
export function clonePacket(packet: Packet): Packet {
  const copy: Packet = {
    protocol: packet.protocol,
    src: { ...packet.src },
    dst: { ...packet.dst },
  };
  if (packet.outer) copy.outer = { ...packet.outer };
  return copy;
}

export function hop(draft: Omit<HopDraft, 'packet'> & { packet: Packet }): HopDraft {
  const out: HopDraft = { ...draft, packet: clonePacket(draft.packet) };
  if (out.interface === undefined) delete out.interface;
  if (out.details === undefined) delete out.details;
  return out;
}
