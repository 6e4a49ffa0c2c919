import type { ClusterState } from '../model/cluster-state';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { traceProbe } from '../probe/probe';
import {
  METALLB_BGP,
  METALLB_L2,
  METALLB_POOL,
  WEB_YAML,
  lbServiceYaml,
  pinnedWebPods,
} from '../external/spec-fixtures';
import { electL2Announcer } from './announcement';

function lbIP(state: ClusterState, name = 'web'): string {
  return state.services.get(`default/${name}`)!.loadBalancerIngress[0].ip!;
}

function lbHop(state: ClusterState) {
  const trace = traceProbe(state, { from: 'external', to: `http://${lbIP(state)}/` });
  return { trace, hop: trace.hops.find((h) => h.component === 'load-balancer') };
}

describe('MetalLB L2 announcer election (speaker/layer2_controller.go)', () => {
  it('sorts candidates by sha256(node#ip) and the first answers ARP', () => {
    const nodes = ['worker', 'worker2', 'worker3'].map(
      (name) => ({ name }) as Parameters<typeof electL2Announcer>[0][number],
    );
    // Fixed by the hash: the same address always elects the same node.
    const first = electL2Announcer(nodes, '192.168.1.240');
    expect(first.order).toHaveLength(3);
    expect(electL2Announcer([...nodes].reverse(), '192.168.1.240').order).toEqual(first.order);
    const winners = new Set(
      ['192.168.1.240', '192.168.1.241', '192.168.1.242', '192.168.1.243', '192.168.1.244'].map(
        (ip) => electL2Announcer(nodes, ip).announcer?.name,
      ),
    );
    expect(winners.size).toBeGreaterThan(1);
  });

  it('the trace shows the ARP answer from the elected node, never the control plane', () => {
    const state = clusterFromYaml(WEB_YAML, METALLB_POOL, METALLB_L2, lbServiceYaml('web'));
    const { trace, hop } = lbHop(state);
    expect(trace.verdict).toBe('delivered');
    const workers = [...state.nodes.values()].filter((n) => n.role === 'worker');
    expect(hop?.details?.announcer).toBe(electL2Announcer(workers, lbIP(state)).announcer?.name);
    expect(hop?.description).toMatch(/^ARP "who has/);
  });

  it('with eTP Local only a node with a ready local endpoint announces, and the client address is kept', () => {
    const state = clusterFromYaml(
      pinnedWebPods('worker2'),
      METALLB_POOL,
      METALLB_L2,
      lbServiceYaml('web', '  externalTrafficPolicy: Local'),
    );
    const { trace, hop } = lbHop(state);
    expect(hop?.details?.announcer).toBe('worker2');
    expect(trace.verdict).toBe('delivered');
    expect(
      trace.hops.filter((h) => h.component === 'pod-netns' && h.direction === 'request').at(-1)
        ?.packet.src.ip,
    ).toBe('203.0.113.10');
  });

  it('L2Advertisement nodeSelectors limit the candidates', () => {
    const l2 = `${METALLB_L2}\nspec:\n  nodeSelectors: [{ matchLabels: { kubernetes.io/hostname: worker2 } }]`;
    const state = clusterFromYaml(WEB_YAML, METALLB_POOL, l2, lbServiceYaml('web'));
    expect(lbHop(state).hop?.details?.announcer).toBe('worker2');
  });

  it('a pool without any advertisement gets an address that nobody announces', () => {
    const state = clusterFromYaml(WEB_YAML, METALLB_POOL, lbServiceYaml('web'));
    const { trace } = lbHop(state);
    expect([trace.verdict, trace.dropReason]).toEqual(['dropped', 'NO_ROUTE']);
    expect(trace.reason).toContain('no L2Advertisement or BGPAdvertisement');
  });
});

describe('MetalLB BGP mode', () => {
  it('every eligible node advertises the /32 and the flow takes one ECMP next hop', () => {
    const state = clusterFromYaml(WEB_YAML, METALLB_POOL, METALLB_BGP, lbServiceYaml('web'));
    const { trace, hop } = lbHop(state);
    expect(trace.verdict).toBe('delivered');
    expect(hop?.details?.mode).toBe('BGP');
    expect(hop?.details?.nextHops).toEqual(['worker', 'worker2']);
    expect(['worker', 'worker2']).toContain(hop?.details?.chosen);
  });

  it('the ECMP choice comes from the seed: the same cluster gives the same next hop', () => {
    const build = () => clusterFromYaml(WEB_YAML, METALLB_POOL, METALLB_BGP, lbServiceYaml('web'));
    expect(lbHop(build()).hop?.details?.chosen).toBe(lbHop(build()).hop?.details?.chosen);
  });

  it('with eTP Local only nodes with local endpoints advertise', () => {
    const state = clusterFromYaml(
      pinnedWebPods('worker'),
      METALLB_POOL,
      METALLB_BGP,
      lbServiceYaml('web', '  externalTrafficPolicy: Local'),
    );
    expect(lbHop(state).hop?.details?.nextHops).toEqual(['worker']);
  });
});
