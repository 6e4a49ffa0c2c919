/**
 * The resolver library inside the pod: which names it asks, in which order, and which server
 * answers each question.
 */
import type { ClusterState } from '../model/cluster-state';
import type { DnsAnswer, DnsQueryRecord, DnsRecordType, Rcode } from '../trace/trace-types';
import { isIP, isIPv4, reverseName } from '../util/ip';
import { clusterIndex } from '../model/lookup';
import { countDots } from './dns-names';
import { clusterDnsIP, type ResolvConf } from './resolv-conf';
import { coreDnsAnswer } from './cluster-zone';
import { upstreamAnswer } from './upstream';
import { publishedEndpoints } from './published-endpoints';

export type StubQueryType = 'A' | 'AAAA' | 'SRV' | 'PTR' | 'CNAME' | 'TXT';
/** glibc (Debian, Ubuntu, RHEL images) or musl (Alpine, busybox). */
export type ResolverFlavour = 'glibc' | 'musl';

export interface Resolution {
  queries: DnsQueryRecord[];
  /** The answers of the query that ended the search (empty when nothing resolved). */
  answers: DnsAnswer[];
  rcode: Rcode | 'TIMEOUT';
  /** The candidate name that answered. */
  resolvedName?: string;
  /** A/AAAA data of the answers (for A/AAAA lookups). */
  addresses: string[];
  notes: string[];
}

/**
 * The candidate names, in order.
 * glibc (resolv/res_query.c __res_context_search): a name with at least `ndots` dots (or a trailing
 * dot) is tried as is first; a trailing dot stops there. Otherwise, and after a failed as-is try,
 * each search domain; last the name as is if not tried yet.
 * musl (src/network/lookup_name.c name_from_dns_search): a name with at least `ndots` dots or a
 * trailing dot is only tried as is; a shorter one goes through the search domains, then as is.
 */
export function searchCandidates(
  rc: ResolvConf,
  name: string,
  flavour: ResolverFlavour = 'glibc',
): string[] {
  const trailingDot = name.endsWith('.');
  const bare = trailingDot ? name.slice(0, -1) : name;
  const dots = countDots(bare);
  const searched = rc.searches
    .filter((d) => d !== '.' && d !== '')
    .map((d) => `${bare}.${d.replace(/\.$/, '')}`);
  if (trailingDot) return [bare];
  if (flavour === 'musl') return dots >= rc.ndots ? [bare] : [...searched, bare];
  // glibc skips the final as-is try when the root domain is in the search list (root_on_list).
  const rootOnList = rc.searches.includes('.');
  if (dots >= rc.ndots) return [bare, ...searched];
  return rootOnList ? searched : [...searched, bare];
}

type ServerKind =
  | { kind: 'coredns' }
  | { kind: 'upstream'; label: string }
  | { kind: 'unreachable'; reason: string };

/**
 * Who answers a query sent to `ip`: the kube-dns ClusterIP (or a CoreDNS pod) is CoreDNS with the
 * cluster zone; the node's nameserver or any other address only knows the upstream zone — which is
 * why a dnsPolicy Default pod cannot resolve Service names.
 */
function serverFor(state: ClusterState, ip: string | undefined): ServerKind {
  if (!ip)
    return {
      kind: 'unreachable',
      reason:
        'resolv.conf lists no nameserver; the resolver asks 127.0.0.1:53 inside the pod, where nothing listens.',
    };
  if (ip === clusterDnsIP(state)) {
    const kubeDns = state.services.get('kube-system/kube-dns');
    if (!kubeDns)
      return { kind: 'unreachable', reason: `No Service owns the cluster DNS address ${ip}.` };
    // kube-proxy rejects traffic to a Service without ready endpoints: the resolver gets ECONNREFUSED.
    if (!publishedEndpoints(state, kubeDns).length)
      return { kind: 'unreachable', reason: 'The kube-dns Service has no ready CoreDNS endpoint.' };
    return { kind: 'coredns' };
  }
  const pods = clusterIndex(state).podsByIP.get(ip) ?? [];
  if (pods.some((p) => p.namespace === 'kube-system' && p.labels['k8s-app'] === 'kube-dns'))
    return { kind: 'coredns' };
  if (ip === '127.0.0.1' || ip === '::1')
    return { kind: 'unreachable', reason: `Nothing listens on ${ip}:53 inside the pod.` };
  const node = state.config.nodeResolvConf.nameservers.includes(ip);
  return { kind: 'upstream', label: node ? 'upstream' : ip };
}

