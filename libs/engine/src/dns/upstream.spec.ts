import { clusterFromYaml } from '../testing/cluster-from-yaml';
import type { DnsRecordType } from '../trace/trace-types';
import { upstreamAnswer } from './upstream';

describe('upstreamAnswer (the resolver outside the cluster)', () => {
  // A list REPLACES the default zone (manifests/read-cluster-config.ts).
  const state = clusterFromYaml(`
apiVersion: netplay.dev/v1alpha1
kind: Cluster
metadata: {name: lab}
spec:
  upstreamDNS:
  - {name: db.corp.example, type: CNAME, data: primary.corp.example}
  - {name: primary.corp.example, type: CNAME, data: host7.corp.example, ttl: 60}
  - {name: host7.corp.example, type: A, data: 192.0.2.7, ttl: 120}
  - {name: txt.corp.example, type: TXT, data: v=spf1 -all}
  - {name: dangling.corp.example, type: CNAME, data: missing.corp.example}
  - {name: Mixed.Case.Example., type: A, data: 192.0.2.9}
`);
  const show = (qname: string, qtype: DnsRecordType) => {
    const result = upstreamAnswer(state, qname, qtype);
    return [result.rcode, ...result.answers.map((a) => `${a.name} ${a.ttl} ${a.type} ${a.data}`)];
  };

  it.each<[string, DnsRecordType, string[]]>([
    ['host7.corp.example', 'A', ['NOERROR', 'host7.corp.example 120 A 192.0.2.7']],
    [
      'db.corp.example.',
      'A',
      [
        'NOERROR',
        'db.corp.example 300 CNAME primary.corp.example',
        'primary.corp.example 60 CNAME host7.corp.example',
        'host7.corp.example 120 A 192.0.2.7',
      ],
    ],
    ['db.corp.example', 'CNAME', ['NOERROR', 'db.corp.example 300 CNAME primary.corp.example']],
    ['host7.corp.example', 'AAAA', ['NOERROR']],
    ['txt.corp.example', 'TXT', ['NOERROR', 'txt.corp.example 300 TXT v=spf1 -all']],
    // RFC 6604: the rcode is the last name's, with the CNAME still shown.
    [
      'dangling.corp.example',
      'A',
      ['NXDOMAIN', 'dangling.corp.example 300 CNAME missing.corp.example'],
    ],
    ['MIXED.case.example', 'A', ['NOERROR', 'mixed.case.example 300 A 192.0.2.9']],
    ['localhost', 'A', ['NOERROR', 'localhost 0 A 127.0.0.1']],
    ['example.com', 'A', ['NXDOMAIN']],
    ['website.default.svc.cluster.local', 'A', ['NXDOMAIN']],
    ['anything.test', 'A', ['NXDOMAIN']],
    ['anything.invalid', 'A', ['NXDOMAIN']],
  ])('%s %s → %j', (qname, qtype, expected) => {
    expect(show(qname, qtype)).toEqual(expected);
  });

  it('keeps the default zone when no upstreamDNS is given', () => {
    const plain = clusterFromYaml('apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n');
    expect(
      upstreamAnswer(plain, 'www.example.com', 'A').answers.map((a) => `${a.type} ${a.data}`),
    ).toEqual(['CNAME example.com', 'A 93.184.215.14']);
  });
});
