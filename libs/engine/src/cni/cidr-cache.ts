import { type Cidr, parseCidr } from '../util/ip';

/**
 * Parsed CIDRs by text. parseCidr validates through ipaddr.js, which is too slow to repeat on every
 * hop of every probe; the handful of distinct CIDRs in a cluster (pod, service, node ranges) are
 * parsed once.
 */
const parsed = new Map<string, Cidr | null>();

export function cidrOf(text: string): Cidr | null {
  let hit = parsed.get(text);
  if (hit === undefined) {
    hit = parseCidr(text);
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(text, hit);
  }
  return hit;
}
