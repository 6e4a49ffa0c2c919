import type { ClusterState } from '../model/cluster-state';
import { applyMutation } from '../cluster/mutations';
import { reconcile } from '../cluster/reconcile';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { setFromYaml } from '../controllers/spec-fixtures';
import { POOL_ANNOTATION } from './metallb-allocator';

function pool(name: string, addresses: string, extra = ''): string {
  return `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: { name: ${name}, namespace: metallb-system }
spec:
  addresses: [${addresses}]
${extra}`;
}

const L2 = `apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: { name: l2, namespace: metallb-system }`;

function lbService(
  name: string,
  opts: {
    annotations?: Record<string, string>;
    port?: number;
    spec?: string;
    labels?: string;
    namespace?: string;
  } = {},
): string {
  const annotations = Object.entries(opts.annotations ?? {})
    .map(([k, v]) => `    ${k}: "${v}"`)
    .join('\n');
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${opts.namespace ?? 'default'}
${opts.labels ? `  labels: ${opts.labels}\n` : ''}${annotations ? `  annotations:\n${annotations}\n` : ''}spec:
  type: LoadBalancer
  selector: { app: web }
  ports: [{ port: ${opts.port ?? 80} }]
${opts.spec ?? ''}`;
}

function externalIP(state: ClusterState, name: string, namespace = 'default'): string {
  const svc = state.services.get(`${namespace}/${name}`);
  return svc?.loadBalancerIngress.map((i) => i.ip ?? i.hostname).join(',') || '<pending>';
}

function warnings(state: ClusterState): string[] {
  return state.warnings.filter((w) => w.code === 'LB_ALLOCATION_FAILED').map((w) => w.message);
}

describe('MetalLB address allocation (controller/service.go, internal/allocator)', () => {
  const cases: {
    name: string;
    docs: string[];
    expected: Record<string, string>;
    warning?: string;
  }[] = [
    {
      name: 'the first free address of the pool, in order',
      docs: [pool('main', '"192.168.10.240-192.168.10.250"'), L2, lbService('a'), lbService('b')],
      expected: { a: '192.168.10.240', b: '192.168.10.241' },
    },
    {
      name: 'spec.loadBalancerIP is honoured',
      docs: [
        pool('main', '"192.168.10.240/29"'),
        lbService('a', { spec: '  loadBalancerIP: 192.168.10.245' }),
      ],
      expected: { a: '192.168.10.245' },
    },
    {
      name: 'the metallb.io/loadBalancerIPs annotation is honoured',
      docs: [
        pool('main', '"192.168.10.240/29"'),
        lbService('a', { annotations: { 'metallb.io/loadBalancerIPs': '192.168.10.243' } }),
      ],
      expected: { a: '192.168.10.243' },
    },
    {
      name: 'the deprecated metallb.universe.tf prefix still works',
      docs: [
        pool('main', '"192.168.10.240/29"'),
        lbService('a', {
          annotations: { 'metallb.universe.tf/loadBalancerIPs': '192.168.10.244' },
        }),
      ],
      expected: { a: '192.168.10.244' },
    },
    {
      name: "an address outside every pool fails with MetalLB's event",
      docs: [
        pool('main', '"192.168.10.240/29"'),
        lbService('a', { spec: '  loadBalancerIP: 10.1.1.1' }),
      ],
      expected: { a: '<pending>' },
      warning:
        'AllocationFailed: Failed to allocate IP for "default/a": "10.1.1.1" is not allowed in config',
    },
    {
      name: 'the address-pool annotation picks the pool',
      docs: [
        pool('first', '"192.168.10.240/30"'),
        pool('second', '"192.168.20.0/30"'),
        lbService('a', { annotations: { 'metallb.io/address-pool': 'second' } }),
      ],
      expected: { a: '192.168.20.0' },
    },
    {
      name: 'pools with serviceAllocation come first, lower priority value first',
      docs: [
        pool('plain', '"192.168.1.0/30"'),
        pool(
          'low',
          '"192.168.2.0/30"',
          '  serviceAllocation: { priority: 50, namespaces: [default] }',
        ),
        pool(
          'high',
          '"192.168.3.0/30"',
          '  serviceAllocation: { priority: 10, namespaces: [default] }',
        ),
        lbService('a'),
      ],
      expected: { a: '192.168.3.0' },
    },
    {
      name: 'a pool whose serviceSelectors do not match is not used for that service',
      docs: [
        pool('plain', '"192.168.1.0/30"'),
        pool(
          'gold',
          '"192.168.9.0/30"',
          '  serviceAllocation: { priority: 1, serviceSelectors: [{ matchLabels: { tier: gold } }] }',
        ),
        lbService('a'),
        lbService('b', { labels: '{ tier: gold }' }),
      ],
      expected: { a: '192.168.1.0', b: '192.168.9.0' },
    },
    {
      name: 'autoAssign false pools are used only on request',
      docs: [
        pool('manual', '"192.168.5.0/30"', '  autoAssign: false'),
        pool('auto', '"192.168.6.0/30"'),
        lbService('a'),
        lbService('b', { annotations: { 'metallb.io/address-pool': 'manual' } }),
      ],
      expected: { a: '192.168.6.0', b: '192.168.5.0' },
    },
    {
      name: 'avoidBuggyIPs skips .0 and .255',
      docs: [pool('main', '"192.168.7.0/24"', '  avoidBuggyIPs: true'), lbService('a')],
      expected: { a: '192.168.7.1' },
    },
    {
      name: 'services with the same sharing key and different ports share one address',
      docs: [
        pool('main', '"192.168.8.0/30"'),
        lbService('dns-tcp', {
          annotations: {
            'metallb.io/allow-shared-ip': 'dns',
            'metallb.io/loadBalancerIPs': '192.168.8.2',
          },
          port: 53,
        }),
        lbService('dns-web', {
          annotations: {
            'metallb.io/allow-shared-ip': 'dns',
            'metallb.io/loadBalancerIPs': '192.168.8.2',
          },
          port: 80,
        }),
      ],
      expected: { 'dns-tcp': '192.168.8.2', 'dns-web': '192.168.8.2' },
    },
    {
      name: 'a different sharing key cannot take the address',
      docs: [
        pool('main', '"192.168.8.0/30"'),
        lbService('a', {
          annotations: {
            'metallb.io/allow-shared-ip': 'one',
            'metallb.io/loadBalancerIPs': '192.168.8.2',
          },
          port: 53,
        }),
        lbService('b', {
          annotations: {
            'metallb.io/allow-shared-ip': 'two',
            'metallb.io/loadBalancerIPs': '192.168.8.2',
          },
          port: 80,
        }),
      ],
      expected: { a: '192.168.8.2', b: '<pending>' },
      warning:
        'AllocationFailed: Failed to allocate IP for "default/b": can\'t change sharing key for "default/b", address also in use by default/a',
    },
    {
      name: 'the same sharing key with the same port conflicts',
      docs: [
        pool('main', '"192.168.8.0/30"'),
        lbService('a', {
          annotations: {
            'metallb.io/allow-shared-ip': 'k',
            'metallb.io/loadBalancerIPs': '192.168.8.2',
          },
        }),
        lbService('b', {
          annotations: {
            'metallb.io/allow-shared-ip': 'k',
            'metallb.io/loadBalancerIPs': '192.168.8.2',
          },
        }),
      ],
      expected: { a: '192.168.8.2', b: '<pending>' },
      warning:
        'AllocationFailed: Failed to allocate IP for "default/b": port TCP/80 is already in use on "192.168.8.2"',
    },
    {
      name: 'an exhausted pool leaves the next service pending',
      docs: [pool('tiny', '"192.168.4.10-192.168.4.10"'), lbService('a'), lbService('b')],
      expected: { a: '192.168.4.10', b: '<pending>' },
      warning: 'AllocationFailed: Failed to allocate IP for "default/b": no available IPs',
    },
    {
      name: 'both the annotation and spec.loadBalancerIP is an error',
      docs: [
        pool('main', '"192.168.10.240/29"'),
        lbService('a', {
          annotations: { 'metallb.io/loadBalancerIPs': '192.168.10.241' },
          spec: '  loadBalancerIP: 192.168.10.242',
        }),
      ],
      expected: { a: '<pending>' },
      warning:
        'AllocationFailed: Failed to allocate IP for "default/a": service can not have both metallb.io/loadBalancerIPs and svc.Spec.LoadBalancerIP',
    },
  ];

  it.each(cases)('$name', ({ docs, expected, warning }) => {
    const state = clusterFromYaml(...docs);
    for (const [name, ip] of Object.entries(expected))
      expect(`${name}=${externalIP(state, name)}`).toBe(`${name}=${ip}`);
    if (warning) expect(warnings(state)).toEqual([warning]);
    else expect(warnings(state)).toEqual([]);
  });

  it('records the pool in metallb.io/ip-allocated-from-pool', () => {
    const state = clusterFromYaml(pool('main', '"192.168.10.240/29"'), lbService('a'));
    expect(state.services.get('default/a')?.annotations[POOL_ANNOTATION]).toBe('main');
  });

  it('keeps allocated addresses when another service is added, and frees them on delete', () => {
    const state = clusterFromYaml(
      pool('main', '"192.168.10.240-192.168.10.241"'),
      lbService('a'),
      lbService('b'),
    );
    expect([externalIP(state, 'a'), externalIP(state, 'b')]).toEqual([
      '192.168.10.240',
      '192.168.10.241',
    ]);
    applyMutation(state, { action: 'delete', target: 'service/a' });
    applyMutation(state, { action: 'apply', set: setFromYaml(lbService('c')) });
    expect(externalIP(state, 'b')).toBe('192.168.10.241');
    expect(externalIP(state, 'c')).toBe('192.168.10.240');
  });

  it('a second reconcile changes nothing and reports no event again', () => {
    const state = clusterFromYaml(
      pool('tiny', '"192.168.4.10-192.168.4.10"'),
      lbService('a'),
      lbService('b'),
    );
    const version = state.version;
    expect(reconcile(state)).toEqual([]);
    expect(state.version).toBe(version);
  });

  it('without any load-balancer implementation a LoadBalancer stays <pending>', () => {
    const state = clusterFromYaml(lbService('a'));
    expect(externalIP(state, 'a')).toBe('<pending>');
    expect(warnings(state)).toEqual([]);
  });
});
