import {
  PINNED_PODS_YAML,
  WEBSITE_NODE_PORT_YAML,
  WEBSITE_YAML,
  clusterDoc,
} from '../cni/spec-fixtures';
import type { ClusterState } from '../model/cluster-state';
import type { ProbeTrace } from '../trace/trace-types';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { traceProbe } from './probe';

const EMPTY_SERVICE_YAML = `apiVersion: v1
kind: Service
metadata: { name: empty }
spec:
  selector: { app: nothing-matches }
  ports: [{ port: 80 }]`;

function website(cni = 'kindnet', ...extra: string[]): ClusterState {
  return clusterFromYaml(clusterDoc(cni), WEBSITE_YAML, ...extra);
}

function clusterIP(state: ClusterState, name = 'website'): string {
  const svc = state.services.get(`default/${name}`);
  if (!svc) throw new Error(`no service ${name}`);
  return svc.clusterIP;
}

function websitePodIPs(state: ClusterState): string[] {
  return [...state.pods.values()].filter((p) => p.labels.app === 'website').map((p) => p.ip);
}

function components(trace: ProbeTrace, direction: 'request' | 'reply'): string[] {
  return trace.hops.filter((h) => h.direction === direction).map((h) => h.component);
}

describe("the seeds' website example: wget from the busybox client", () => {
  it('wget http://website.default/ searches, resolves the ClusterIP, and reaches one of the 3 pods', () => {
    const state = website();
    const trace = traceProbe(state, { from: 'client', to: 'http://website.default/' });
    expect(trace.verdict).toBe('delivered');
    expect(trace.dns.map((q) => [q.name, q.type, q.rcode])).toEqual([
      ['website.default.default.svc.cluster.local', 'A', 'NXDOMAIN'],
      ['website.default.svc.cluster.local', 'A', 'NOERROR'],
    ]);
    expect(trace.dns[1].answers.map((a) => a.data)).toEqual([clusterIP(state)]);
    expect(websitePodIPs(state)).toContain(trace.backend?.ip);
    expect(trace.backend).toMatchObject({ namespace: 'default', port: 80, service: 'website' });
    const dnat = trace.hops.find(
      (h) => h.component === 'kube-proxy' && h.details?.service === 'default/website',
    );
    expect(dnat?.details?.dnatFrom).toBe(`${clusterIP(state)}:80`);
    expect(dnat?.packet.dst.ip).toBe(trace.backend?.ip);
  });

  it('the first search candidate answers for http://website', () => {
    const trace = traceProbe(website(), { from: 'client', to: 'http://website' });
    expect(trace.verdict).toBe('delivered');
    expect(trace.dns.map((q) => [q.name, q.rcode])).toEqual([
      ['website.default.svc.cluster.local', 'NOERROR'],
    ]);
  });

  it('http://website.foo is a bad address after every candidate answers NXDOMAIN', () => {
    const trace = traceProbe(website(), { from: 'client', to: 'http://website.foo' });
    expect(trace.verdict).toBe('unresolved');
    expect(trace.dropReason).toBe('NXDOMAIN');
    expect(trace.reason).toBe("wget: bad address 'website.foo'");
    expect(trace.dns.length).toBeGreaterThanOrEqual(4);
    expect(trace.dns.length).toBeLessThanOrEqual(5);
    expect(trace.dns.every((q) => q.rcode === 'NXDOMAIN')).toBe(true);
    expect(trace.dns[0].name).toBe('website.foo.default.svc.cluster.local');
    expect(trace.backend).toBeNull();
  });

  it('the DNS lookup travels to a CoreDNS pod through the kube-dns ClusterIP', () => {
    const trace = traceProbe(website(), { from: 'client', to: 'http://website.default/' });
    const dnsHops = trace.hops.filter(
      (h) =>
        ['resolver', 'coredns'].includes(h.component) ||
        h.details?.service === 'kube-system/kube-dns',
    );
    expect(dnsHops.map((h) => h.component)).toEqual([
      'resolver',
      'kube-proxy',
      'coredns',
      'coredns',
    ]);
    expect(dnsHops[0].packet).toMatchObject({
      protocol: 'UDP',
      dst: { ip: '10.96.0.10', port: 53 },
    });
    expect(dnsHops[2].node).toBe('control-plane');
  });

  it('wget http://<ClusterIP> needs no DNS and is delivered', () => {
    const state = website();
    const trace = traceProbe(state, { from: 'client', to: `http://${clusterIP(state)}` });
    expect(trace.verdict).toBe('delivered');
    expect(trace.dns).toEqual([]);
    expect(websitePodIPs(state)).toContain(trace.backend?.ip);
  });

  it('the reply comes back from the ClusterIP, un-DNATed by conntrack', () => {
    const state = website();
    const trace = traceProbe(state, { from: 'client', to: `http://${clusterIP(state)}` });
    const reply = trace.hops.filter((h) => h.direction === 'reply');
    expect(reply.length).toBeGreaterThan(0);
    expect(reply.some((h) => h.component === 'conntrack')).toBe(true);
    const last = reply[reply.length - 1];
    expect(last.packet.src).toEqual({ ip: clusterIP(state), port: 80 });
    expect(last.packet.dst.ip).toBe(state.pods.get('default/client')?.ip);
    expect(trace.hops.map((h) => h.seq)).toEqual(trace.hops.map((_, i) => i + 1));
  });
});

