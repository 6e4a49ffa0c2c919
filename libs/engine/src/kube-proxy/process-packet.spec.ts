import type { KubeProxyMode } from '../model/cluster-config';
import type { ClusterState } from '../model/cluster-state';
import type { Protocol } from '../model/resources';
import { kubeProxyProcess, type KubeProxyOutcome } from './process-packet';
import { packetFlowCluster } from './spec-fixtures';

/**
 * Packet-flow cases after runPacketFlowTests in pkg/proxy/{iptables,nftables}/proxier_test.go
 * (semantics §4.2, §4.3, §4.6): `output` lists every possible DNAT target, or REJECT / DROP, or ''
 * for "no kube-proxy rule matched".
 */
interface FlowCase {
  name: string;
  node?: string;
  origin?: 'pod' | 'node' | 'external';
  src: string;
  dst: string;
  port: number;
  protocol?: Protocol;
  output: string;
  masq?: boolean;
  snat?: string;
  dropReason?: string;
  /** IPVS differs where a Local policy finds no local endpoint (ipvs/proxier.go syncEndpoint, kubernetes#97081). */
  ipvs?: Partial<FlowCase>;
}

const POD_ON_WORKER = '10.244.1.5';
const EXTERNAL = '203.0.113.10';
const EXTERNAL_BLOCKED = '203.0.113.130';

