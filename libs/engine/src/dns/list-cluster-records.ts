/**
 * Every record CoreDNS serves from the cluster state, for a "CoreDNS records" view. Pod names
 * (`a-b-c-d.<ns>.pod.<zone>`) are left out: with `pods insecure` they exist for any address.
 */
import type { ClusterState } from '../model/cluster-state';
import type { DnsAnswer } from '../trace/trace-types';
import { isIP, isIPv4, reverseName } from '../util/ip';
import { canonicalName, serviceFqdn } from './dns-names';
import { COREDNS_TTL, coreDnsAnswer } from './cluster-zone';
import { publishedEndpoints } from './published-endpoints';

const TYPE_ORDER = ['SOA', 'TXT', 'A', 'AAAA', 'CNAME', 'SRV', 'PTR'];

export function listClusterRecords(state: ClusterState): DnsAnswer[] {
  const zone = canonicalName(state.config.clusterDomain);
  const records: DnsAnswer[] = [...coreDnsAnswer(state, `dns-version.${zone}`, 'TXT').answers];
  const ptrs = new Set<string>();
  for (const svc of state.services.values()) {
    const fqdn = serviceFqdn(svc.name, svc.namespace, zone);
    if (svc.type === 'ExternalName') {
      records.push(...coreDnsAnswer(state, fqdn, 'CNAME').answers);
      continue;
    }
    const headless = svc.clusterIP === 'None';
    if (!headless && svc.clusterIP) {
      records.push({
        name: fqdn,
        type: isIPv4(svc.clusterIP) ? 'A' : 'AAAA',
        ttl: COREDNS_TTL,
        data: svc.clusterIP,
      });
      ptrs.add(svc.clusterIP);
      for (const port of svc.ports) {
        if (port.name)
          records.push(
            ...coreDnsAnswer(state, `_${port.name}._${port.protocol.toLowerCase()}.${fqdn}`, 'SRV')
              .answers,
          );
      }
    }
    const endpoints = publishedEndpoints(state, svc);
    for (const ep of endpoints) {
      const type = isIPv4(ep.ip) ? 'A' : 'AAAA';
      if (headless) records.push({ name: fqdn, type, ttl: COREDNS_TTL, data: ep.ip });
      // CoreDNS answers endpoint names of every Service, headless or not (kubernetes.go findServices).
      records.push({ name: `${ep.name}.${fqdn}`, type, ttl: COREDNS_TTL, data: ep.ip });
      if (isIP(ep.ip)) ptrs.add(ep.ip);
    }
    if (headless) {
      const portNames = new Set<string>();
      for (const ep of endpoints)
        for (const p of ep.ports)
          if (p.name) portNames.add(`_${p.name}._${p.protocol.toLowerCase()}`);
      for (const prefix of portNames)
        records.push(...coreDnsAnswer(state, `${prefix}.${fqdn}`, 'SRV').answers);
    }
  }
  for (const ip of ptrs) records.push(...coreDnsAnswer(state, reverseName(ip), 'PTR').answers);
  return dedupeAndSort(records);
}

function dedupeAndSort(records: DnsAnswer[]): DnsAnswer[] {
  const unique = new Map<string, DnsAnswer>();
  for (const r of records) unique.set(`${r.name}|${r.type}|${r.data}`, r);
  // The cluster zone first, then the reverse zone; inside each by name, type, data.
  return [...unique.values()].sort(
    (a, b) =>
      Number(a.type === 'PTR') - Number(b.type === 'PTR') ||
      compare(a.name, b.name) ||
      TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) ||
      compare(a.data, b.data),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
