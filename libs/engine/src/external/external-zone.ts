import type { UpstreamRecord } from '../model/cluster-config';
import type { ClusterState } from '../model/cluster-state';
import type { Service } from '../model/resources';
import { publishedIngressStatus } from '../ingress/ingress-status';
import { readIngressObjects } from '../ingress/read-ingress';

/** ExternalDNS's source annotation (kubernetes-sigs/external-dns docs/annotations). */
export const EXTERNAL_DNS_HOSTNAME = 'external-dns.alpha.kubernetes.io/hostname';
const EXTERNAL_DNS_TTL = 'external-dns.alpha.kubernetes.io/ttl';
const DEFAULT_TTL = 300;

/**
 * The public zone outside the cluster: the Cluster doc's `spec.externalDNS` records plus what
 * ExternalDNS publishes from annotated LoadBalancer Services and Ingresses (A records for IP
 * ingress, CNAME for hostname ingress). Names are published only once an address exists, as
 * ExternalDNS skips endpoints without targets.
 */
export function externalZoneRecords(state: ClusterState): UpstreamRecord[] {
  const records: UpstreamRecord[] = [...(state.config.externalZone ?? [])];
  for (const svc of state.services.values()) {
    const names = hostnames(svc.annotations[EXTERNAL_DNS_HOSTNAME]);
    if (!names.length) continue;
    records.push(
      ...recordsFor(names, targetsOf(state, svc), ttlOf(svc.annotations[EXTERNAL_DNS_TTL])),
    );
  }
  // Reconcile already wrote each Ingress's address into its status (ingress-status.ts).
  const statusOf = new Map(
    state.objects
      .filter((o) => o.kind === 'Ingress')
      .map((o) => [`${o.namespace ?? 'default'}/${o.name}`, o]),
  );
  for (const ingress of readIngressObjects(state.objects).ingresses) {
    const annotated = hostnames(ingress.annotations[EXTERNAL_DNS_HOSTNAME]);
    if (!annotated.length) continue;
    // With the annotation, the ingress source publishes the annotation's names and the rules' hosts.
    const ruleHosts = ingress.rules.map((r) => r.host).filter((h): h is string => !!h);
    const stored = statusOf.get(`${ingress.namespace}/${ingress.name}`);
    const targets = stored ? publishedIngressStatus(stored) : [];
    records.push(...recordsFor([...new Set([...annotated, ...ruleHosts])], targets, DEFAULT_TTL));
  }
  return records;
}

function targetsOf(state: ClusterState, svc: Service): { ip?: string; hostname?: string }[] {
  if (svc.type === 'LoadBalancer') return svc.loadBalancerIngress;
  // NodePort services publish the nodes' addresses (ExternalDNS service source, NodePort mode).
  if (svc.type === 'NodePort')
    return [...state.nodes.values()].filter((n) => n.ready).map((n) => ({ ip: n.ip }));
  return svc.externalIPs.map((ip) => ({ ip }));
}

function recordsFor(
  names: string[],
  targets: { ip?: string; hostname?: string }[],
  ttl: number,
): UpstreamRecord[] {
  const out: UpstreamRecord[] = [];
  for (const name of names) {
    const hostname = targets.find((t) => t.hostname)?.hostname;
    if (hostname) out.push({ name, type: 'CNAME', data: hostname, ttl });
    else for (const t of targets) if (t.ip) out.push({ name, type: 'A', data: t.ip, ttl });
  }
  return out;
}

function hostnames(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((h) => h.trim().replace(/\.$/, '').toLowerCase())
    .filter(Boolean);
}

function ttlOf(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_TTL;
}
