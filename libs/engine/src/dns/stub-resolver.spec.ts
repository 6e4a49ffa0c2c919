import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { clusterWith, WEBSITE_YAML } from '../testing/seed-fixtures';
import type { ClusterState } from '../model/cluster-state';
import type { Pod } from '../model/resources';
import { resolvConfFor, type ResolvConf } from './resolv-conf';
import { resolveName, searchCandidates } from './stub-resolver';

/** The seed document's setup (website Deployment, its Service, a busybox client) plus pods with the other DNS policies. */
const WEBSITE = `${WEBSITE_YAML}---
apiVersion: v1
kind: Pod
metadata: {name: host-dns}
spec:
  dnsPolicy: Default
  containers: [{name: client, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: no-dns}
spec:
  dnsPolicy: None
  dnsConfig: {nameservers: [127.0.0.1]}
  containers: [{name: client, image: busybox}]
`;

const EC2_NODE_SEARCH = clusterWith(
  '  nodeResolvConf: {nameservers: [172.18.0.1], searches: [ec2.internal]}\n',
  'lab',
);

function podRc(state: ClusterState, ref: string): ResolvConf {
  const pod: Pod | undefined = state.pods.get(ref);
  if (!pod) throw new Error(`no pod ${ref}`);
  return resolvConfFor(state, pod);
}

function websiteIP(state: ClusterState): string {
  return state.services.get('default/website')?.clusterIP ?? '';
}

describe('searchCandidates (glibc __res_context_search, musl name_from_dns_search)', () => {
  const rc: ResolvConf = {
    nameservers: ['10.96.0.10'],
    searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'ec2.internal'],
    options: [{ name: 'ndots', value: '5' }],
    ndots: 5,
    source: 'test',
  };
  const searched = (name: string) => rc.searches.map((d) => `${name}.${d}`);

  it.each<[string, 'glibc' | 'musl', string[]]>([
    ['website', 'glibc', [...searched('website'), 'website']],
    ['website.default', 'glibc', [...searched('website.default'), 'website.default']],
    ['example.com', 'glibc', [...searched('example.com'), 'example.com']],
    // Five dots reach ndots:5: glibc asks the name as is first, then still walks the search list.
    ['a.b.c.d.e.f', 'glibc', ['a.b.c.d.e.f', ...searched('a.b.c.d.e.f')]],
    ['a.b.c.d.e.f', 'musl', ['a.b.c.d.e.f']],
    ['website.default.svc.cluster.local.', 'glibc', ['website.default.svc.cluster.local']],
    ['website.default.svc.cluster.local.', 'musl', ['website.default.svc.cluster.local']],
    ['example.com', 'musl', [...searched('example.com'), 'example.com']],
  ])('%s (%s) → %j', (name, flavour, expected) => {
    expect(searchCandidates(rc, name, flavour)).toEqual(expected);
  });

  it('tries a name with enough dots as is first under a lower ndots', () => {
    expect(searchCandidates({ ...rc, ndots: 1 }, 'example.com', 'glibc')[0]).toBe('example.com');
  });
});