describe('verdicts', () => {
  it('a Service without endpoints is refused by kube-proxy', () => {
    const trace = traceProbe(website('kindnet', EMPTY_SERVICE_YAML), {
      from: 'client',
      to: 'http://empty',
    });
    expect(trace.verdict).toBe('refused');
    expect(trace.dropReason).toBe('NO_ENDPOINTS');
  });

  it('a port no container declares is refused, with a note that containerPort is informational', () => {
    const state = website();
    const trace = traceProbe(state, { from: 'client', to: `${websitePodIPs(state)[0]}:8080` });
    expect(trace.verdict).toBe('refused');
    expect(trace.dropReason).toBe('PORT_UNREACHABLE');
    expect(trace.notes.join(' ')).toContain('containerPort is informational');
  });

  it('a pod that declares no ports is assumed to listen', () => {
    const state = website();
    const trace = traceProbe(state, {
      from: 'website',
      to: `${state.pods.get('default/client')?.ip}:8080`,
    });
    expect(trace.verdict).toBe('delivered');
    expect(trace.backend?.pod).toBe('client');
  });

  it('NodePort 30080 from outside to a node IP is delivered, masqueraded (externalTrafficPolicy Cluster)', () => {
    const trace = traceProbe(website('kindnet', WEBSITE_NODE_PORT_YAML), {
      from: 'external',
      to: 'http://172.18.0.3:30080/',
    });
    expect(trace.verdict).toBe('delivered');
    expect(trace.backend?.service).toBe('web-np');
    expect(components(trace, 'request').slice(0, 4)).toEqual([
      'application',
      'external-network',
      'node-netns',
      'kube-proxy',
    ]);
    const snat = trace.hops.find((h) => h.component === 'snat');
    expect(snat?.node).toBe('worker');
    expect(snat?.packet.src.ip).not.toBe('203.0.113.10');
    const reply = trace.hops.filter((h) => h.direction === 'reply');
    expect(reply[reply.length - 1]).toMatchObject({
      component: 'external-network',
      packet: { src: { ip: '172.18.0.3', port: 30080 }, dst: { ip: '203.0.113.10' } },
    });
  });

  it('a ClusterIP from outside the cluster has no route', () => {
    const state = website();
    const trace = traceProbe(state, { from: 'external', to: `http://${clusterIP(state)}/` });
    expect(trace.verdict).toBe('dropped');
    expect(trace.dropReason).toBe('NO_ROUTE');
  });

  it('a pod reaching the internet is masqueraded and answered by the simulated host', () => {
    const trace = traceProbe(website(), { from: 'client', to: 'http://example.com/' });
    expect(trace.verdict).toBe('delivered');
    expect(trace.backend).toBeNull();
    expect(trace.hops.find((h) => h.component === 'snat')?.details?.rule).toContain(
      'KIND-MASQ-AGENT',
    );
    expect(trace.notes.join(' ')).toContain('outside world is simulated');
  });

  it('an unknown source is reported, not thrown', () => {
    const trace = traceProbe(website(), { from: 'nobody', to: 'http://website' });
    expect(trace.verdict).toBe('unresolved');
    expect(trace.reason).toContain('nobody');
  });

  it('a default-deny ingress policy drops the request at the destination, and only flannel lets it through', () => {
    const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-all }
spec:
  podSelector: {}
  policyTypes: [Ingress]`;
    const denied = traceProbe(website('kindnet', policy), { from: 'client', to: 'http://website' });
    expect([denied.verdict, denied.dropReason]).toEqual(['dropped', 'POLICY_DENIED']);
    expect(denied.hops.at(-1)?.component).toBe('network-policy');
    const ignored = traceProbe(website('flannel', policy), {
      from: 'client',
      to: 'http://website',
    });
    expect(ignored.verdict).toBe('delivered');
    expect(ignored.notes.join(' ')).toContain(
      'flannel does not enforce NetworkPolicy: this packet would be dropped by default/deny-all under an enforcing CNI',
    );
    expect(
      components(traceProbe(website(), { from: 'client', to: 'http://website' }), 'request'),
    ).not.toContain('network-policy');
  });
});

describe('cross-node pod-to-pod probes per CNI', () => {
  it.each([
    ['kindnet', 'kindnet', undefined],
    ['flannel', 'flannel', { protocol: 'UDP', dstPort: 8472, vni: 1 }],
    ['calico ipip', '{ plugin: calico, mode: ipip }', { protocol: 'IPIP' }],
    ['cilium tunnel', 'cilium', { protocol: 'UDP', dstPort: 8472 }],
    ['cilium native', '{ plugin: cilium, mode: native }', undefined],
  ])('%s', (_name, cni, outer) => {
    const state = clusterFromYaml(clusterDoc(cni), PINNED_PODS_YAML);
    const trace = traceProbe(state, {
      from: 'a',
      to: `http://${state.pods.get('default/b')?.ip}/`,
    });
    expect(trace.verdict).toBe('delivered');
    expect(trace.backend).toMatchObject({ pod: 'b', node: 'worker2', service: null });
    const wire = trace.hops.find((h) => h.direction === 'request' && h.component === 'underlay');
    if (outer)
      expect(wire?.packet.outer).toMatchObject({ ...outer, src: '172.18.0.3', dst: '172.18.0.4' });
    else expect(wire?.packet.outer).toBeUndefined();
  });
});

