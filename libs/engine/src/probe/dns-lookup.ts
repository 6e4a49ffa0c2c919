import { type HopDraft, hop } from '../trace/hop-draft';
import { clusterDnsIP, nodeResolvConf, resolvConfFor, type ResolvConf } from '../dns/resolv-conf';
import {
  type ResolverFlavour,
  type StubQueryType,
  resolveName,
  searchCandidates,
} from '../dns/stub-resolver';
import type { ClusterState } from '../model/cluster-state';
import type { Pod } from '../model/resources';
import type { DnsAnswer, DnsQueryRecord, DropReason, Packet } from '../trace/trace-types';
import { ephemeralPort } from '../trace/ephemeral-port';
import { serviceStep } from './kube-proxy-step';
import type { ProbeSource } from '../trace/source';
import { dnsQueryGate } from '../policy/policy-hop';

export interface LookupResult {
  addresses: string[];
  answers: DnsAnswer[];
  queries: DnsQueryRecord[];
  resolvedName?: string;
  hops: HopDraft[];
  notes: string[];
  /** Set when the name did not resolve to an address. */
  failure?: { dropReason: DropReason; reason: string };
}

/**
 * Images built on musl (Alpine, and busybox's default variant) search differently from glibc for
 * names with many dots and after NODATA; the image name is the only hint the engine has.
 */
export function resolverFlavour(pod: Pod | undefined): ResolverFlavour {
  const image = pod?.containers[0]?.image.toLowerCase() ?? '';
  if (/alpine/.test(image)) return 'musl';
  if (/busybox/.test(image) && !/glibc|uclibc/.test(image)) return 'musl';
  return 'glibc';
}

function resolvConfOf(state: ClusterState, source: ProbeSource): ResolvConf {
  if (source.kind === 'pod') return resolvConfFor(state, source.pod);
  if (source.kind === 'node') return nodeResolvConf(state, source.node);
  const host = state.config.nodeResolvConf;
  return {
    nameservers: [...host.nameservers],
    searches: [],
    options: [],
    ndots: 1,
    source:
      'The external client uses the resolver in front of the cluster, which only knows the upstream zone.',
  };
}

/**
 * The lookup a client library does before connecting: every candidate name of the search list as a
 * query to the first nameserver, with compact hops (the resolver, kube-proxy's DNAT of the kube-dns
 * ClusterIP to one CoreDNS pod, one hop per answered query).
 */
export function lookupName(
  state: ClusterState,
  source: ProbeSource,
  name: string,
  qtype: StubQueryType,
): LookupResult {
  const rc = resolvConfOf(state, source);
  const flavour = resolverFlavour(source.kind === 'pod' ? source.pod : undefined);
  const sourceNode = source.kind === 'external' ? null : source.node;
  const srcIP =
    source.kind === 'external'
      ? source.ip
      : source.kind === 'pod' && !source.pod.hostNetwork
        ? source.pod.ip
        : source.node.ip;
  const server = rc.nameservers[0];
  const candidates = searchCandidates(rc, name, flavour);
  const hops: HopDraft[] = [];
  const notes: string[] = [];
  let packet: Packet = {
    protocol: 'UDP',
    src: { ip: srcIP, port: ephemeralPort(state) },
    dst: { ip: server ?? '127.0.0.1', port: 53 },
  };
  hops.push(
    hop({
      component: 'resolver',
      observationPoint: 'FROM_ENDPOINT',
      node: sourceNode?.name ?? null,
      packet,
      description: `the ${flavour} resolver looks up ${name} (${qtype}) via nameserver ${server ?? '(none)'}; search list ${rc.searches.join(' ') || '(none)'}, ndots:${rc.ndots}; candidates in order: ${candidates.join(', ')}`,
      details: {
        nameservers: rc.nameservers,
        searches: rc.searches,
        ndots: rc.ndots,
        flavour,
        candidates,
        resolvConf: rc.source,
      },
    }),
  );

  let answeringNode: string | null = null;
  if (server && server === clusterDnsIP(state) && sourceNode) {
    const origin = source.kind === 'pod' && !source.pod.hostNetwork ? 'pod' : 'node';
    const step = serviceStep(
      state,
      sourceNode,
      packet,
      origin,
      source.kind === 'pod' ? source.pod : undefined,
    );
    if (step.kind === 'blocked') {
      hops.push(step.hop);
      const query: DnsQueryRecord = {
        name: candidates[0] ?? name,
        type: qtype,
        rcode: 'TIMEOUT',
        answers: [],
      };
      return {
        addresses: [],
        answers: [],
        queries: [query],
        hops,
        notes,
        failure: {
          dropReason: 'DNS_UNREACHABLE',
          reason: `the DNS query to ${server}:53 was not answered: ${step.reason}`,
        },
      };
    }
    if (step.kind === 'dnat') {
      hops.push(step.hop);
      packet = step.packet;
      answeringNode = step.endpointNode ?? null;
      notes.push(
        'All queries of one lookup leave from the same socket, so conntrack keeps them on the CoreDNS pod kube-proxy chose for the first.',
      );
    }
  }
  const gate = dnsQueryGate(state, source.kind === 'pod' ? source.pod : undefined, packet);
  hops.push(...gate.hops);
  notes.push(...gate.notes);
  if (gate.denied) {
    // The dropped query is never answered; after its retries the resolver gives up (busybox wget: "bad address").
    const query: DnsQueryRecord = {
      name: candidates[0] ?? name,
      type: qtype,
      rcode: 'TIMEOUT',
      answers: [],
    };
    return {
      addresses: [],
      answers: [],
      queries: [query],
      hops,
      notes,
      failure: {
        dropReason: 'POLICY_DENIED',
        reason: `bad address '${name}' (the DNS query timed out: ${gate.denied.reason})`,
      },
    };
  }

  const resolution = resolveName(state, rc, name, qtype, flavour);
  notes.push(...resolution.notes);
  for (const query of resolution.queries) {
    const fromCluster = query.server === 'coredns';
    const answer = query.answers.length
      ? query.answers.map((a) => `${a.type} ${a.data}`).join(', ')
      : query.rcode === 'NOERROR'
        ? 'NODATA'
        : query.rcode;
    hops.push(
      hop({
        component: fromCluster ? 'coredns' : 'upstream-dns',
        observationPoint: 'TO_ENDPOINT',
        node: fromCluster ? answeringNode : null,
        packet,
        description: `${fromCluster ? 'CoreDNS' : `the nameserver ${query.server ?? server}`} answers ${query.name} ${query.type}: ${answer}`,
        details: {
          query: query.name,
          type: query.type,
          rcode: query.rcode,
          answers: query.answers,
        },
      }),
    );
  }
  const base = {
    answers: resolution.answers,
    queries: resolution.queries,
    resolvedName: resolution.resolvedName,
    hops,
    notes,
  };
  const found =
    qtype === 'A' || qtype === 'AAAA'
      ? resolution.addresses.length > 0
      : resolution.answers.length > 0;
  if (found) return { ...base, addresses: resolution.addresses };
  if (resolution.rcode === 'TIMEOUT')
    return {
      ...base,
      addresses: [],
      failure: { dropReason: 'DNS_UNREACHABLE', reason: `no DNS server answered for ${name}` },
    };
  const nodata = resolution.rcode === 'NOERROR';
  return {
    ...base,
    addresses: [],
    failure: {
      dropReason: 'NXDOMAIN',
      reason: nodata ? `${name} has no ${qtype} record (NODATA)` : `bad address '${name}'`,
    },
  };
}
