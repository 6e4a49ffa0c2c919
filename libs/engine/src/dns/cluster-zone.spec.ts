import { clusterFromYaml } from '../testing/cluster-from-yaml';
import type { DnsRecordType } from '../trace/trace-types';
import { coreDnsAnswer } from './cluster-zone';
import { listClusterRecords } from './list-cluster-records';

/**
 * The cluster of coredns plugin/kubernetes/handler_test.go, in manifests: zone cluster.local,
 * namespace testns, addresses moved into this cluster's service CIDR (svc1 = 10.96.0.101).
 */
const HANDLER_TEST_CLUSTER = [
  `
apiVersion: netplay.dev/v1alpha1
kind: Cluster
metadata: {name: lab}
spec:
  upstreamDNS:
    records:
    - {name: ext.interwebs.test, type: A, data: 1.2.3.4, ttl: 5}
    merge: true
`,
  `
apiVersion: v1
kind: Namespace
metadata: {name: testns}
---
apiVersion: v1
kind: Service
metadata: {name: svc1, namespace: testns}
spec:
  clusterIP: 10.96.0.101
  ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: hdls1, namespace: testns}
spec:
  clusterIP: None
  ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: hdls1-manual
  namespace: testns
  labels: {kubernetes.io/service-name: hdls1}
addressType: IPv4
ports: [{name: http, port: 80, protocol: TCP}]
endpoints:
- addresses: [172.0.0.2]
- addresses: [172.0.0.3]
- addresses: [172.0.0.4]
  hostname: dup-name
- addresses: [172.0.0.5]
  hostname: dup-name
- addresses: [172.0.0.6]
  conditions: {ready: false}
---
apiVersion: v1
kind: Service
metadata: {name: external, namespace: testns}
spec:
  type: ExternalName
  externalName: ext.interwebs.test
---
apiVersion: v1
kind: Service
metadata: {name: external-to-service, namespace: testns}
spec:
  type: ExternalName
  externalName: svc1.testns.svc.cluster.local
---
apiVersion: v1
kind: Service
metadata: {name: nowhere, namespace: testns}
spec:
  type: ExternalName
  externalName: gone.interwebs.test
---
apiVersion: v1
kind: Service
metadata: {name: hdls-empty, namespace: testns}
spec:
  clusterIP: None
  ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: hdls-tolerant, namespace: testns}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  ports: [{name: http, port: 80, protocol: TCP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: hdls-tolerant-manual
  namespace: testns
  labels: {kubernetes.io/service-name: hdls-tolerant}
addressType: IPv4
ports: [{name: http, port: 80, protocol: TCP}]
endpoints:
- addresses: [172.0.1.9]
  conditions: {ready: false}
`,
];

const HDLS1 = 'hdls1.testns.svc.cluster.local';
const SVC1 = 'svc1.testns.svc.cluster.local';