describe('determinism and load balancing', () => {
  const probes = [
    'http://website.default/',
    'http://website',
    'http://website.foo',
    'http://example.com/',
  ];

  it('the same seed and probes give byte-identical traces', () => {
    const run = () => {
      const state = website('flannel');
      return JSON.stringify(probes.map((to) => traceProbe(state, { from: 'client', to })));
    };
    expect(run()).toBe(run());
  });

  it('spreads connections roughly uniformly over the endpoints', () => {
    const state = website();
    const counts = new Map<string, number>();
    const n = 900;
    for (let i = 0; i < n; i++) {
      const ip =
        traceProbe(state, { from: 'client', to: `http://${clusterIP(state)}/` }).backend?.ip ??
        'none';
      counts.set(ip, (counts.get(ip) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(websitePodIPs(state).sort());
    for (const count of counts.values()) expect(Math.abs(count - n / 3)).toBeLessThan(n / 3 / 4);
  });
});

describe('sources and special paths', () => {
  const HOST_NETWORK_POD = `apiVersion: v1
kind: Pod
metadata: { name: agent }
spec:
  hostNetwork: true
  nodeName: worker
  containers: [{ name: agent, image: busybox, ports: [{ containerPort: 9100 }] }]`;

  it("a hostNetwork pod sends from its node's address and is reached on the node IP", () => {
    const state = website('kindnet', HOST_NETWORK_POD);
    const out = traceProbe(state, { from: 'agent', to: `http://${clusterIP(state)}/` });
    expect(out.verdict).toBe('delivered');
    expect(out.hops.find((h) => h.component === 'application')?.packet.src.ip).toBe('172.18.0.3');
    const inbound = traceProbe(state, { from: 'client', to: '172.18.0.3:9100' });
    expect(inbound.verdict).toBe('delivered');
    expect(inbound.backend).toMatchObject({ pod: 'agent', ip: '172.18.0.3', node: 'worker' });
  });

  it('a pod on a node that went NotReady cannot send', () => {
    const state = website();
    const client = state.pods.get('default/client');
    const node = client ? state.nodes.get(client.nodeName) : undefined;
    if (!node) throw new Error('client is not scheduled');
    node.ready = false;
    state.version++;
    const trace = traceProbe(state, { from: 'client', to: 'http://website' });
    expect(trace).toMatchObject({ verdict: 'dropped', dropReason: 'NODE_NOT_READY' });
  });

  it('hairpin: a pod reaching its own Service is masqueraded, and the reply is un-NATed back to it', () => {
    const state = website();
    const self = [...state.pods.values()].find((p) => p.labels.app === 'website');
    if (!self) throw new Error('no website pod');
    let trace: ProbeTrace | undefined;
    for (let i = 0; i < 50 && trace?.backend?.pod !== self.name; i++)
      trace = traceProbe(state, { from: self.name, to: `http://${clusterIP(state)}/` });
    expect(trace?.backend?.pod).toBe(self.name);
    const snat = trace?.hops.find((h) => h.component === 'snat');
    expect(snat?.packet.src.ip).not.toBe(self.ip);
    const reply = trace?.hops.filter((h) => h.direction === 'reply') ?? [];
    expect(reply[reply.length - 1].packet).toMatchObject({
      src: { ip: clusterIP(state), port: 80 },
      dst: { ip: self.ip },
    });
  });

  it('a pod reaching its own IP stays on loopback', () => {
    const state = website();
    const self = [...state.pods.values()].find((p) => p.labels.app === 'website');
    const trace = traceProbe(state, { from: self?.name ?? '', to: `http://${self?.ip}/` });
    expect(trace.verdict).toBe('delivered');
    expect(trace.hops.filter((h) => h.component !== 'application').map((h) => h.component)).toEqual(
      ['loopback', 'loopback'],
    );
  });

  it.each([
    ['ftp://website/', 'unsupported scheme'],
    ['website:99999', 'invalid port'],
  ])('rejects the destination %s', (to, message) => {
    const trace = traceProbe(website(), { from: 'client', to });
    expect(trace.verdict).toBe('unresolved');
    expect(trace.reason).toContain(message);
  });
});
