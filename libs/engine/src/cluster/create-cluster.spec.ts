import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { cidrContains, parseCidr } from '../util/ip';
import {
  clusterYaml,
  deploymentYaml,
  load,
  podsOf,
  serviceYaml,
} from '../controllers/spec-fixtures';

const website = [
  deploymentYaml('website', 3),
  serviceYaml('website', '  ports: [{port: 80, name: http}]\n  selector: {app: website}'),
];

describe('createCluster: kubeadm built-ins on a kind cluster', () => {
  const state = clusterFromYaml('');

  it.each([['default'], ['kube-system'], ['kube-public'], ['kube-node-lease']])(
    'namespace %s exists and carries kubernetes.io/metadata.name',
    (name) => {
      expect(state.namespaces.get(name)?.labels['kubernetes.io/metadata.name']).toBe(name);
    },
  );

  it.each([
    ['control-plane', '10.244.0.0/24', true],
    ['worker', '10.244.1.0/24', false],
    ['worker2', '10.244.2.0/24', false],
  ])('node %s gets pod range %s (control-plane role: %s)', (name, cidr, controlPlane) => {
    const node = state.nodes.get(name)!;
    expect(node.podCIDR).toBe(cidr);
    expect(node.labels['kubernetes.io/hostname']).toBe(name);
    expect(node.labels['kubernetes.io/os']).toBe('linux');
    expect('node-role.kubernetes.io/control-plane' in node.labels).toBe(controlPlane);
    expect(node.taints).toEqual(
      controlPlane ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] : [],
    );
  });

  it('the kubernetes Service takes the first service IP and points at the API server on 6443', () => {
    const svc = state.services.get('default/kubernetes')!;
    expect(svc.clusterIP).toBe('10.96.0.1');
    expect(svc.ports).toEqual([{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }]);
    const slice = state.endpointSlices.get('default/kubernetes')!;
    expect(slice.endpoints.map((e) => e.addresses[0])).toEqual(['172.18.0.2']);
    expect(slice.ports).toEqual([{ name: 'https', port: 6443, protocol: 'TCP' }]);
    expect(svc.origin).toEqual({ kind: 'builtin' });
  });

  it('kube-dns is 10.96.0.10 with dns, dns-tcp and metrics ports', () => {
    const svc = state.services.get('kube-system/kube-dns')!;
    expect(svc.clusterIP).toBe('10.96.0.10');
    expect(svc.selector).toEqual({ 'k8s-app': 'kube-dns' });
    expect(svc.ports.map((p) => `${p.name} ${p.port}/${p.protocol}`)).toEqual([
      'dns 53/UDP',
      'dns-tcp 53/TCP',
      'metrics 9153/TCP',
    ]);
  });

  it('runs two coredns pods on the control-plane node, both behind kube-dns', () => {
    const coredns = podsOf(state, 'kube-system', 'coredns-');
    expect(coredns).toHaveLength(2);
    expect(coredns.map((p) => p.nodeName)).toEqual(['control-plane', 'control-plane']);
    expect(coredns.map((p) => p.ip)).toEqual(['10.244.0.2', '10.244.0.3']);
    const slices = [...state.endpointSlices.values()].filter((s) => s.serviceName === 'kube-dns');
    expect(slices).toHaveLength(1);
    expect(slices[0].endpoints.map((e) => e.addresses[0]).sort()).toEqual([
      '10.244.0.2',
      '10.244.0.3',
    ]);
    expect(slices[0].ports.map((p) => p.name)).toEqual(['dns', 'dns-tcp', 'metrics']);
  });
});