describe('resolveName from a ClusterFirst pod (the seed document)', () => {
  const state = clusterFromYaml(WEBSITE);
  const rc = podRc(state, 'default/client');

  it('resolves `website` with the first search domain', () => {
    const result = resolveName(state, rc, 'website', 'A');
    expect(result.queries.map((q) => `${q.name} ${q.rcode} ${q.server}`)).toEqual([
      'website.default.svc.cluster.local NOERROR coredns',
    ]);
    expect(result.addresses).toEqual([websiteIP(state)]);
    expect(result.resolvedName).toBe('website.default.svc.cluster.local');
    expect(result.rcode).toBe('NOERROR');
  });

  it('resolves `website.default` on the second candidate', () => {
    const result = resolveName(state, rc, 'website.default', 'A');
    expect(result.queries.map((q) => `${q.name} ${q.rcode}`)).toEqual([
      'website.default.default.svc.cluster.local NXDOMAIN',
      'website.default.svc.cluster.local NOERROR',
    ]);
    expect(result.addresses).toEqual([websiteIP(state)]);
  });

  it.each(['glibc', 'musl'] as const)(
    'cannot resolve `website.foo` (%s): every candidate is NXDOMAIN — wget: bad address',
    (flavour) => {
      const result = resolveName(state, rc, 'website.foo', 'A', flavour);
      expect(result.queries.map((q) => `${q.name} ${q.rcode}`)).toEqual([
        'website.foo.default.svc.cluster.local NXDOMAIN',
        'website.foo.svc.cluster.local NXDOMAIN',
        'website.foo.cluster.local NXDOMAIN',
        'website.foo.localdomain NXDOMAIN',
        'website.foo NXDOMAIN',
      ]);
      expect(result.rcode).toBe('NXDOMAIN');
      expect(result.addresses).toEqual([]);
      expect(result.resolvedName).toBeUndefined();
    },
  );

  it('resolves `kubernetes.default` to the API server Service', () => {
    const result = resolveName(state, rc, 'kubernetes.default', 'A');
    expect(result.queries.map((q) => q.name)).toEqual([
      'kubernetes.default.default.svc.cluster.local',
      'kubernetes.default.svc.cluster.local',
    ]);
    expect(result.addresses).toEqual(['10.96.0.1']);
  });

  it('sends a trailing-dot name once, as is', () => {
    const result = resolveName(state, rc, 'website.default.svc.cluster.local.', 'A');
    expect(result.queries.map((q) => q.name)).toEqual(['website.default.svc.cluster.local']);
    expect(result.addresses).toEqual([websiteIP(state)]);
  });

  it('keeps searching after NODATA with glibc but stops there with musl', () => {
    // `default.svc.cluster.local` exists (a namespace) without records: NODATA.
    const glibc = resolveName(state, rc, 'default', 'A', 'glibc');
    expect(glibc.queries.map((q) => q.name)).toEqual([
      'default.default.svc.cluster.local',
      'default.svc.cluster.local',
      'default.cluster.local',
      'default.localdomain',
      'default',
    ]);
    expect(glibc.rcode).toBe('NOERROR');
    expect(glibc.addresses).toEqual([]);
    const musl = resolveName(state, rc, 'default', 'A', 'musl');
    expect(musl.queries.map((q) => q.name)).toEqual([
      'default.default.svc.cluster.local',
      'default.svc.cluster.local',
    ]);
    expect(musl.notes.join(' ')).toContain('musl');
  });

  it('asks no server for an IP literal or an empty name', () => {
    expect(resolveName(state, rc, '10.96.0.1', 'A')).toMatchObject({
      queries: [],
      addresses: ['10.96.0.1'],
    });
    expect(resolveName(state, rc, '', 'A')).toMatchObject({
      queries: [],
      addresses: [],
      rcode: 'NXDOMAIN',
    });
  });

  it('records NODATA for AAAA of an IPv4-only Service on every candidate and resolves nothing', () => {
    const result = resolveName(state, rc, 'website', 'AAAA');
    expect(result.queries.map((q) => `${q.name} ${q.type} ${q.rcode}`)).toEqual([
      'website.default.svc.cluster.local AAAA NOERROR',
      'website.svc.cluster.local AAAA NXDOMAIN',
      'website.cluster.local AAAA NXDOMAIN',
      'website.localdomain AAAA NXDOMAIN',
      'website AAAA NXDOMAIN',
    ]);
    expect(result.addresses).toEqual([]);
  });

  it('turns an address into its reverse name for PTR', () => {
    const result = resolveName(state, rc, websiteIP(state), 'PTR');
    expect(result.queries.map((q) => q.name)).toEqual([
      `${websiteIP(state).split('.').reverse().join('.')}.in-addr.arpa`,
    ]);
    expect(result.answers.map((a) => a.data)).toEqual(['website.default.svc.cluster.local']);
  });

  it('finds SRV records through the search list', () => {
    const result = resolveName(state, rc, '_http._tcp.website', 'SRV');
    expect(result.resolvedName).toBe('_http._tcp.website.default.svc.cluster.local');
    expect(result.answers.map((a) => a.data)).toEqual([
      '0 100 80 website.default.svc.cluster.local',
    ]);
  });

  it('is deterministic: the same question gives the same answer', () => {
    expect(resolveName(state, rc, 'website.foo', 'A')).toEqual(
      resolveName(state, rc, 'website.foo', 'A'),
    );
  });
});

describe('resolveName with other nameservers', () => {
  it('reaches external names after the four search candidates (node search ec2.internal)', () => {
    const state = clusterFromYaml(EC2_NODE_SEARCH, WEBSITE);
    const result = resolveName(state, podRc(state, 'default/client'), 'example.com', 'A');
    expect(result.queries.map((q) => `${q.name} ${q.rcode}`)).toEqual([
      'example.com.default.svc.cluster.local NXDOMAIN',
      'example.com.svc.cluster.local NXDOMAIN',
      'example.com.cluster.local NXDOMAIN',
      'example.com.ec2.internal NXDOMAIN',
      'example.com NOERROR',
    ]);
    expect(result.addresses).toEqual(['93.184.215.14']);
  });

  it('cannot resolve a Service name from a dnsPolicy Default pod: the node nameserver knows no cluster names', () => {
    const state = clusterFromYaml(WEBSITE);
    const result = resolveName(state, podRc(state, 'default/host-dns'), 'website.default', 'A');
    expect(result.queries.map((q) => `${q.name} ${q.rcode} ${q.server}`)).toEqual([
      // The node file has no ndots option: ndots 1, so the one-dot name goes as is first.
      'website.default NXDOMAIN upstream',
      'website.default.localdomain NXDOMAIN upstream',
    ]);
    expect(result.rcode).toBe('NXDOMAIN');
    expect(
      resolveName(state, podRc(state, 'default/host-dns'), 'example.com', 'A').addresses,
    ).toEqual(['93.184.215.14']);
  });

  it('times out when nothing listens on the nameserver', () => {
    const state = clusterFromYaml(WEBSITE);
    const result = resolveName(state, podRc(state, 'default/no-dns'), 'website', 'A');
    expect(result.rcode).toBe('TIMEOUT');
    expect(result.queries).toHaveLength(1);
    expect(result.queries[0].rcode).toBe('TIMEOUT');
  });

  it('answers from the upstream zone for a custom nameserver and names it', () => {
    const state = clusterFromYaml(WEBSITE);
    const rc: ResolvConf = {
      nameservers: ['8.8.8.8'],
      searches: [],
      options: [],
      ndots: 1,
      source: 'test',
    };
    const result = resolveName(state, rc, 'example.com', 'A');
    expect(result.queries).toEqual([
      {
        name: 'example.com',
        type: 'A',
        rcode: 'NOERROR',
        answers: [{ name: 'example.com', type: 'A', ttl: 300, data: '93.184.215.14' }],
        server: '8.8.8.8',
      },
    ]);
  });
});
