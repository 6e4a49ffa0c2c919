import type { ClusterState } from '../model/cluster-state';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { renderRules } from './render-rules';
import { packetFlowCluster, serviceYaml, sliceYaml } from './spec-fixtures';

const render = (state: ClusterState, node: string) => renderRules(state, state.nodes.get(node)!);
const lines = (text: string) => text.split('\n');

describe("renderRules in iptables mode, kube-proxy's own iptables-restore input (--kube-proxy-only)", () => {
  const state = packetFlowCluster('iptables');
  const worker = renderRules(state, state.nodes.get('worker')!, { kubeProxyOnly: true });
  const worker2 = renderRules(state, state.nodes.get('worker2')!, { kubeProxyOnly: true });

  it.each([
    [
      'the kubernetes Service jump',
      '-A KUBE-SERVICES -m comment --comment "default/kubernetes:https cluster IP" -m tcp -p tcp -d 10.96.0.1 --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y',
    ],
    [
      'a REJECT in the filter table for a service without endpoints',
      '-A KUBE-SERVICES -m comment --comment "default/empty:http has no endpoints" -m tcp -p tcp -d 10.96.100.12 --dport 80 -j REJECT',
    ],
    [
      'a DROP for iTP Local without local endpoints',
      '-A KUBE-SERVICES -m comment --comment "default/itp-local:http has no local endpoints" -m tcp -p tcp -d 10.96.100.15 --dport 80 -j DROP',
    ],
    [
      'a DROP for an eTP Local NodePort without local endpoints',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/local-np:http has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30081 -j DROP',
    ],
    ['the masquerade mark', '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000'],
    [
      'the cluster-CIDR based ClusterIP masquerade',
      '-A KUBE-SVC-NPX46M4PTMTKRN6Y -m comment --comment "default/kubernetes:https cluster IP" -m tcp -p tcp -d 10.96.0.1 --dport 443 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ',
    ],
  ])('contains %s', (_what, rule) => {
    expect(lines(worker)).toContain(rule);
  });

  it('puts the NodePort jump last in KUBE-SERVICES', () => {
    const services = lines(worker).filter(
      (l) => l.startsWith('-A KUBE-SERVICES') && !l.includes('-j REJECT') && !l.includes('-j DROP'),
    );
    expect(services[services.length - 1]).toContain(
      '-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    );
  });

  it('guards the LoadBalancer IP with KUBE-FW and KUBE-PROXY-FIREWALL', () => {
    expect(worker).toMatch(
      /-A KUBE-SERVICES -m comment --comment "default\/lb:http loadbalancer IP" -m tcp -p tcp -d 192\.0\.2\.80 --dport 80 -j (KUBE-FW-[A-Z2-7]{16})/,
    );
    expect(worker).toMatch(
      /-A KUBE-FW-\S+ -m comment --comment "default\/lb:http loadbalancer IP" -s 203\.0\.113\.0\/25 -j KUBE-EXT-/,
    );
    // 172.18.0.0/24 covers the node, so the LB IP itself is allowed as a source too.
    expect(worker).toMatch(
      /-A KUBE-FW-\S+ -m comment --comment "default\/lb:http loadbalancer IP" -s 192\.0\.2\.80 -j KUBE-EXT-/,
    );
    expect(worker).toMatch(
      /-A KUBE-PROXY-FIREWALL -m comment --comment "default\/lb:http traffic not accepted by KUBE-FW-\S+" -m tcp -p tcp -d 192\.0\.2\.80 --dport 80 -j DROP/,
    );
  });

  it('writes the eTP Local short-circuits, and jumps to KUBE-SVL only where a local endpoint exists', () => {
    expect(worker).toContain(
      '"pod traffic for default/local-np:http external destinations" -s 10.244.0.0/16 -j KUBE-SVC-',
    );
    expect(worker).toContain(
      '"masquerade LOCAL traffic for default/local-np:http external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
    );
    expect(worker).not.toMatch(/-A KUBE-EXT-\S+ -j KUBE-SVL-/);
    expect(worker2).toMatch(/-A KUBE-EXT-\S+ -j KUBE-SVL-/);
  });

  it('declares every chain it uses', () => {
    const declared = new Set(
      lines(worker)
        .filter((l) => l.startsWith(':'))
        .map((l) => l.slice(1).split(' ')[0]),
    );
    for (const line of lines(worker).filter((l) => l.startsWith('-A ')))
      expect(declared).toContain(line.split(' ')[1]);
  });
});

describe('renderRules in nftables mode (nft list table ip kube-proxy)', () => {
  const dump = render(packetFlowCluster('nftables'), 'worker');

  it.each([
    [
      'the numgen vmap over 3 endpoints',
      /numgen random mod 3 vmap \{ 0 : goto endpoint-[A-Z2-7]{8}-default\/website\/tcp\/http__10\.244\.1\.10\/8080, 1 : goto /,
    ],
    [
      'the reject for a service without endpoints',
      /10\.96\.100\.12 \. tcp \. 80 comment "default\/empty:http" : goto reject-chain/,
    ],
    [
      'the drop for iTP Local without local endpoints',
      /10\.96\.100\.15 \. tcp \. 80 comment "default\/itp-local:http" : drop/,
    ],
    [
      'the affinity set with the 10800 s timeout',
      /set affinity-[A-Z2-7]{8}-default\/sticky\/tcp\/http__10\.244\.1\.50\/8080 \{\n\t\ttype ipv4_addr\n\t\tsize 65535\n\t\tflags dynamic,timeout\n\t\ttimeout 3h/,
    ],
    [
      'the source-range firewall',
      /chain firewall-[A-Z2-7]{8}-default\/lb\/tcp\/http \{\n\t\tip saddr != \{ 172\.18\.0\.0\/24, 192\.0\.2\.80, 203\.0\.113\.0\/25 \} drop/,
    ],
    [
      'the unallocated-IP drop',
      /ip daddr 10\.96\.0\.0\/16 drop comment "Drop traffic to unallocated ClusterIPs"/,
    ],
  ])('contains %s', (_what, pattern) => {
    expect(dump).toMatch(pattern);
  });
});

describe('renderRules in iptables mode as iptables-save prints it (the default view)', () => {
  const state = packetFlowCluster('iptables');
  const worker = lines(render(state, 'worker'));

  it.each([
    [
      'the jumps kube-proxy inserts into the built-in chains',
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
    ],
    [
      'the nat PREROUTING jump',
      '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    ],
    [
      'header fields first with /32, then the matches in order',
      '-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y',
    ],
    ['the saved mark target', '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000'],
    [
      'the default REJECT type',
      '-A KUBE-SERVICES -d 10.96.100.12/32 -p tcp -m comment --comment "default/empty:http has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
    ],
  ])('contains %s', (_what, rule) => {
    expect(worker).toContain(rule);
  });

  it('prints probabilities as xt_statistic stores them (11 decimals of a 31-bit fraction)', () => {
    expect(worker.join('\n')).toContain('--probability 0.33333333349 -j KUBE-SEP-');
  });

  it('declares built-in chains first, then the others sorted, and groups rules by chain', () => {
    const nat = worker.slice(worker.indexOf('*nat'));
    const declared = nat.filter((l) => l.startsWith(':')).map((l) => l.slice(1).split(' ')[0]);
    expect(declared.slice(0, 4)).toEqual(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']);
    expect(declared.slice(4)).toEqual([...declared.slice(4)].sort());
    const ruleChains = nat.filter((l) => l.startsWith('-A ')).map((l) => l.split(' ')[1]);
    const order = ruleChains.filter((c, i) => c !== ruleChains[i - 1]);
    expect(new Set(order).size).toBe(order.length);
  });
});

describe('renderRules in nftables mode: the ClusterIP check runs after DNAT on output', () => {
  const dump = render(packetFlowCluster('nftables'), 'worker');

  it('jumps to cluster-ips-check from filter-output-post-dnat (dstnat + 10), not from filter-output', () => {
    expect(dump).toContain(
      '\tchain filter-output-post-dnat {\n\t\ttype filter hook output priority -90; policy accept;\n\t\tct state new jump cluster-ips-check\n\t}',
    );
    const output = /chain filter-output \{([^}]*)\}/.exec(dump)?.[1] ?? '';
    expect(output).not.toContain('cluster-ips-check');
  });
});

describe('renderRules in IPVS mode (ipvsadm -Ln)', () => {
  const state = packetFlowCluster('ipvs');
  const dump = lines(render(state, 'worker'));

  it('lists a virtual server per ClusterIP with its real servers', () => {
    const at = dump.indexOf('TCP  10.96.100.10:80 rr');
    expect(at).toBeGreaterThan(0);
    expect(dump.slice(at + 1, at + 4)).toEqual([
      '  -> 10.244.1.10:8080             Masq    1      0          0',
      '  -> 10.244.1.11:8080             Masq    1      0          0',
      '  -> 10.244.2.10:8080             Masq    1      0          0',
    ]);
  });

  it('marks session affinity as persistence', () => {
    expect(dump).toContain('TCP  10.96.100.18:80 rr persistent 10800');
  });

  it('puts the cluster endpoints behind an eTP Local NodePort on a node without local endpoints (kubernetes#97081)', () => {
    const at = dump.indexOf('TCP  172.18.0.3:30081 rr');
    expect(at).toBeGreaterThan(0);
    expect(dump[at + 1]).toBe('  -> 10.244.2.31:8080             Masq    1      0          0');
  });

  it('leaves a service without endpoints with an empty virtual server', () => {
    const at = dump.indexOf('TCP  10.96.100.12:80 rr');
    expect(at).toBeGreaterThan(0);
    expect(dump[at + 1].startsWith('  ->')).toBe(false);
  });
});

describe('renderRules determinism and cost', () => {
  it.each(['iptables', 'nftables', 'ipvs'])(
    'renders byte-identically and draws no randomness (%s)',
    (mode) => {
      const state = packetFlowCluster(mode);
      const rng = state.rng;
      expect(render(state, 'worker')).toBe(render(packetFlowCluster(mode), 'worker'));
      expect(state.rng).toBe(rng);
    },
  );

  it('renders every one of 1,000 services with 5 endpoints each', () => {
    const docs: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const name = `svc-${i}`;
      docs.push(serviceYaml(name, `ports: [{name: http, port: 80, targetPort: 8080}]`));
      docs.push(
        sliceYaml(
          name,
          8080,
          Array.from({ length: 5 }, (_, j) => ({
            ip: `10.244.${1 + (j % 2)}.${((i * 5 + j) % 250) + 2}`,
            node: j % 2 ? 'worker2' : 'worker',
          })),
        ),
      );
    }
    const state = clusterFromYaml(docs.join('---\n'));
    for (const mode of ['iptables', 'nftables', 'ipvs'] as const) {
      state.config.kubeProxy.mode = mode;
      const text = render(state, 'worker');
      expect(text.length).toBeGreaterThan(100_000);
    }
  });
});
