import type { HopDraft } from '../trace/hop-draft';
import type { DropReason, Packet } from '../trace/trace-types';

/** How a walk along the network ended. */
export type PathOutcome =
  { kind: 'arrived' } | { kind: 'dropped'; dropReason: DropReason; reason: string };

export interface PathResult {
  hops: HopDraft[];
  outcome: PathOutcome;
  /** The packet as it reached the end of the walk (after any SNAT). */
  packet: Packet;
  /** The source address MASQUERADE/SNAT chose on the way, if any. */
  snatIP?: string;
  notes: string[];
}
