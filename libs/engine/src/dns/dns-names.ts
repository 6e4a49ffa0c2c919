/**
 * Name handling shared by the resolver and the servers. DNS names compare case-insensitively
 * (RFC 4343) and a trailing dot only marks a name as absolute, so every lookup works on the
 * lower-cased name without its final dot.
 */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

export function isSubdomainOf(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** The labels of `name` left of `zone` (`a.b.cluster.local`, `cluster.local` → `['a', 'b']`); null when outside the zone. */
export function labelsBelow(name: string, zone: string): string[] | null {
  if (name === zone) return [];
  if (!name.endsWith(`.${zone}`)) return null;
  return name.slice(0, -(zone.length + 1)).split('.');
}

/**
 * The name CoreDNS gives an endpoint without a hostname: its address with `.` (or `:`) replaced by
 * `-` (coredns plugin/kubernetes/kubernetes.go endpointHostname).
 */
export function dashedAddress(ip: string): string {
  return ip.includes('.') ? ip.replace(/\./g, '-') : ip.replace(/:/g, '-');
}

export function countDots(name: string): number {
  let dots = 0;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) === 46) dots++;
  return dots;
}

export function serviceFqdn(service: string, namespace: string, zone: string): string {
  return `${service}.${namespace}.svc.${zone}`;
}