const flows: FlowCase[] = [
  {
    name: 'ClusterIP with a single endpoint',
    src: POD_ON_WORKER,
    dst: '10.96.100.11',
    port: 80,
    output: '10.244.2.20:8080',
    masq: false,
  },
  {
    name: 'ClusterIP with multiple endpoints (targetPort 80 → 8080)',
    src: POD_ON_WORKER,
    dst: '10.96.100.10',
    port: 80,
    output: '10.244.1.10:8080, 10.244.1.11:8080, 10.244.2.10:8080',
    masq: false,
  },
  {
    name: 'ClusterIP without endpoints is rejected',
    src: POD_ON_WORKER,
    dst: '10.96.100.12',
    port: 80,
    output: 'REJECT',
    dropReason: 'NO_ENDPOINTS',
  },
  {
    name: 'UDP service port reached over UDP',
    src: POD_ON_WORKER,
    dst: '10.96.100.20',
    port: 53,
    protocol: 'UDP',
    output: '10.244.2.70:53',
    masq: false,
  },
  {
    name: 'hairpin: an endpoint calling its own service is masqueraded to the node gateway',
    node: 'worker2',
    src: '10.244.2.20',
    dst: '10.96.100.11',
    port: 80,
    output: '10.244.2.20:8080',
    masq: true,
    snat: '10.244.2.1',
  },
  {
    name: 'node to ClusterIP is masqueraded (source outside the cluster CIDR)',
    origin: 'node',
    src: '172.18.0.3',
    dst: '10.96.100.11',
    port: 80,
    output: '10.244.2.20:8080',
    masq: true,
    snat: '172.18.0.3',
  },
  {
    name: 'external to NodePort (eTP Cluster) is masqueraded to the node IP',
    origin: 'external',
    src: EXTERNAL,
    dst: '172.18.0.3',
    port: 30080,
    output: '10.244.2.30:8080',
    masq: true,
    snat: '172.18.0.3',
  },
  {
    name: 'pod to NodePort (eTP Cluster) is masqueraded',
    src: POD_ON_WORKER,
    dst: '172.18.0.3',
    port: 30080,
    output: '10.244.2.30:8080',
    masq: true,
  },
  {
    name: 'node to its own NodePort is masqueraded',
    origin: 'node',
    src: '172.18.0.3',
    dst: '172.18.0.3',
    port: 30080,
    output: '10.244.2.30:8080',
    masq: true,
  },
  {
    name: 'external to NodePort (eTP Local) on a node without local endpoints is dropped',
    origin: 'external',
    src: EXTERNAL,
    dst: '172.18.0.3',
    port: 30081,
    output: 'DROP',
    dropReason: 'NO_LOCAL_ENDPOINTS',
    ipvs: { output: '10.244.2.31:8080', masq: false },
  },
  {
    name: 'external to NodePort (eTP Local) on the endpoint node keeps the client IP',
    node: 'worker2',
    origin: 'external',
    src: EXTERNAL,
    dst: '172.18.0.4',
    port: 30081,
    output: '10.244.2.31:8080',
    masq: false,
  },
  {
    name: 'NodePort on another node is handled by that node (eTP Local, endpoint there)',
    origin: 'external',
    src: EXTERNAL,
    dst: '172.18.0.4',
    port: 30081,
    output: '10.244.2.31:8080',
    masq: false,
  },
  {
    name: 'pod to NodePort (eTP Local) short-circuits to all endpoints without masquerade',
    src: POD_ON_WORKER,
    dst: '172.18.0.3',
    port: 30081,
    output: '10.244.2.31:8080',
    masq: false,
  },
  {
    name: 'node to NodePort (eTP Local) goes to all endpoints, masqueraded',
    origin: 'node',
    src: '172.18.0.3',
    dst: '172.18.0.3',
    port: 30081,
    output: '10.244.2.31:8080',
    masq: true,
  },
  {
    name: 'pod to ClusterIP of an eTP Local service is not masqueraded',
    src: POD_ON_WORKER,
    dst: '10.96.100.14',
    port: 80,
    output: '10.244.2.31:8080',
    masq: false,
  },
  {
    name: 'iTP Local, no endpoint on this node: dropped',
    src: POD_ON_WORKER,
    dst: '10.96.100.15',
    port: 80,
    output: 'DROP',
    dropReason: 'NO_LOCAL_ENDPOINTS',
    ipvs: { output: 'REJECT' },
  },
  {
    name: 'iTP Local, endpoint on this node: delivered',
    node: 'worker2',
    src: '10.244.2.5',
    dst: '10.96.100.15',
    port: 80,
    output: '10.244.2.32:8080',
    masq: false,
  },
  {
    name: 'external to LB IP inside loadBalancerSourceRanges',
    origin: 'external',
    src: EXTERNAL,
    dst: '192.0.2.80',
    port: 80,
    output: '10.244.2.33:8080',
    masq: true,
  },
  {
    name: 'external to LB IP outside loadBalancerSourceRanges',
    origin: 'external',
    src: EXTERNAL_BLOCKED,
    dst: '192.0.2.80',
    port: 80,
    output: 'DROP',
    dropReason: 'DENIED_BY_LB_SRC_RANGE_CHECK',
  },
  {
    name: 'pod to LB IP (pod CIDR not in the ranges) is dropped',
    src: POD_ON_WORKER,
    dst: '192.0.2.80',
    port: 80,
    output: 'DROP',
    dropReason: 'DENIED_BY_LB_SRC_RANGE_CHECK',
  },
  {
    name: 'node to LB IP (node network in the ranges) is allowed',
    origin: 'node',
    src: '172.18.0.3',
    dst: '192.0.2.80',
    port: 80,
    output: '10.244.2.33:8080',
    masq: true,
  },
  {
    name: 'node to LB IP, SNATted to the LB IP, is implicitly allowed',
    origin: 'node',
    src: '192.0.2.80',
    dst: '192.0.2.80',
    port: 80,
    output: '10.244.2.33:8080',
    masq: true,
  },
  {
    name: 'NodePort bypasses loadBalancerSourceRanges',
    origin: 'external',
    src: EXTERNAL_BLOCKED,
    dst: '172.18.0.3',
    port: 30082,
    output: '10.244.2.33:8080',
    masq: true,
  },
  {
    name: 'pod to ClusterIP of the LB service ignores source ranges',
    src: POD_ON_WORKER,
    dst: '10.96.100.16',
    port: 80,
    output: '10.244.2.33:8080',
    masq: false,
  },
  {
    name: 'pod to externalIP (eTP Cluster) is masqueraded',
    src: POD_ON_WORKER,
    dst: '192.0.2.99',
    port: 80,
    output: '10.244.2.60:8080',
    masq: true,
  },
  {
    name: 'no ready endpoint: falls back to the serving, terminating one',
    src: POD_ON_WORKER,
    dst: '10.96.100.17',
    port: 80,
    output: '10.244.2.40:8080',
    masq: false,
  },
  {
    name: "an address outside the service CIDR is not kube-proxy's business",
    src: POD_ON_WORKER,
    dst: '10.244.2.20',
    port: 8080,
    output: '',
  },
  {
    name: 'a node IP on a port that is no NodePort passes through',
    origin: 'external',
    src: EXTERNAL,
    dst: '172.18.0.3',
    port: 22,
    output: '',
  },
];

