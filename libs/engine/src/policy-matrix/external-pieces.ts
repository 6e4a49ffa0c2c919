import { intToIp, parseCidr } from '../util/ip';

/** An IPv4 address range `[first, last]` outside the pods, as netpol-analyzer prints them. */
export interface AddressPiece {
  first: number;
  last: number;
  /** `0.0.0.0-9.255.255.255`. */
  range: string;
}

const ADDRESS_SPACE_END = 2 ** 32;

/**
 * Cuts the IPv4 space at every boundary of the given CIDRs, so each piece lies wholly inside or
 * wholly outside every CIDR (and every `except`): one piece then stands for all its addresses.
 * IPv6 CIDRs are skipped (the matrix models IPv4 clusters).
 */
export function cutAddressSpace(cidrs: Iterable<string>): AddressPiece[] {
  const cuts = new Set<number>([0, ADDRESS_SPACE_END]);
  for (const text of cidrs) {
    const cidr = parseCidr(text);
    if (!cidr) continue;
    cuts.add(cidr.base);
    cuts.add(cidr.base + cidr.size);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const pieces: AddressPiece[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const first = sorted[i];
    const last = sorted[i + 1] - 1;
    pieces.push({ first, last, range: `${intToIp(first)}-${intToIp(last)}` });
  }
  return pieces;
}

/** True when the whole piece lies inside `cidr` (pieces never straddle a cut CIDR). */
export function pieceInside(piece: AddressPiece, cidrText: string): boolean {
  const cidr = parseCidr(cidrText);
  return !!cidr && piece.first >= cidr.base && piece.last < cidr.base + cidr.size;
}
