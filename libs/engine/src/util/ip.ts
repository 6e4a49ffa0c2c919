import ipaddr from 'ipaddr.js';

/** IPv4 helpers on unsigned 32-bit integers: the hot paths (IPAM, CIDR checks) stay allocation-free. */
export interface Cidr {
  base: number;
  prefix: number;
  /** Number of addresses in the block. */
  size: number;
}

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const DOTTED_QUAD = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/**
 * Strict dotted quad (`10.96.0.1`; no leading zeros, no shorthand), as Kubernetes validates IPs.
 * A regex rather than ipaddr.js: resolvers call this on every host name, and ipaddr's parse is
 * far slower on strings that are not addresses.
 */
export function isIPv4(text: string): boolean {
  return DOTTED_QUAD.test(text);
}

export function isIP(text: string): boolean {
  return ipaddr.isValid(text) && (isIPv4(text) || ipaddr.IPv6.isValid(text));
}

export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  return ((+parts[0] << 24) | (+parts[1] << 16) | (+parts[2] << 8) | +parts[3]) >>> 0;
}

export function intToIp(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** Parses `a.b.c.d/n`; returns null for anything else (including IPv6, reported by the caller). */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const ip = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!isIPv4(ip) || !/^\d{1,2}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (prefix > 32) return null;
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return { base: (ipToInt(ip) & mask) >>> 0, prefix, size: 2 ** (32 - prefix) };
}

/**
 * The address family of a CIDR the API server accepts in a field that takes both families
 * (NetworkPolicy `ipBlock`, admin policy `networks`): `a.b.c.d/n` or an IPv6 CIDR; null for
 * anything else.
 */
export function cidrFamily(text: string): 'IPv4' | 'IPv6' | null {
  if (parseCidr(text)) return 'IPv4';
  if (!text.includes(':')) return null;
  try {
    return ipaddr.parseCIDR(text)[0].kind() === 'ipv6' ? 'IPv6' : null;
  } catch {
    return null;
  }
}

/**
 * `inner` lies inside `outer` and is smaller (longer prefix), both of one family: the rule
 * ValidateIPBlock applies to `except` (`cidrIPNet.Contains(exceptIP) && cidrMaskLen < exceptMaskLen`).
 */
export function isStrictSubnet(inner: string, outer: string): boolean {
  const family = cidrFamily(outer);
  if (!family || cidrFamily(inner) !== family) return false;
  const [innerAddr, innerBits] = ipaddr.parseCIDR(inner);
  const [outerAddr, outerBits] = ipaddr.parseCIDR(outer);
  return innerBits > outerBits && innerAddr.match(outerAddr, outerBits);
}

export function isCidr(text: string): boolean {
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}

export function cidrContains(cidr: Cidr, ip: string | number): boolean {
  const n = typeof ip === 'number' ? ip : ipToInt(ip);
  return n - cidr.base >= 0 && n - cidr.base < cidr.size;
}

export function formatCidr(cidr: Cidr): string {
  return `${intToIp(cidr.base)}/${cidr.prefix}`;
}

/** The `index`-th subnet of size /newPrefix inside `cidr` (node pod ranges carved from the cluster pod CIDR). */
export function subnet(cidr: Cidr, newPrefix: number, index: number): Cidr | null {
  const size = 2 ** (32 - newPrefix);
  const base = cidr.base + index * size;
  if (newPrefix < cidr.prefix || base + size > cidr.base + cidr.size) return null;
  return { base, prefix: newPrefix, size };
}

/** `10.244.1.7` → `7.1.244.10.in-addr.arpa` */
export function reverseName(ip: string): string {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const bytes = ipaddr.IPv6.parse(ip).toByteArray();
  const nibbles = bytes.flatMap((b) => [(b >> 4).toString(16), (b & 15).toString(16)]);
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
}

/** Parses a reverse name back to an IPv4 address, or null. */
export function ipFromReverseName(name: string): string | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa\.?$/i.exec(name);
  if (!m) return null;
  const ip = `${m[4]}.${m[3]}.${m[2]}.${m[1]}`;
  return isIPv4(ip) ? ip : null;
}