function probe(state: ClusterState, c: FlowCase): KubeProxyOutcome {
  const node = state.nodes.get(c.node ?? 'worker')!;
  return kubeProxyProcess(
    state,
    { dstIP: c.dst, dstPort: c.port, protocol: c.protocol ?? 'TCP', srcIP: c.src },
    { node, origin: c.origin ?? 'pod' },
  );
}

describe.each<KubeProxyMode>(['iptables', 'nftables', 'ipvs'])(
  'kubeProxyProcess packet flows (%s mode)',
  (mode) => {
    const state = packetFlowCluster(mode);

    it.each(flows.map((c) => [c.name, mode === 'ipvs' ? { ...c, ...c.ipvs } : c] as const))(
      '%s',
      (_name, c) => {
        const first = probe(state, c);
        if (c.output === '') return expect(first.kind).toBe('no-service');
        if (c.output === 'REJECT' || c.output === 'DROP') {
          expect(first.kind).toBe(c.output.toLowerCase());
          if (first.kind === 'reject' || first.kind === 'drop')
            expect(first.dropReason).toBe(c.dropReason);
          return;
        }
        const seen = new Set<string>();
        for (let i = 0; i < 40; i++) {
          const out = i === 0 ? first : probe(state, c);
          if (out.kind !== 'dnat') throw new Error(`expected DNAT, got ${out.kind}`);
          seen.add(`${out.endpoint.ip}:${out.endpoint.port}`);
          expect(out.masquerade).toBe(c.masq);
          if (c.snat) expect(out.snatIP).toBe(c.snat);
          if (!c.masq) expect(out.snatIP).toBeUndefined();
          expect(out.rules.length).toBeGreaterThan(0);
        }
        expect([...seen].sort()).toEqual(c.output.split(', ').sort());
      },
    );
  },
);

describe('mode-specific verdicts for addresses kube-proxy has no service port for', () => {
  it.each([
    ['nftables', 'drop', 'UNALLOCATED_SERVICE_IP', false],
    ['iptables', 'drop', 'UNALLOCATED_SERVICE_IP', true],
    ['ipvs', 'drop', 'UNALLOCATED_SERVICE_IP', true],
  ] as const)(
    'unallocated IP in the service CIDR, %s: %s (%s, no rule: %s)',
    (mode, kind, reason, noRule) => {
      const out = probe(packetFlowCluster(mode), {
        name: '',
        src: POD_ON_WORKER,
        dst: '10.96.200.200',
        port: 80,
        output: '',
      });
      expect(out).toMatchObject({ kind, dropReason: reason });
      if (out.kind === 'drop') expect(out.noRule === true).toBe(noRule);
    },
  );

  it.each([
    ['nftables', 'reject', false, 'UDP', 80],
    ['ipvs', 'reject', false, 'UDP', 80],
    ['iptables', 'drop', true, 'UDP', 80],
    ['nftables', 'reject', false, 'TCP', 443],
    ['iptables', 'drop', true, 'TCP', 443],
  ] as const)(
    'undefined port/protocol on a ClusterIP, %s: %s (no rule: %s) for %s/%d',
    (mode, kind, noRule, protocol, port) => {
      const out = probe(packetFlowCluster(mode), {
        name: '',
        src: POD_ON_WORKER,
        dst: '10.96.100.11',
        port,
        protocol,
        output: '',
      });
      expect(out).toMatchObject({ kind, dropReason: 'SERVICE_PORT_NOT_FOUND' });
      if (out.kind === 'reject' || out.kind === 'drop') expect(out.noRule === true).toBe(noRule);
    },
  );
});

describe('LoadBalancer source ranges on a service without endpoints', () => {
  it.each([
    ['iptables', 'reject', 'NO_ENDPOINTS'],
    ['nftables', 'drop', 'DENIED_BY_LB_SRC_RANGE_CHECK'],
  ] as const)('%s: a blocked client gets %s (%s)', (mode, kind, reason) => {
    const state = packetFlowCluster(mode);
    for (const [key, slice] of state.endpointSlices)
      if (slice.serviceName === 'lb') state.endpointSlices.delete(key);
    state.version++;
    const out = probe(state, {
      name: '',
      origin: 'external',
      src: EXTERNAL_BLOCKED,
      dst: '192.0.2.80',
      port: 80,
      output: '',
    });
    expect(out).toMatchObject({ kind, dropReason: reason });
  });
});

