/**
 * CoreDNS as kubeadm configures it:
 *
 *   kubernetes cluster.local in-addr.arpa ip6.arpa { pods insecure; fallthrough in-addr.arpa ip6.arpa; ttl 30 }
 *   forward . /etc/resolv.conf
 *   cache 30
 *   loadbalance
 *
 * Names follow the Kubernetes DNS spec v1.1.0 (kubernetes/dns docs/specification.md) as the
 * `kubernetes` plugin implements it (coredns plugin/kubernetes: parse.go, kubernetes.go, reverse.go).
 * `cache` changes no answer here, and `loadbalance` (which rotates A records per reply) is left
 * out so answers stay in a stable order.
 */
import type { ClusterState } from '../model/cluster-state';
import type { DnsAnswer, DnsRecordType, Rcode } from '../trace/trace-types';
import { ipFromReverseName, isIPv4 } from '../util/ip';
import { canonicalName, isSubdomainOf, labelsBelow } from './dns-names';
import { ptrTargets } from './published-endpoints';
import { findZoneItems, type ZoneItem } from './zone-items';
import { upstreamAnswer } from './upstream';

export interface ZoneAnswer {
  rcode: Rcode;
  answers: DnsAnswer[];
  /** Which part of CoreDNS answered: the cluster zone, the reverse zones, or `forward` to upstream. */
  authority: 'cluster' | 'upstream' | 'reverse';
  /** The additional section (A/AAAA of SRV targets), as CoreDNS sends it. */
  additional?: DnsAnswer[];
  note?: string;
}

/** `ttl 30` in kubeadm's Corefile (the plugin's own default is 5). */
export const COREDNS_TTL = 30;
/** The schema-version record's TTL (coredns plugin/kubernetes/kubernetes.go). */
const DNS_VERSION_TTL = 28800;
const DNS_SCHEMA_VERSION = '1.1.0';
/** CoreDNS stops following CNAMEs after this many (backend_lookup.go: `len(previousRecords) > 7`). */
const MAX_CNAME_DEPTH = 8;

/** What CoreDNS answers for one question. Case-insensitive; a trailing dot is accepted. */
export function coreDnsAnswer(
  state: ClusterState,
  qname: string,
  qtype: DnsRecordType,
): ZoneAnswer {
  return answer(state, canonicalName(qname), qtype, 0);
}

function answer(
  state: ClusterState,
  name: string,
  qtype: DnsRecordType,
  depth: number,
): ZoneAnswer {
  const zone = canonicalName(state.config.clusterDomain);
  if (isSubdomainOf(name, 'in-addr.arpa') || isSubdomainOf(name, 'ip6.arpa'))
    return reverseAnswer(state, name, qtype);
  const labels = labelsBelow(name, zone);
  if (!labels) return { ...upstreamAnswer(state, name, qtype), authority: 'upstream' };
  if (labels.length === 1 && labels[0] === 'dns-version' && qtype === 'TXT') {
    return cluster('NOERROR', [
      { name, type: 'TXT', ttl: DNS_VERSION_TTL, data: DNS_SCHEMA_VERSION },
    ]);
  }
  const found = findZoneItems(state, labels, zone);
  if (found.kind === 'nxdomain') return cluster('NXDOMAIN', [], found.note);
  if (found.kind === 'nodata')
    return cluster(
      'NOERROR',
      qtype === 'SOA' && labels.length === 0 ? [soa(zone)] : [],
      found.note,
    );
  return itemsAnswer(state, name, qtype, found.items, depth);
}

function cluster(
  rcode: Rcode,
  answers: DnsAnswer[],
  note?: string,
  additional?: DnsAnswer[],
): ZoneAnswer {
  const result: ZoneAnswer = { rcode, answers, authority: 'cluster' };
  if (additional?.length) result.additional = additional;
  if (note) result.note = note;
  return result;
}

function soa(zone: string): DnsAnswer {
  return {
    name: zone,
    type: 'SOA',
    ttl: COREDNS_TTL,
    data: `ns.dns.${zone} hostmaster.${zone} 1 7200 1800 86400 ${COREDNS_TTL}`,
  };
}

function addressType(ip: string): 'A' | 'AAAA' {
  return isIPv4(ip) ? 'A' : 'AAAA';
}

/** Turns the plugin's matches into records of the asked type (coredns plugin/backend_lookup.go). */
function itemsAnswer(
  state: ClusterState,
  name: string,
  qtype: DnsRecordType,
  items: ZoneItem[],
  depth: number,
): ZoneAnswer {
  const cname = items.find((i) => i.kind === 'cname');
  if (qtype === 'A' || qtype === 'AAAA') {
    if (cname) return followCname(state, name, qtype, cname.host, depth);
    return cluster(
      'NOERROR',
      uniqueAddresses(
        items.filter((i) => addressType(i.host) === qtype),
        name,
      ),
    );
  }
  if (qtype === 'CNAME') {
    return cluster(
      'NOERROR',
      cname ? [{ name, type: 'CNAME', ttl: COREDNS_TTL, data: cname.host }] : [],
    );
  }
  if (qtype === 'SRV') return srvAnswer(name, items);
  return cluster('NOERROR', []);
}

