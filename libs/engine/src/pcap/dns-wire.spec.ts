import type { DnsAnswer, DnsQueryRecord, DnsRecordType } from '../trace/trace-types';
import {
  DNS_RCODES,
  DNS_TYPE_CODES,
  encodeDnsQuery,
  encodeDnsResponse,
  encodeName,
} from './dns-wire';

/** A tiny RFC 1035 decoder, written independently of the encoder, to round-trip messages. */
function decodeMessage(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  const typeName = (code: number) =>
    (Object.keys(DNS_TYPE_CODES) as DnsRecordType[]).find((t) => DNS_TYPE_CODES[t] === code);
  const name = (): string => {
    const labels: string[] = [];
    while (bytes[offset] !== 0) {
      const length = bytes[offset];
      labels.push(Buffer.from(bytes.slice(offset + 1, offset + 1 + length)).toString('ascii'));
      offset += 1 + length;
    }
    offset++;
    return labels.join('.');
  };
  const rdata = (type: DnsRecordType | undefined, length: number): string => {
    const end = offset + length;
    let text: string;
    if (type === 'A') text = Array.from(bytes.slice(offset, end)).join('.');
    else if (type === 'AAAA')
      text = Array.from({ length: 8 }, (_, i) => view.getUint16(offset + i * 2).toString(16)).join(
        ':',
      );
    else if (type === 'SRV') {
      const numbers = [0, 2, 4].map((d) => view.getUint16(offset + d));
      offset += 6;
      text = `${numbers.join(' ')} ${name()}`;
    } else if (type === 'TXT') text = Buffer.from(bytes.slice(offset + 1, end)).toString('ascii');
    else if (type === 'SOA') {
      const names = [name(), name()];
      text = [...names, ...[0, 4, 8, 12, 16].map((d) => view.getUint32(offset + d))].join(' ');
    } else text = name();
    offset = end;
    return text;
  };
  const header = {
    id: view.getUint16(0),
    flags: view.getUint16(2),
    qd: view.getUint16(4),
    an: view.getUint16(6),
  };
  const qname = name();
  const question = {
    name: qname,
    type: typeName(view.getUint16(offset)),
    class: view.getUint16(offset + 2),
  };
  offset += 4;
  const answers: DnsAnswer[] = [];
  for (let i = 0; i < header.an; i++) {
    const owner = name();
    const type = typeName(view.getUint16(offset));
    const ttl = view.getUint32(offset + 4);
    const length = view.getUint16(offset + 8);
    offset += 10;
    answers.push({ name: owner, type: type ?? 'A', ttl, data: rdata(type, length) });
  }
  return { header, question, answers, trailing: bytes.length - offset };
}

const query = (
  name: string,
  type: DnsRecordType,
  answers: DnsAnswer[],
  rcode: DnsQueryRecord['rcode'] = 'NOERROR',
): DnsQueryRecord => ({ name, type, rcode, answers, server: 'coredns' });

describe('DNS wire format', () => {
  it('encodes names as length-prefixed labels ending with the root, with or without the trailing dot', () => {
    const expected = [7, ...Buffer.from('website'), 7, ...Buffer.from('default'), 0];
    expect(Array.from(encodeName('website.default'))).toEqual(expected);
    expect(Array.from(encodeName('website.default.'))).toEqual(expected);
  });

  it('sends a query with RD set, one question of class IN and no records', () => {
    const decoded = decodeMessage(
      encodeDnsQuery(0x1234, { name: 'website.default.svc.cluster.local', type: 'A' }),
    );
    expect(decoded).toEqual({
      header: { id: 0x1234, flags: 0x0100, qd: 1, an: 0 },
      question: { name: 'website.default.svc.cluster.local', type: 'A', class: 1 },
      answers: [],
      trailing: 0,
    });
  });

  it.each<[string, DnsQueryRecord]>([
    [
      'A',
      query('website.default.svc.cluster.local', 'A', [
        { name: 'website.default.svc.cluster.local', type: 'A', ttl: 30, data: '10.96.65.194' },
      ]),
    ],
    [
      'AAAA',
      query('example.com', 'AAAA', [
        {
          name: 'example.com',
          type: 'AAAA',
          ttl: 300,
          data: '2606:2800:21f:cb07:6820:80da:af6b:8b2c',
        },
      ]),
    ],
    [
      'CNAME then A',
      query('www.example.com', 'A', [
        { name: 'www.example.com', type: 'CNAME', ttl: 300, data: 'example.com' },
        { name: 'example.com', type: 'A', ttl: 300, data: '93.184.215.14' },
      ]),
    ],
    [
      'SRV',
      query('_http._tcp.website.default.svc.cluster.local', 'SRV', [
        {
          name: '_http._tcp.website.default.svc.cluster.local',
          type: 'SRV',
          ttl: 30,
          data: '0 100 80 website.default.svc.cluster.local',
        },
      ]),
    ],
    [
      'PTR',
      query('194.65.96.10.in-addr.arpa', 'PTR', [
        {
          name: '194.65.96.10.in-addr.arpa',
          type: 'PTR',
          ttl: 30,
          data: 'website.default.svc.cluster.local',
        },
      ]),
    ],
    [
      'TXT',
      query('dns-version.cluster.local', 'TXT', [
        { name: 'dns-version.cluster.local', type: 'TXT', ttl: 28800, data: '1.1.0' },
      ]),
    ],
    [
      'SOA',
      query('cluster.local', 'SOA', [
        {
          name: 'cluster.local',
          type: 'SOA',
          ttl: 30,
          data: 'ns.dns.cluster.local hostmaster.cluster.local 1 7200 1800 86400 30',
        },
      ]),
    ],
    [
      'NXDOMAIN without answers',
      query('website.default.default.svc.cluster.local', 'A', [], 'NXDOMAIN'),
    ],
  ])('round-trips a %s response', (_name, record) => {
    const decoded = decodeMessage(encodeDnsResponse(7, record) ?? new Uint8Array(0));
    expect(decoded.header).toEqual({
      id: 7,
      flags: 0x8180 | DNS_RCODES[record.rcode as keyof typeof DNS_RCODES],
      qd: 1,
      an: record.answers.length,
    });
    expect(decoded.question).toEqual({ name: record.name, type: record.type, class: 1 });
    expect(decoded.answers).toEqual(record.answers);
    expect(decoded.trailing).toBe(0);
  });

  it('has no response for a query that timed out', () => {
    expect(encodeDnsResponse(1, query('website', 'A', [], 'TIMEOUT'))).toBeNull();
  });
});
