import type { KubeProxyMode } from '../model/cluster-config';
import type { ClusterState } from '../model/cluster-state';
import { chooseEndpoint, iptablesProbability } from './choose-endpoint';
import { categorizeEndpoints } from './endpoints';
import { kubeProxyProcess } from './process-packet';
import { renderRules } from './render-rules';
import { packetFlowCluster } from './spec-fixtures';

function pick(state: ClusterState, service: string, clientIP: string) {
  const svc = state.services.get(`default/${service}`)!;
  const port = svc.ports[0];
  const candidates = categorizeEndpoints(state, svc, port, state.nodes.get('worker')!).cluster;
  return chooseEndpoint(state, svc, port, candidates, clientIP);
}

function endpointsPicked(
  state: ClusterState,
  service: string,
  clientIP: (i: number) => string,
  count: number,
): string[] {
  return Array.from({ length: count }, (_, i) => pick(state, service, clientIP(i)).endpoint.key);
}

describe('iptables statistic rules', () => {
  it.each([
    [1, '1.0000000000'],
    [2, '0.5000000000'],
    [3, '0.3333333333'],
    [7, '0.1428571429'],
  ])('probability for %d remaining endpoints is printed %s (%%0.10f)', (n, text) => {
    expect(iptablesProbability(n)).toBe(text);
  });

  it('the KUBE-SVC chain of 3 endpoints carries 0.3333333333, 0.5000000000, then an unconditional rule', () => {
    const state = packetFlowCluster('iptables');
    const dump = renderRules(state, state.nodes.get('worker')!, { kubeProxyOnly: true });
    const svcRules = dump.split('\n').filter((l) => l.includes('"default/website:http -> '));
    expect(svcRules).toHaveLength(3);
    expect(svcRules[0]).toContain(
      '-> 10.244.1.10:8080" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-',
    );
    expect(svcRules[1]).toContain(
      '-> 10.244.1.11:8080" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-',
    );
    expect(svcRules[2]).toMatch(/-> 10\.244\.2\.10:8080" -j KUBE-SEP-[A-Z2-7]{16}$/);
  });

  it('reports the matched rule probability and 1/n overall', () => {
    const state = packetFlowCluster('iptables');
    const byRule = new Map<number, string | null>();
    for (let i = 0; i < 60; i++) {
      const choice = pick(state, 'website', '10.244.1.5');
      expect(choice.probability).toBeCloseTo(1 / 3, 10);
      byRule.set(choice.ruleIndex, choice.ruleProbability);
    }
    expect([...byRule.entries()].sort()).toEqual([
      [0, '0.3333333333'],
      [1, '0.5000000000'],
      [2, null],
    ]);
  });
});

describe.each<KubeProxyMode>(['iptables', 'nftables'])('random choice in %s mode', (mode) => {
  it('spreads new connections evenly over the endpoints', () => {
    const state = packetFlowCluster(mode);
    const counts = new Map<string, number>();
    const n = 3000;
    for (const key of endpointsPicked(state, 'website', () => '10.244.1.5', n))
      counts.set(key, (counts.get(key) ?? 0) + 1);
    expect(counts.size).toBe(3);
    for (const count of counts.values()) expect(count / n).toBeGreaterThan(0.28);
  });

  it('replays the same choices for the same seed', () => {
    const a = endpointsPicked(packetFlowCluster(mode), 'website', () => '10.244.1.5', 30);
    const b = endpointsPicked(packetFlowCluster(mode), 'website', () => '10.244.1.5', 30);
    expect(a).toEqual(b);
  });

  it('makes other choices for another seed', () => {
    const a = endpointsPicked(packetFlowCluster(mode), 'website', () => '10.244.1.5', 30);
    const b = endpointsPicked(
      packetFlowCluster(mode, '  seed: another-seed\n'),
      'website',
      () => '10.244.1.5',
      30,
    );
    expect(a).not.toEqual(b);
  });
});

describe('session affinity ClientIP', () => {
  it.each<KubeProxyMode>(['iptables', 'nftables', 'ipvs'])(
    'sticks a client to its first endpoint across probes (%s)',
    (mode) => {
      const state = packetFlowCluster(mode);
      const first = pick(state, 'sticky', '10.244.1.5');
      expect(first.viaAffinity).toBe(false);
      for (let i = 0; i < 20; i++) {
        const again = pick(state, 'sticky', '10.244.1.5');
        expect(again.endpoint.key).toBe(first.endpoint.key);
        expect(again.viaAffinity).toBe(true);
        expect(again.probability).toBe(1);
      }
      expect(state.affinity.get('default/sticky:http/TCP|10.244.1.5')).toBe(first.endpoint.key);
    },
  );

  it('keys stickiness by client address: different clients still spread', () => {
    const state = packetFlowCluster('iptables');
    const picked = new Set(endpointsPicked(state, 'sticky', (i) => `10.244.1.${100 + i}`, 40));
    expect(picked.size).toBe(3);
  });

  it('renders the recent-module rules with the timeout (10800 s by default)', () => {
    const state = packetFlowCluster('iptables');
    const dump = renderRules(state, state.nodes.get('worker')!, { kubeProxyOnly: true });
    expect(dump).toMatch(
      /-m recent --name (KUBE-SEP-[A-Z2-7]{16}) --rcheck --seconds 10800 --reap -j \1/,
    );
    expect(dump).toMatch(
      /-m recent --name KUBE-SEP-[A-Z2-7]{16} --set -m tcp -p tcp -j DNAT --to-destination 10\.244\.1\.50:8080/,
    );
  });

  it('affinity survives a probe through kubeProxyProcess and is reported in the outcome', () => {
    const state = packetFlowCluster('iptables');
    const probe = () =>
      kubeProxyProcess(
        state,
        { dstIP: '10.96.100.18', dstPort: 80, protocol: 'TCP', srcIP: '10.244.1.5' },
        { node: state.nodes.get('worker')!, origin: 'pod' },
      );
    const first = probe();
    const second = probe();
    if (first.kind !== 'dnat' || second.kind !== 'dnat') throw new Error('expected DNAT');
    expect(second.endpoint.ip).toBe(first.endpoint.ip);
    expect(second.viaAffinity).toBe(true);
    expect(second.rules.some((r) => r.includes('--rcheck --seconds 10800 --reap'))).toBe(true);
    expect(second.notes.join(' ')).toContain('10800');
  });
});

describe('IPVS schedulers', () => {
  it('rr walks the real servers in order and wraps around', () => {
    const state = packetFlowCluster('ipvs');
    expect(endpointsPicked(state, 'website', () => '10.244.1.5', 6)).toEqual([
      '10.244.1.10:8080',
      '10.244.1.11:8080',
      '10.244.2.10:8080',
      '10.244.1.10:8080',
      '10.244.1.11:8080',
      '10.244.2.10:8080',
    ]);
  });

  it('sh sends the same source to the same real server', () => {
    const state = packetFlowCluster('{mode: ipvs, ipvsScheduler: sh}');
    const picks = new Set(endpointsPicked(state, 'website', () => '10.244.1.5', 10));
    expect(picks.size).toBe(1);
    const spread = new Set(endpointsPicked(state, 'website', (i) => `10.244.1.${i + 1}`, 40));
    expect(spread.size).toBeGreaterThan(1);
  });

  it('notes schedulers it does not simulate and falls back to rr', () => {
    const state = packetFlowCluster('{mode: ipvs, ipvsScheduler: mh}');
    const choice = pick(state, 'website', '10.244.1.5');
    expect(choice.endpoint.key).toBe('10.244.1.10:8080');
    expect(choice.notes.join(' ')).toContain('"mh" is not simulated');
  });
});
