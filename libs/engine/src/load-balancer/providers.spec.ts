import type { ClusterState } from '../model/cluster-state';
import { applyMutation } from '../cluster/mutations';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { traceProbe } from '../probe/probe';
import { getView } from '../views/get-view';
import { clusterWith, lbServiceYaml, WEB_YAML } from '../external/spec-fixtures';

function externalIP(state: ClusterState, name = 'web'): string {
  return (
    state.services
      .get(`default/${name}`)!
      .loadBalancerIngress.map((i) => i.ip ?? i.hostname)
      .join(',') || '<pending>'
  );
}

describe('LoadBalancer implementations', () => {
  it.each([
    ['none', '<pending>'],
    ['servicelb', '172.18.0.2,172.18.0.3,172.18.0.4'],
    ['cloud', '198.51.100.10'],
  ])('spec.loadBalancer: %s gives EXTERNAL-IP %s', (provider, expected) => {
    const state = clusterFromYaml(
      clusterWith(`  loadBalancer: ${provider}`),
      WEB_YAML,
      lbServiceYaml('web'),
    );
    expect(externalIP(state)).toBe(expected);
    // kubectl cuts a long ingress list to 13 characters + "..." without -o wide.
    expect(getView(state, 'services').text).toContain(
      expected.length > 16 ? `${expected.slice(0, 13)}...` : expected,
    );
  });

  it('ServiceLB leaves a second service on the same port pending (hostPort taken)', () => {
    const state = clusterFromYaml(
      clusterWith('  loadBalancer: servicelb'),
      WEB_YAML,
      lbServiceYaml('web'),
      lbServiceYaml('web2'),
    );
    expect(externalIP(state, 'web2')).toBe('<pending>');
    expect(state.warnings.map((w) => w.code)).toContain('LB_ALLOCATION_FAILED');
  });

  it('ServiceLB runs a svclb pod with the service port as hostPort on every node', () => {
    const state = clusterFromYaml(
      clusterWith('  loadBalancer: servicelb'),
      WEB_YAML,
      lbServiceYaml('web'),
    );
    const svclb = [...state.pods.values()].filter(
      (p) => p.namespace === 'kube-system' && p.name.startsWith('svclb-web-'),
    );
    expect(svclb.map((p) => p.nodeName).sort()).toEqual(['control-plane', 'worker', 'worker2']);
    expect(svclb[0].containers[0].ports).toEqual([
      { name: 'lb-tcp-80', containerPort: 80, protocol: 'TCP', hostPort: 80 },
    ]);
  });

  it('ServiceLB drops a failed node from EXTERNAL-IP', () => {
    const state = clusterFromYaml(
      clusterWith('  loadBalancer: servicelb'),
      WEB_YAML,
      lbServiceYaml('web'),
    );
    applyMutation(state, { action: 'fail-node', node: 'worker2' });
    expect(externalIP(state)).toBe('172.18.0.2,172.18.0.3');
  });

  it('ServiceLB answers at every node address', () => {
    const state = clusterFromYaml(
      clusterWith('  loadBalancer: servicelb'),
      WEB_YAML,
      lbServiceYaml('web'),
    );
    expect(traceProbe(state, { from: 'external', to: 'http://172.18.0.2/' }).verdict).toBe(
      'delivered',
    );
  });

  it("cloud instance targets go through a node's NodePort", () => {
    const state = clusterFromYaml(
      clusterWith('  loadBalancer: cloud'),
      WEB_YAML,
      lbServiceYaml('web'),
    );
    const nodePort = state.services.get('default/web')!.ports[0].nodePort;
    const trace = traceProbe(state, { from: 'external', to: 'http://198.51.100.10/' });
    expect(trace.verdict).toBe('delivered');
    const lb = trace.hops.find((h) => h.component === 'load-balancer');
    expect(lb?.details?.targets).toBe('instance');
    expect(lb?.packet.dst.port).toBe(nodePort);
    expect(['worker', 'worker2']).toContain(lb?.details?.target);
  });

  it('cloud IP targets reach the pod directly, without kube-proxy', () => {
    const state = clusterFromYaml(
      clusterWith('  loadBalancer: { provider: cloud, targets: ip }'),
      WEB_YAML,
      lbServiceYaml('web'),
    );
    const trace = traceProbe(state, { from: 'external', to: 'http://198.51.100.10/' });
    expect(trace.verdict).toBe('delivered');
    expect(trace.hops.some((h) => h.component === 'kube-proxy')).toBe(false);
  });

  it('cloud hostnames: EXTERNAL-IP is an ELB-style name that the external zone resolves', () => {
    const state = clusterFromYaml(
      clusterWith('  loadBalancer: { provider: cloud, hostnames: true }'),
      WEB_YAML,
      lbServiceYaml('web', '', '    external-dns.alpha.kubernetes.io/hostname: shop.example.com'),
    );
    expect(externalIP(state)).toMatch(/^a[0-9a-f]{8}\.elb\.example\.com$/);
    const trace = traceProbe(state, { from: 'external', to: 'http://shop.example.com/' });
    expect(trace.dns[0].answers.map((a) => a.type)).toEqual(['CNAME']);
  });

  it('kube-vip takes the requested address from its annotation, else the first free in its range', () => {
    const state = clusterFromYaml(
      clusterWith(
        '  loadBalancer: { provider: kube-vip, addresses: ["172.18.100.10-172.18.100.20"] }',
      ),
      WEB_YAML,
      lbServiceYaml('web'),
      lbServiceYaml('pinned', '', '    kube-vip.io/loadbalancerIPs: "172.18.100.15"'),
    );
    expect([externalIP(state), externalIP(state, 'pinned')]).toEqual([
      '172.18.100.10',
      '172.18.100.15',
    ]);
    const trace = traceProbe(state, { from: 'external', to: 'http://172.18.100.10/' });
    expect(trace.hops.find((h) => h.component === 'load-balancer')?.details?.announcer).toBe(
      'control-plane',
    );
  });

  it('OpenELB allocates from the Eip the Service names', () => {
    const eip = `apiVersion: network.kubesphere.io/v1alpha2
kind: Eip
metadata: { name: eip-pool }
spec: { address: 172.18.50.1-172.18.50.9, protocol: layer2 }`;
    const state = clusterFromYaml(
      clusterWith('  loadBalancer: openelb'),
      eip,
      WEB_YAML,
      lbServiceYaml(
        'web',
        '',
        '    lb.kubesphere.io/v1alpha1: openelb\n    eip.openelb.kubesphere.io/v1alpha2: eip-pool',
      ),
    );
    expect(externalIP(state)).toBe('172.18.50.1');
    expect(traceProbe(state, { from: 'external', to: 'http://172.18.50.1/' }).verdict).toBe(
      'delivered',
    );
  });
});