describe('createCluster: a Deployment and its Service', () => {
  const state = clusterFromYaml(...website);
  const pods = podsOf(state, 'default', 'website-');

  it('names pods <deployment>-<pod-template-hash>-<5 random chars> with the hash as a label', () => {
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.name).toMatch(/^website-[4-9bcdf]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.name.startsWith(`website-${pod.labels['pod-template-hash']}-`)).toBe(true);
      expect(pod.owner).toEqual({
        kind: 'ReplicaSet',
        name: `website-${pod.labels['pod-template-hash']}`,
      });
    }
    const rs = [...state.replicaSets.values()].find((r) => r.owner?.name === 'website')!;
    expect(rs.labels['pod-template-hash']).toBe(rs.templateHash);
    expect(rs.selector.matchLabels).toEqual({
      app: 'website',
      'pod-template-hash': rs.templateHash,
    });
  });

  it('keeps user pods off the tainted control-plane and spreads them over the workers', () => {
    expect(pods.map((p) => p.nodeName)).toEqual(['worker', 'worker2', 'worker']);
  });

  it('gives each pod an address inside its node range, from .2 upwards', () => {
    for (const pod of pods)
      expect(cidrContains(parseCidr(state.nodes.get(pod.nodeName)!.podCIDR)!, pod.ip)).toBe(true);
    expect(pods.map((p) => p.ip)).toEqual(['10.244.1.2', '10.244.2.2', '10.244.1.3']);
    expect(pods.every((p) => p.phase === 'Running')).toBe(true);
  });

  it('allocates the ClusterIP from the dynamic (upper) band of 10.96.0.0/16', () => {
    const ip = state.services.get('default/website')!.clusterIP;
    expect(ip).toMatch(/^10\.96\.\d+\.\d+$/);
    const [, , third] = ip.split('.').map(Number);
    expect(third).toBeGreaterThanOrEqual(1);
    expect(ip).not.toBe('10.96.1.0');
  });

  it('publishes one EndpointSlice named <service>-<5 chars> with all three pods', () => {
    const slices = [...state.endpointSlices.values()].filter((s) => s.serviceName === 'website');
    expect(slices).toHaveLength(1);
    expect(slices[0].name).toMatch(/^website-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(slices[0].labels['kubernetes.io/service-name']).toBe('website');
    expect(slices[0].labels['endpointslice.kubernetes.io/managed-by']).toBe(
      'endpointslice-controller.k8s.io',
    );
    expect(slices[0].ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);
    expect(slices[0].endpoints.map((e) => e.targetRef?.name)).toEqual(pods.map((p) => p.name));
  });
});

describe('createCluster: determinism', () => {
  it('builds byte-identical state from the same input twice', () => {
    const a = clusterFromYaml(...website);
    const b = clusterFromYaml(...website);
    expect(
      JSON.stringify([...a.pods.values(), ...a.services.values(), ...a.endpointSlices.values()]),
    ).toBe(
      JSON.stringify([...b.pods.values(), ...b.services.values(), ...b.endpointSlices.values()]),
    );
    expect(a.rng).toBe(b.rng);
  });

  it('draws different pod names and ClusterIPs under another seed, same template hash', () => {
    const a = clusterFromYaml(...website);
    const b = clusterFromYaml(clusterYaml('  seed: another'), ...website);
    const namesA = podsOf(a, 'default', 'website-').map((p) => p.name);
    const namesB = podsOf(b, 'default', 'website-').map((p) => p.name);
    expect(namesA).not.toEqual(namesB);
    expect(namesA[0].split('-')[1]).toBe(namesB[0].split('-')[1]);
    expect(a.services.get('default/website')!.clusterIP).not.toBe(
      b.services.get('default/website')!.clusterIP,
    );
  });
});

describe('createCluster: namespaces', () => {
  it.each([
    [
      'Namespace first in the input',
      [
        `apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}`,
        deploymentYaml('web', 1, { namespace: 'shop' }),
      ],
    ],
    [
      'Namespace later in the input',
      [
        deploymentYaml('web', 1, { namespace: 'shop' }),
        `apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}`,
      ],
    ],
  ])('accepts objects in a namespace created by the same input (%s)', (_, docs) => {
    const { state, errors } = load(...docs);
    expect(errors).toEqual([]);
    expect(state!.namespaces.get('shop')!.labels).toEqual({
      'kubernetes.io/metadata.name': 'shop',
    });
    expect(podsOf(state!, 'shop', 'web-')).toHaveLength(1);
  });

  it('creates the namespaces the input uses but does not define, with one warning listing them', () => {
    const { state, errors, issues } = load(
      deploymentYaml('web', 1, { namespace: 'foo' }),
      deploymentYaml('api', 1, { namespace: 'bar' }),
      deploymentYaml('db', 1, { namespace: 'foo' }),
    );
    expect(errors).toEqual([]);
    expect(issues.filter((i) => i.code === 'NAMESPACES_CREATED').map((i) => i.message)).toEqual([
      'namespaces foo, bar are used but not defined in the input: created (kubectl apply would refuse the objects in them)',
    ]);
    expect(state?.namespaces.get('foo')?.labels).toEqual({ 'kubernetes.io/metadata.name': 'foo' });
    expect(podsOf(state!, 'bar', 'api-')).toHaveLength(1);
  });
});
