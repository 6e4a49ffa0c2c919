import type { StubQueryType } from '../dns/stub-resolver';
import type { ClusterState } from '../model/cluster-state';
import type { DnsRecordType, DnsTrace } from '../trace/trace-types';
import { lookupName } from './dns-lookup';
import type { DnsProbeSpec } from '../trace/probe-spec';
import { resolveSource } from '../trace/source';
import { TraceBuilder } from '../trace/trace-builder';
import { markUnsimulated } from '../unsimulated/mark-trace';

const STUB_TYPES: ReadonlySet<DnsRecordType> = new Set<DnsRecordType>([
  'A',
  'AAAA',
  'SRV',
  'PTR',
  'CNAME',
  'TXT',
]);

/**
 * A name lookup as the source's resolver does it (`nslookup`/`getent hosts` in a pod): the search
 * candidates in order, each query's answer, the final answers (CNAME chains included), and the
 * query's path to CoreDNS.
 */
export function dnsProbe(state: ClusterState, spec: DnsProbeSpec): DnsTrace {
  const trace = lookupTrace(state, spec);
  markUnsimulated(state, trace);
  return trace;
}

function lookupTrace(state: ClusterState, spec: DnsProbeSpec): DnsTrace {
  const type: DnsRecordType = spec.type ?? 'A';
  const trace = new TraceBuilder();
  const base = { kind: 'dns' as const, request: { from: spec.from, name: spec.name, type } };
  const unresolved = (reason: string): DnsTrace => ({
    ...base,
    verdict: 'unresolved',
    reason,
    queries: [],
    answers: [],
    hops: trace.hops,
    notes: trace.notes,
  });
  const source = resolveSource(state, spec.from);
  if (!source.ok) return unresolved(source.message);
  if (!STUB_TYPES.has(type))
    return unresolved(`${type} lookups are not simulated (types: ${[...STUB_TYPES].join(', ')})`);
  const lookup = lookupName(state, source.source, spec.name, type as StubQueryType);
  trace.absorb(lookup);
  const result = {
    ...base,
    queries: lookup.queries,
    answers: lookup.answers,
    hops: trace.hops,
    notes: trace.notes,
  };
  if (lookup.failure) return { ...result, verdict: 'unresolved', reason: lookup.failure.reason };
  const summary = lookup.answers.map((a) => `${a.type} ${a.data}`).join(', ');
  return {
    ...result,
    verdict: 'resolved',
    reason: `${lookup.resolvedName ?? spec.name}: ${summary}`,
  };
}
