/**
 * DNS messages in wire format (RFC 1035 §4): header, one question, answer records. Names are
 * written uncompressed (compression is optional for senders, RFC 1035 §4.1.4).
 */
import type { DnsAnswer, DnsQueryRecord, DnsRecordType, Rcode } from '../trace/trace-types';
import { asciiBytes, concatBytes, ipv4Bytes, ipv6Bytes, u16, u32 } from './bytes';

/** IANA resource record TYPE values. */
export const DNS_TYPE_CODES: Record<DnsRecordType, number> = {
  A: 1,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
};
export const DNS_RCODES: Record<Rcode, number> = {
  NOERROR: 0,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  REFUSED: 5,
};
const CLASS_IN = 1;
/** QR=0, RD=1: what a stub resolver sends. */
const QUERY_FLAGS = 0x0100;
/** QR=1, RD=1, RA=1, plus the rcode. */
const RESPONSE_FLAGS = 0x8180;

/** `website.default.svc.cluster.local` → length-prefixed labels ending with the root label. */
export function encodeName(name: string): Uint8Array {
  const labels = name
    .replace(/\.$/, '')
    .split('.')
    .filter((l) => l !== '');
  return concatBytes(
    ...labels.map((l) => {
      const bytes = asciiBytes(l).slice(0, 63);
      return concatBytes(Uint8Array.of(bytes.length), bytes);
    }),
    Uint8Array.of(0),
  );
}

function question(name: string, type: DnsRecordType): Uint8Array {
  return concatBytes(encodeName(name), u16(DNS_TYPE_CODES[type]), u16(CLASS_IN));
}

function numbers(text: string): number[] {
  return text
    .trim()
    .split(/\s+/)
    .map((n) => Number(n) || 0);
}

/** RDATA from the trace's text form of each record type. */
export function encodeRdata(answer: DnsAnswer): Uint8Array {
  switch (answer.type) {
    case 'A':
      return ipv4Bytes(answer.data);
    case 'AAAA':
      return ipv6Bytes(answer.data);
    case 'CNAME':
    case 'PTR':
      return encodeName(answer.data);
    case 'SRV': {
      // `priority weight port target`, as CoreDNS prints it.
      const [priority, weight, port, target = '.'] = answer.data.trim().split(/\s+/);
      return concatBytes(...numbers(`${priority} ${weight} ${port}`).map(u16), encodeName(target));
    }
    case 'TXT': {
      // One or more <character-string>s of at most 255 bytes each (RFC 1035 §3.3.14).
      const bytes = asciiBytes(answer.data);
      const chunks: Uint8Array[] = [];
      for (let i = 0; i === 0 || i < bytes.length; i += 255) {
        const chunk = bytes.slice(i, i + 255);
        chunks.push(Uint8Array.of(chunk.length), chunk);
      }
      return concatBytes(...chunks);
    }
    case 'SOA': {
      const [mname = '.', rname = '.', ...rest] = answer.data.trim().split(/\s+/);
      return concatBytes(
        encodeName(mname),
        encodeName(rname),
        ...numbers(rest.join(' ')).slice(0, 5).map(u32),
      );
    }
  }
}

function resourceRecord(answer: DnsAnswer): Uint8Array {
  const rdata = encodeRdata(answer);
  return concatBytes(
    encodeName(answer.name),
    u16(DNS_TYPE_CODES[answer.type]),
    u16(CLASS_IN),
    u32(answer.ttl),
    u16(rdata.length),
    rdata,
  );
}

export function encodeDnsQuery(
  id: number,
  query: Pick<DnsQueryRecord, 'name' | 'type'>,
): Uint8Array {
  return concatBytes(
    u16(id),
    u16(QUERY_FLAGS),
    u16(1),
    u16(0),
    u16(0),
    u16(0),
    question(query.name, query.type),
  );
}

/** The answer to `query`; null when it timed out (no response on the wire). */
export function encodeDnsResponse(id: number, query: DnsQueryRecord): Uint8Array | null {
  if (query.rcode === 'TIMEOUT') return null;
  return concatBytes(
    u16(id),
    u16(RESPONSE_FLAGS | DNS_RCODES[query.rcode]),
    u16(1),
    u16(query.answers.length),
    u16(0),
    u16(0),
    question(query.name, query.type),
    ...query.answers.map(resourceRecord),
  );
}
