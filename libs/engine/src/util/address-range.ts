import { intToIp, ipToInt, isIPv4, parseCidr } from './ip';

/** An inclusive IPv4 range as integers; MetalLB pools, kube-vip ranges and OpenELB Eips use both notations. */
export interface AddressRange {
  first: number;
  last: number;
  text: string;
}

/** `192.168.10.0/24`, `192.168.10.240-192.168.10.250` or a single address. Null when it is neither (IPv6 is not simulated). */
export function parseAddressRange(text: string): AddressRange | null {
  const trimmed = text.trim();
  if (trimmed.includes('-')) {
    const [a, b] = trimmed.split('-').map((s) => s.trim());
    if (!isIPv4(a) || !isIPv4(b) || ipToInt(a) > ipToInt(b)) return null;
    return { first: ipToInt(a), last: ipToInt(b), text: trimmed };
  }
  if (isIPv4(trimmed)) return { first: ipToInt(trimmed), last: ipToInt(trimmed), text: trimmed };
  const cidr = parseCidr(trimmed);
  if (!cidr) return null;
  const size = 2 ** (32 - cidr.prefix);
  return { first: cidr.base, last: cidr.base + size - 1, text: trimmed };
}

export function rangeContains(range: AddressRange, ip: string): boolean {
  if (!isIPv4(ip)) return false;
  const n = ipToInt(ip);
  return n >= range.first && n <= range.last;
}

/** Every address of the range in order, stopping early when `visit` returns true. Returns the address it stopped on. */
export function findInRange(range: AddressRange, visit: (ip: string) => boolean): string | null {
  for (let n = range.first; n <= range.last; n++) {
    const ip = intToIp(n);
    if (visit(ip)) return ip;
  }
  return null;
}

/** MetalLB `avoidBuggyIPs`: .0 and .255 confuse smurf protection on some CPE firmware (allocator.go ipConfusesBuggyFirmwares). */
export function isBuggyIP(ip: string): boolean {
  const last = ip.split('.')[3];
  return last === '0' || last === '255';
}