function ask(
  state: ClusterState,
  server: ServerKind,
  name: string,
  qtype: DnsRecordType,
): DnsQueryRecord {
  if (server.kind === 'unreachable') return { name, type: qtype, rcode: 'TIMEOUT', answers: [] };
  if (server.kind === 'coredns') {
    const result = coreDnsAnswer(state, name, qtype);
    return { name, type: qtype, rcode: result.rcode, answers: result.answers, server: 'coredns' };
  }
  const result = upstreamAnswer(state, name, qtype);
  return { name, type: qtype, rcode: result.rcode, answers: result.answers, server: server.label };
}

/**
 * Resolves `name` as getaddrinfo/res_search would with this resolv.conf. Every query goes to the
 * first nameserver (the others are only tried on timeouts, which the engine does not model).
 * For A lookups getaddrinfo (glibc and musl) also sends an AAAA query for each candidate in
 * parallel; the engine records only the asked type. The cluster zone is IPv4-only, so the AAAA
 * query would only change the outcome for an upstream name with AAAA but no A record.
 * Outcome per candidate: an answer ends the search; NXDOMAIN continues; NODATA and SERVFAIL
 * continue for glibc but end the search for musl (name_from_dns returns non-zero for them);
 * an unreachable server ends it.
 */
export function resolveName(
  state: ClusterState,
  rc: ResolvConf,
  name: string,
  qtype: StubQueryType,
  flavour: ResolverFlavour = 'glibc',
): Resolution {
  const notes: string[] = [];
  if ((qtype === 'A' && isIPv4(name)) || (qtype === 'AAAA' && isIP(name) && !isIPv4(name))) {
    return {
      queries: [],
      answers: [],
      rcode: 'NOERROR',
      addresses: [name],
      notes: ['An IP literal needs no DNS lookup.'],
    };
  }
  if (!name || name === '.')
    return {
      queries: [],
      answers: [],
      rcode: 'NXDOMAIN',
      addresses: [],
      notes: ['An empty name is rejected before any query (EAI_NONAME).'],
    };
  const server = serverFor(state, rc.nameservers[0]);
  if (server.kind === 'unreachable') notes.push(server.reason);
  if (server.kind === 'upstream')
    notes.push(
      `The nameserver ${rc.nameservers[0]} is outside the cluster: it only knows the upstream zone, not cluster names.`,
    );
  const candidates =
    qtype === 'PTR' && isIP(name) ? [reverseName(name)] : searchCandidates(rc, name, flavour);
  const queries: DnsQueryRecord[] = [];
  let sawNodata = false;
  let sawServfail = false;
  for (const candidate of candidates) {
    const query = ask(state, server, candidate, qtype);
    queries.push(query);
    if (query.rcode === 'TIMEOUT')
      return { queries, answers: [], rcode: 'TIMEOUT', addresses: [], notes };
    if (query.rcode === 'NOERROR' && query.answers.length) {
      const addresses = query.answers
        .filter((a) => a.type === qtype && (qtype === 'A' || qtype === 'AAAA'))
        .map((a) => a.data);
      if ((qtype === 'A' || qtype === 'AAAA') && !addresses.length)
        notes.push(`${candidate} answered only with a CNAME that leads to no address.`);
      return {
        queries,
        answers: query.answers,
        rcode: 'NOERROR',
        resolvedName: candidate,
        addresses,
        notes,
      };
    }
    const nodata = query.rcode === 'NOERROR';
    sawNodata ||= nodata;
    sawServfail ||= query.rcode === 'SERVFAIL';
    if (flavour === 'musl' && query.rcode !== 'NXDOMAIN') {
      notes.push(
        `musl ends the search at ${candidate} (${nodata ? 'NODATA' : query.rcode}) instead of trying further candidates.`,
      );
      break;
    }
    if (query.rcode === 'REFUSED') break;
  }
  // glibc reports NO_DATA if any candidate had the name, else TRY_AGAIN after a SERVFAIL, else HOST_NOT_FOUND.
  const rcode: Rcode = sawNodata
    ? 'NOERROR'
    : sawServfail
      ? 'SERVFAIL'
      : queries.length && queries[queries.length - 1].rcode === 'REFUSED'
        ? 'REFUSED'
        : 'NXDOMAIN';
  return { queries, answers: [], rcode, addresses: [], notes };
}