function uniqueAddresses(items: ZoneItem[], name: string): DnsAnswer[] {
  const seen = new Set<string>();
  const answers: DnsAnswer[] = [];
  for (const item of items) {
    if (seen.has(item.host)) continue;
    seen.add(item.host);
    answers.push({ name, type: addressType(item.host), ttl: COREDNS_TTL, data: item.host });
  }
  return answers;
}

/**
 * One SRV per (target, port), all priority 0; the weight splits 100 over every match before
 * duplicates are dropped (backend_lookup.go SRV), which is why the CoreDNS tests see weight 16 for
 * five answers. The targets' addresses go to the additional section.
 */
function srvAnswer(name: string, items: ZoneItem[]): ZoneAnswer {
  const withPort = items.filter((i) => i.port !== null);
  const weight = withPort.length ? Math.floor(100 / withPort.length) : 0;
  const answers: DnsAnswer[] = [];
  const additional: DnsAnswer[] = [];
  const seenSrv = new Set<string>();
  const seenExtra = new Set<string>();
  for (const item of withPort) {
    const srvKey = `${item.target} ${item.port}`;
    if (!seenSrv.has(srvKey)) {
      seenSrv.add(srvKey);
      answers.push({
        name,
        type: 'SRV',
        ttl: COREDNS_TTL,
        data: `0 ${weight} ${item.port} ${item.target}`,
      });
    }
    const extraKey = `${item.target} ${item.host}`;
    if (item.kind === 'address' && !seenExtra.has(extraKey)) {
      seenExtra.add(extraKey);
      additional.push({
        name: item.target,
        type: addressType(item.host),
        ttl: COREDNS_TTL,
        data: item.host,
      });
    }
  }
  return cluster('NOERROR', answers, undefined, additional);
}

/**
 * ExternalName: the CNAME, then the target's records — resolved inside the cluster zone when the
 * target lies in it, otherwise looked up through the upstream resolver (backend_lookup.go A/AAAA).
 */
function followCname(
  state: ClusterState,
  name: string,
  qtype: DnsRecordType,
  target: string,
  depth: number,
): ZoneAnswer {
  const record: DnsAnswer = { name, type: 'CNAME', ttl: COREDNS_TTL, data: target };
  if (target === name || depth >= MAX_CNAME_DEPTH)
    return cluster('NOERROR', [], `CNAME loop at ${name}; CoreDNS drops the record.`);
  const zone = canonicalName(state.config.clusterDomain);
  if (isSubdomainOf(target, zone)) {
    const inner = answer(state, target, qtype, depth + 1);
    // CoreDNS adds the CNAME only when the in-zone target produced records; otherwise the name is NODATA.
    if (!inner.answers.length)
      return cluster(
        'NOERROR',
        [],
        `The ExternalName target ${target} has no ${qtype} record in the cluster zone.`,
      );
    return cluster('NOERROR', [record, ...inner.answers]);
  }
  const upstream = upstreamAnswer(state, target, qtype);
  const note =
    upstream.answers.length === 0
      ? `The ExternalName target ${target} did not resolve upstream (${upstream.rcode === 'NOERROR' ? 'NODATA' : upstream.rcode}); CoreDNS still returns the CNAME.`
      : undefined;
  return cluster('NOERROR', [record, ...upstream.answers], note);
}

/**
 * in-addr.arpa / ip6.arpa: a PTR for Service ClusterIPs and endpoint addresses; any other address
 * falls through to the upstream resolver (`fallthrough in-addr.arpa ip6.arpa`). Even with
 * `pods insecure` the plugin has no PTR for a plain pod IP (reverse.go only looks at Services and
 * endpoints), so a pod that backs no Service has no reverse name — upstream answers NXDOMAIN.
 */
function reverseAnswer(state: ClusterState, name: string, qtype: DnsRecordType): ZoneAnswer {
  const ip = ipFromReverseName(name);
  if (qtype === 'PTR' && ip) {
    const targets = ptrTargets(state, ip);
    if (targets.length)
      return {
        rcode: 'NOERROR',
        answers: targets.map((data) => ({ name, type: 'PTR', ttl: COREDNS_TTL, data })),
        authority: 'reverse',
      };
  }
  return {
    ...upstreamAnswer(state, name, qtype),
    authority: 'upstream',
    note: 'No Service or endpoint has this address, so the kubernetes plugin falls through to the upstream resolver.',
  };
}