describe('coreDnsAnswer: the CoreDNS kubernetes plugin truth cases (handler_test.go)', () => {
  const state = clusterFromYaml(...HANDLER_TEST_CLUSTER);
  const data = (qname: string, qtype: DnsRecordType) =>
    coreDnsAnswer(state, qname, qtype).answers.map((a) => `${a.type} ${a.data}`);

  it.each<[string, DnsRecordType, string, string[]]>([
    [`${SVC1}.`, 'A', 'NOERROR', ['A 10.96.0.101']],
    [`${SVC1}.`, 'SRV', 'NOERROR', [`SRV 0 100 80 ${SVC1}`]],
    [`_http._tcp.${SVC1}.`, 'SRV', 'NOERROR', [`SRV 0 100 80 ${SVC1}`]],
    [`${HDLS1}.`, 'A', 'NOERROR', ['A 172.0.0.2', 'A 172.0.0.3', 'A 172.0.0.4', 'A 172.0.0.5']],
    [`172-0-0-2.${HDLS1}.`, 'A', 'NOERROR', ['A 172.0.0.2']],
    [`172-0-0-3.${HDLS1}.`, 'A', 'NOERROR', ['A 172.0.0.3']],
    [`dup-name.${HDLS1}.`, 'A', 'NOERROR', ['A 172.0.0.4', 'A 172.0.0.5']],
    // Weight 100 split over the four matches before the duplicate dup-name target is dropped.
    [
      `_http._tcp.${HDLS1}.`,
      'SRV',
      'NOERROR',
      [
        `SRV 0 25 80 172-0-0-2.${HDLS1}`,
        `SRV 0 25 80 172-0-0-3.${HDLS1}`,
        `SRV 0 25 80 dup-name.${HDLS1}`,
      ],
    ],
    // Without _port._proto CoreDNS answers SRV for every port of every endpoint.
    [
      `${HDLS1}.`,
      'SRV',
      'NOERROR',
      [
        `SRV 0 25 80 172-0-0-2.${HDLS1}`,
        `SRV 0 25 80 172-0-0-3.${HDLS1}`,
        `SRV 0 25 80 dup-name.${HDLS1}`,
      ],
    ],
    ['external.testns.svc.cluster.local.', 'CNAME', 'NOERROR', ['CNAME ext.interwebs.test']],
    [
      'external.testns.svc.cluster.local.',
      'A',
      'NOERROR',
      ['CNAME ext.interwebs.test', 'A 1.2.3.4'],
    ],
    [
      'external-to-service.testns.svc.cluster.local',
      'A',
      'NOERROR',
      [`CNAME ${SVC1}`, 'A 10.96.0.101'],
    ],
    // AAAA for an IPv4-only Service: the name exists, so NODATA rather than NXDOMAIN.
    [`${SVC1}.`, 'AAAA', 'NOERROR', []],
    [`${SVC1}.`, 'TXT', 'NOERROR', []],
    ['svc0.testns.svc.cluster.local.', 'AAAA', 'NXDOMAIN', []],
    ['svc0.testns.svc.cluster.local.', 'A', 'NXDOMAIN', []],
    ['svc0.svc-nons.svc.cluster.local.', 'A', 'NXDOMAIN', []],
    ['dns-version.cluster.local.', 'TXT', 'NOERROR', ['TXT 1.1.0']],
    [`bogusendpoint.${HDLS1}.`, 'A', 'NXDOMAIN', []],
    ['bogusendpoint.svc0.testns.svc.cluster.local.', 'A', 'NXDOMAIN', []],
    ['svc.cluster.local.', 'A', 'NOERROR', []],
    ['pod.cluster.local.', 'A', 'NOERROR', []],
    ['testns.svc.cluster.local.', 'A', 'NOERROR', []],
    ['foo.cluster.local.', 'A', 'NXDOMAIN', []],
    ['foo.svc.cluster.local.', 'A', 'NXDOMAIN', []],
    ['endpoint.external.testns.svc.cluster.local.', 'CNAME', 'NXDOMAIN', []],
  ])('%s %s → %s %j', (qname, qtype, rcode, answers) => {
    const result = coreDnsAnswer(state, qname, qtype);
    expect(result.rcode).toBe(rcode);
    expect(result.answers.map((a) => `${a.type} ${a.data}`)).toEqual(answers);
    expect(result.authority).toBe('cluster');
  });

  it("answers with the zone TTL of kubeadm's Corefile (ttl 30) and 28800 for the schema version", () => {
    expect(coreDnsAnswer(state, SVC1, 'A').answers[0]).toEqual({
      name: SVC1,
      type: 'A',
      ttl: 30,
      data: '10.96.0.101',
    });
    expect(coreDnsAnswer(state, 'dns-version.cluster.local', 'TXT').answers[0].ttl).toBe(28800);
  });

  it("puts the SRV targets' addresses in the additional section", () => {
    expect(coreDnsAnswer(state, `_http._tcp.${SVC1}`, 'SRV').additional).toEqual([
      { name: SVC1, type: 'A', ttl: 30, data: '10.96.0.101' },
    ]);
    expect(
      coreDnsAnswer(state, `_http._tcp.${HDLS1}`, 'SRV').additional?.map(
        (a) => `${a.name} ${a.data}`,
      ),
    ).toEqual([
      `172-0-0-2.${HDLS1} 172.0.0.2`,
      `172-0-0-3.${HDLS1} 172.0.0.3`,
      `dup-name.${HDLS1} 172.0.0.4`,
      `dup-name.${HDLS1} 172.0.0.5`,
    ]);
  });

  it('matches names case-insensitively and with or without the trailing dot', () => {
    expect(data('SVC1.TestNS.svc.Cluster.Local.', 'A')).toEqual(['A 10.96.0.101']);
    expect(data('_HTTP._TCP.svc1.testns.svc.cluster.local', 'SRV')).toEqual([
      `SRV 0 100 80 ${SVC1}`,
    ]);
  });

  it('has no SRV for a port name or protocol the Service does not have', () => {
    expect(coreDnsAnswer(state, `_https._tcp.${SVC1}`, 'SRV').rcode).toBe('NXDOMAIN');
    expect(coreDnsAnswer(state, `_http._udp.${SVC1}`, 'SRV').rcode).toBe('NXDOMAIN');
  });

  it('leaves not-ready endpoints out, unless the Service publishes not-ready addresses', () => {
    expect(coreDnsAnswer(state, `172-0-0-6.${HDLS1}`, 'A').rcode).toBe('NXDOMAIN');
    expect(data('hdls-tolerant.testns.svc.cluster.local', 'A')).toEqual(['A 172.0.1.9']);
  });

  it('answers NXDOMAIN for a headless Service without ready endpoints', () => {
    expect(coreDnsAnswer(state, 'hdls-empty.testns.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
  });

  it('returns the CNAME alone when the ExternalName target does not resolve upstream', () => {
    const result = coreDnsAnswer(state, 'nowhere.testns.svc.cluster.local', 'A');
    expect(result.rcode).toBe('NOERROR');
    expect(result.answers.map((a) => `${a.type} ${a.data}`)).toEqual(['CNAME gone.interwebs.test']);
    expect(result.note).toContain('gone.interwebs.test');
  });

  it.each([
    ['10-244-1-5.testns.pod.cluster.local', 'NOERROR', ['A 10.244.1.5']],
    ['10-244-1-5.default.pod.cluster.local.', 'NOERROR', ['A 10.244.1.5']],
    ['10-244-1-5.no-such-ns.pod.cluster.local', 'NXDOMAIN', []],
    ['not-an-ip.testns.pod.cluster.local', 'NXDOMAIN', []],
    ['testns.pod.cluster.local', 'NOERROR', []],
  ])('pods insecure: %s → %s %j', (qname, rcode, answers) => {
    const result = coreDnsAnswer(state, qname, 'A');
    expect(result.rcode).toBe(rcode);
    expect(result.answers.map((a) => `${a.type} ${a.data}`)).toEqual(answers);
  });

  it.each([
    ['101.0.96.10.in-addr.arpa', 'NOERROR', [SVC1], 'reverse'],
    ['4.0.0.172.in-addr.arpa.', 'NOERROR', [`dup-name.${HDLS1}`], 'reverse'],
    ['2.0.0.172.in-addr.arpa', 'NOERROR', [`172-0-0-2.${HDLS1}`], 'reverse'],
    // No Service or endpoint has it: `fallthrough in-addr.arpa` hands it to the upstream resolver.
    ['77.1.244.10.in-addr.arpa', 'NXDOMAIN', [], 'upstream'],
  ])('PTR %s → %s %j (%s)', (qname, rcode, targets, authority) => {
    const result = coreDnsAnswer(state, qname, 'PTR');
    expect(result.rcode).toBe(rcode);
    expect(result.answers.map((a) => a.data)).toEqual(targets);
    expect(result.authority).toBe(authority);
  });

  it('forwards names outside the cluster zone to the upstream zone', () => {
    expect(coreDnsAnswer(state, 'example.com', 'A')).toEqual({
      rcode: 'NOERROR',
      answers: [{ name: 'example.com', type: 'A', ttl: 300, data: '93.184.215.14' }],
      authority: 'upstream',
    });
    expect(
      coreDnsAnswer(state, 'www.example.com.', 'A').answers.map((a) => `${a.type} ${a.data}`),
    ).toEqual(['CNAME example.com', 'A 93.184.215.14']);
    expect(coreDnsAnswer(state, 'nothing.invalid', 'A')).toMatchObject({
      rcode: 'NXDOMAIN',
      authority: 'upstream',
    });
    expect(coreDnsAnswer(state, 'website.default', 'A')).toMatchObject({
      rcode: 'NXDOMAIN',
      authority: 'upstream',
    });
  });

  it('lists every served record once: the cluster zone sorted by name, then the reverse zone', () => {
    const records = listClusterRecords(state).map((r) => `${r.name} ${r.type} ${r.data}`);
    expect(records).toEqual(
      expect.arrayContaining([
        'dns-version.cluster.local TXT 1.1.0',
        `${SVC1} A 10.96.0.101`,
        `_http._tcp.${SVC1} SRV 0 100 80 ${SVC1}`,
        `${HDLS1} A 172.0.0.2`,
        `dup-name.${HDLS1} A 172.0.0.5`,
        'external.testns.svc.cluster.local CNAME ext.interwebs.test',
        `101.0.96.10.in-addr.arpa PTR ${SVC1}`,
        'kubernetes.default.svc.cluster.local A 10.96.0.1',
        'kube-dns.kube-system.svc.cluster.local A 10.96.0.10',
      ]),
    );
    expect(records).not.toContain(`172-0-0-6.${HDLS1} A 172.0.0.6`);
    expect(new Set(records).size).toBe(records.length);
    const forward = listClusterRecords(state)
      .filter((r) => r.type !== 'PTR')
      .map((r) => r.name);
    const reverse = listClusterRecords(state)
      .filter((r) => r.type === 'PTR')
      .map((r) => r.name);
    expect(forward).toEqual([...forward].sort());
    expect(reverse).toEqual([...reverse].sort());
    expect(records.slice(-reverse.length).every((r) => r.includes(' PTR '))).toBe(true);
  });
});
