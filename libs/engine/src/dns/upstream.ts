/**
 * The resolver outside the cluster (the node's nameserver, which CoreDNS reaches through
 * `forward . /etc/resolv.conf`). It serves exactly the records of `config.upstreamZone`, plus
 * `localhost`; every other name is NXDOMAIN — including the special-use names `.test`, `.invalid`,
 * `.example`, `.local` (RFC 6761, RFC 6762), which no real public resolver answers either.
 */
import { derivedPerVersion } from '../model/derived';
import type { ClusterState } from '../model/cluster-state';
import type { UpstreamRecord } from '../model/cluster-config';
import type { DnsAnswer, DnsRecordType, Rcode } from '../trace/trace-types';
import { canonicalName } from './dns-names';
import { externalZoneRecords } from '../external/external-zone';

export interface UpstreamAnswer {
  rcode: Rcode;
  answers: DnsAnswer[];
}

const DEFAULT_TTL = 300;
/** Resolvers give up on CNAME chains long before this; it only stops loops in user-given zones. */
const MAX_CNAME_CHAIN = 8;
/** RFC 6761 §6.3: localhost resolves to loopback without asking anyone. */
const LOCALHOST: UpstreamRecord[] = [
  { name: 'localhost', type: 'A', data: '127.0.0.1', ttl: 0 },
  { name: 'localhost', type: 'AAAA', data: '::1', ttl: 0 },
];

type ZoneMap = Map<string, UpstreamRecord[]>;
/** Built once per state version: a query is one map lookup per CNAME hop. */
const zoneMap = derivedPerVersion((state): ZoneMap => {
  const zone: ZoneMap = new Map();
  for (const record of [
    ...LOCALHOST,
    ...state.config.upstreamZone,
    ...externalZoneRecords(state),
  ]) {
    const name = canonicalName(record.name);
    const list = zone.get(name);
    if (list) list.push(record);
    else zone.set(name, [record]);
  }
  return zone;
});

function toAnswer(name: string, record: UpstreamRecord): DnsAnswer {
  const data = record.type === 'CNAME' ? canonicalName(record.data) : record.data;
  return { name, type: record.type, ttl: record.ttl ?? DEFAULT_TTL, data };
}

/**
 * What the upstream resolver answers: the records of that type; a CNAME followed to its target
 * (the CNAME first, then the target's records) unless the CNAME itself was asked; NODATA when the
 * name exists with other types; NXDOMAIN otherwise.
 */
export function upstreamAnswer(
  state: ClusterState,
  qname: string,
  qtype: DnsRecordType,
): UpstreamAnswer {
  const zone = zoneMap(state);
  const answers: DnsAnswer[] = [];
  let name = canonicalName(qname);
  const seen = new Set<string>();
  for (let depth = 0; depth <= MAX_CNAME_CHAIN; depth++) {
    const records = zone.get(name);
    // RFC 6604: the rcode speaks for the last name of the chain, so a dangling CNAME is NXDOMAIN with the CNAME shown.
    if (!records) return { rcode: 'NXDOMAIN', answers };
    const exact = records.filter((r) => r.type === qtype);
    if (exact.length)
      return { rcode: 'NOERROR', answers: [...answers, ...exact.map((r) => toAnswer(name, r))] };
    const cname = records.find((r) => r.type === 'CNAME');
    if (!cname || seen.has(name)) return { rcode: 'NOERROR', answers };
    seen.add(name);
    answers.push(toAnswer(name, cname));
    name = canonicalName(cname.data);
  }
  return { rcode: 'SERVFAIL', answers };
}