describe('kubeProxyProcess descriptions and rules', () => {
  it('reports the load-balancing chain and where the NodePort was handled', () => {
    const state = packetFlowCluster('iptables');
    const out = probe(state, {
      name: '',
      origin: 'external',
      src: EXTERNAL,
      dst: '172.18.0.4',
      port: 30080,
      output: '',
    });
    if (out.kind !== 'dnat') throw new Error(out.kind);
    expect(out.chain).toMatch(/^KUBE-SVC-[A-Z2-7]{16}$/);
    expect(out.handledOn).toBe('worker2');
    expect(out.vip).toBe('NodePort');
    expect(out.rules.slice(0, 4)).toEqual([
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
      `-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web-np:http" -m tcp --dport 30080 -j ${out.chain.replace('SVC', 'EXT')}`,
      `-A ${out.chain.replace('SVC', 'EXT')} -m comment --comment "masquerade traffic for default/web-np:http external destinations" -j KUBE-MARK-MASQ`,
      `-A ${out.chain.replace('SVC', 'EXT')} -j ${out.chain}`,
    ]);
  });

  it('explains a Local-policy drop in terms of the node', () => {
    const out = probe(packetFlowCluster('iptables'), {
      name: '',
      src: POD_ON_WORKER,
      dst: '10.96.100.15',
      port: 80,
      output: '',
    });
    if (out.kind !== 'drop') throw new Error(out.kind);
    expect(out.description).toBe(
      'kube-proxy (iptables) on worker drops 10.96.100.15:80/TCP: default/itp-local:http has internalTrafficPolicy Local and no ready endpoint on worker.',
    );
    expect(out.rules).toEqual([
      '-A KUBE-SERVICES -d 10.96.100.15/32 -p tcp -m comment --comment "default/itp-local:http has no local endpoints" -m tcp --dport 80 -j DROP',
    ]);
  });

  it("names the service port without endpoints the way kube-proxy's REJECT comment does", () => {
    const out = probe(packetFlowCluster('iptables'), {
      name: '',
      src: POD_ON_WORKER,
      dst: '10.96.100.12',
      port: 80,
      output: '',
    });
    expect(out.kind).toBe('reject');
    if (out.kind !== 'reject') return;
    expect(out.description).toContain('default/empty:http has no endpoints');
    expect(out.rules).toEqual([
      '-A KUBE-SERVICES -d 10.96.100.12/32 -p tcp -m comment --comment "default/empty:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
    ]);
  });

  it('walks KUBE-SERVICES → KUBE-SVC → KUBE-SEP in iptables mode', () => {
    const out = probe(packetFlowCluster('iptables'), {
      name: '',
      src: POD_ON_WORKER,
      dst: '10.96.100.11',
      port: 80,
      output: '',
    });
    if (out.kind !== 'dnat') throw new Error(out.kind);
    expect(out.rules[0]).toMatch(
      /^-A KUBE-SERVICES -d 10\.96\.100\.11\/32 -p tcp -m comment --comment "default\/single:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-[A-Z2-7]{16}$/,
    );
    expect(out.rules[1]).toMatch(
      /^-A KUBE-SVC-\S+ -m comment --comment "default\/single:http -> 10\.244\.2\.20:8080" -j KUBE-SEP-[A-Z2-7]{16}$/,
    );
    expect(out.rules[2]).toMatch(/-j DNAT --to-destination 10\.244\.2\.20:8080$/);
    expect(out.ruleProbability).toBeNull();
    expect(out.probability).toBe(1);
  });

  it('uses numgen in nftables mode and the virtual server in IPVS mode', () => {
    const c: FlowCase = { name: '', src: POD_ON_WORKER, dst: '10.96.100.10', port: 80, output: '' };
    const nft = probe(packetFlowCluster('nftables'), c);
    const ipvs = probe(packetFlowCluster('ipvs'), c);
    if (nft.kind !== 'dnat' || ipvs.kind !== 'dnat') throw new Error('expected DNAT');
    expect(nft.rules.some((r) => r.includes('numgen random mod 3 vmap { 0 : goto endpoint-'))).toBe(
      true,
    );
    expect(ipvs.rules).toContain('TCP  10.96.100.10:80 rr');
  });

  it('ignores headless and ExternalName services', () => {
    const state = packetFlowCluster('iptables');
    const svc = state.services.get('default/single')!;
    svc.type = 'ExternalName';
    state.version++;
    const out = probe(state, {
      name: '',
      src: POD_ON_WORKER,
      dst: '10.96.100.11',
      port: 80,
      output: '',
    });
    expect(out.kind).not.toBe('dnat');
  });
});
