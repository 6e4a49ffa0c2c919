import type { UpstreamRecord } from '../model/cluster-config';
import type { ClusterState } from '../model/cluster-state';
import type { Service } from '../model/resources';
import { ingressAddresses } from '../ingress/ingress-status';

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
    records.push(...recordsFor(names, targetsOf(state, svc), ttlOf(svc.annotations[EXTERNAL_DNS_TTL])));
  }
  const published = state.objects.some((o) => o.kind === 'Ingress') ? ingressAddresses(state) : new Map<string, { ip?: string; hostname?: string }[]>();
  for (const o of state.objects) {
    if (o.kind !== 'Ingress') continue;
    const metadata = asRecord(o.body.metadata);
    const annotations = asRecord(metadata.annotations);
    const rules = Array.isArray(asRecord(o.body.spec).rules) ? (asRecord(o.body.spec).rules as unknown[]) : [];
    const annotated = hostnames(typeof annotations[EXTERNAL_DNS_HOSTNAME] === 'string' ? (annotations[EXTERNAL_DNS_HOSTNAME] as string) : undefined);
    // With the annotation, the ingress source publishes the annotation's names and the rules' hosts.
    const ruleHosts = rules.map((r) => asRecord(r).host).filter((h): h is string => typeof h === 'string');
    if (!annotated.length) continue;
    // The controller's published address (ingress-status.ts), else a status written in the input.
    const written = asRecord(asRecord(o.body.status).loadBalancer).ingress;
    const fromInput = Array.isArray(written) ? written.map((i) => ({ ip: asRecord(i).ip as string | undefined, hostname: asRecord(i).hostname as string | undefined })) : [];
    const targets = published.get(`${o.namespace ?? 'default'}/${o.name}`) ?? fromInput;
    records.push(...recordsFor([...new Set([...annotated, ...ruleHosts])], targets, DEFAULT_TTL));
  }
  return records;
}

function targetsOf(state: ClusterState, svc: Service): { ip?: string; hostname?: string }[] {
  if (svc.type === 'LoadBalancer') return svc.loadBalancerIngress;
  // NodePort services publish the nodes' addresses (ExternalDNS service source, NodePort mode).
  if (svc.type === 'NodePort') return [...state.nodes.values()].filter((n) => n.ready).map((n) => ({ ip: n.ip }));
  return svc.externalIPs.map((ip) => ({ ip }));
}

function recordsFor(names: string[], targets: { ip?: string; hostname?: string }[], ttl: number): UpstreamRecord[] {
  const out: UpstreamRecord[] = [];
  for (const name of names) {
    const hostname = targets.find((t) => t.hostname)?.hostname;
    if (hostname) out.push({ name, type: 'CNAME', data: hostname, ttl });
    else for (const t of targets) if (t.ip) out.push({ name, type: 'A', data: t.ip, ttl });
  }
  return out;
}

function hostnames(value: string | undefined): string[] {
  return (value ?? '').split(',').map((h) => h.trim().replace(/\.$/, '').toLowerCase()).filter(Boolean);
}

function ttlOf(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_TTL;
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
