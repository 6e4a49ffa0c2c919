import { WEBSITE_YAML, clusterDoc } from '../cni/spec-fixtures';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { dnsProbe } from './dns-probe';

const EXTERNAL_NAME_YAML = `apiVersion: v1
kind: Service
metadata: { name: docs }
spec:
  type: ExternalName
  externalName: www.example.com`;

const state = () => clusterFromYaml(clusterDoc('kindnet'), WEBSITE_YAML, EXTERNAL_NAME_YAML);

describe('dnsProbe', () => {
  it.each([
    [
      'website.default',
      'resolved',
      ['website.default.default.svc.cluster.local', 'website.default.svc.cluster.local'],
    ],
    ['website', 'resolved', ['website.default.svc.cluster.local']],
    [
      'kubernetes.default',
      'resolved',
      ['kubernetes.default.default.svc.cluster.local', 'kubernetes.default.svc.cluster.local'],
    ],
    [
      'website.foo',
      'unresolved',
      [
        'website.foo.default.svc.cluster.local',
        'website.foo.svc.cluster.local',
        'website.foo.cluster.local',
        'website.foo.localdomain',
        'website.foo',
      ],
    ],
    ['website.default.svc.cluster.local.', 'resolved', ['website.default.svc.cluster.local']],
  ])('%s from the client pod: %s after the queries in search order', (name, verdict, queries) => {
    const trace = dnsProbe(state(), { from: 'client', name });
    expect(trace.verdict).toBe(verdict);
    expect(trace.queries.map((q) => q.name)).toEqual(queries);
  });

  it('answers an ExternalName with the CNAME chain down to the upstream address', () => {
    const trace = dnsProbe(state(), { from: 'client', name: 'docs' });
    expect(trace.verdict).toBe('resolved');
    expect(trace.answers.map((a) => [a.type, a.data])).toEqual([
      ['CNAME', 'www.example.com'],
      ['CNAME', 'example.com'],
      ['A', '93.184.215.14'],
    ]);
  });

  it('shows the query path: resolver, kube-proxy DNAT of the kube-dns ClusterIP, one CoreDNS hop per query', () => {
    const trace = dnsProbe(state(), { from: 'client', name: 'website.default' });
    expect(trace.hops.map((h) => h.component)).toEqual([
      'resolver',
      'kube-proxy',
      'coredns',
      'coredns',
    ]);
    expect(trace.hops[1].details?.service).toBe('kube-system/kube-dns');
  });

  it('a node resolves with its own resolv.conf, which does not know cluster names', () => {
    const trace = dnsProbe(state(), {
      from: 'node/worker',
      name: 'website.default.svc.cluster.local',
    });
    expect(trace.verdict).toBe('unresolved');
    expect(trace.hops.some((h) => h.component === 'upstream-dns')).toBe(true);
  });

  it('SRV lookups return the named port of a ClusterIP service', () => {
    const trace = dnsProbe(state(), {
      from: 'client',
      name: '_http._tcp.website.default.svc.cluster.local',
      type: 'SRV',
    });
    expect(trace.verdict).toBe('resolved');
    expect(trace.answers[0]).toMatchObject({ type: 'SRV' });
    expect(trace.answers[0].data).toContain('80 website.default.svc.cluster.local');
  });
});
