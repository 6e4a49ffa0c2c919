import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { ipToInt } from '../util/ip';
import { staticBandSize } from './band-allocator';
import { clusterYaml, load, serviceYaml } from './spec-fixtures';

const clusterIPService = (name: string, ip: string) =>
  serviceYaml(name, `  clusterIP: ${ip}\n  ports: [{port: 80}]\n  selector: {app: ${name}}`);
const nodePortService = (name: string, nodePort: number) =>
  serviceYaml(
    name,
    `  type: NodePort\n  ports: [{port: 80, nodePort: ${nodePort}}]\n  selector: {app: ${name}}`,
  );

describe('ClusterIP allocation (Service REST storage rules)', () => {
  it.each([
    [
      'outside the service CIDR',
      [clusterIPService('a', '10.0.0.5')],
      'input-1.yaml doc 1 Service default/a: spec.clusterIPs: Invalid value: "10.0.0.5": failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
    ],
    [
      'the network address of the range',
      [clusterIPService('a', '10.96.0.0')],
      'input-1.yaml doc 1 Service default/a: spec.clusterIPs: Invalid value: "10.96.0.0": failed to allocate IP 10.96.0.0: the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/16',
    ],
    [
      "kube-dns's address",
      [clusterIPService('a', '10.96.0.10')],
      'input-1.yaml doc 1 Service default/a: spec.clusterIPs: Invalid value: "10.96.0.10": failed to allocate IP 10.96.0.10: provided IP is already allocated (Service kube-system/kube-dns has it)',
    ],
    [
      'an address an earlier Service of the input took',
      [clusterIPService('a', '10.96.0.50'), clusterIPService('b', '10.96.0.50')],
      'input-2.yaml doc 2 Service default/b: spec.clusterIPs: Invalid value: "10.96.0.50": failed to allocate IP 10.96.0.50: provided IP is already allocated (Service default/a has it)',
    ],
  ])('rejects a requested ClusterIP %s', (_, docs, message) => {
    expect(load(...docs).errors).toEqual([message]);
  });

  it.each([['10.96.0.50'], ['10.96.1.0'], ['10.96.200.7']])(
    'honours a free requested ClusterIP %s',
    (ip) => {
      expect(clusterFromYaml(clusterIPService('a', ip)).services.get('default/a')!.clusterIP).toBe(
        ip,
      );
    },
  );

  it('never hands a dynamic ClusterIP out of the static band (the first 256 addresses of a /16)', () => {
    const docs = Array.from({ length: 40 }, (_, i) =>
      serviceYaml(`s${i}`, `  ports: [{port: 80}]\n  selector: {app: s${i}}`),
    );
    const state = clusterFromYaml(...docs);
    for (let i = 0; i < 40; i++)
      expect(ipToInt(state.services.get(`default/s${i}`)!.clusterIP)).toBeGreaterThanOrEqual(
        ipToInt('10.96.1.1'),
      );
  });

  it('falls back to the lower band when the upper band is full (a /28 has no static band; a /27 has 16)', () => {
    expect(staticBandSize(16, 16, 16, 256)).toBe(0);
    expect(staticBandSize(32, 16, 16, 256)).toBe(16);
    expect(staticBandSize(65536, 16, 16, 256)).toBe(256);
    const docs = Array.from({ length: 28 }, (_, i) =>
      serviceYaml(`s${i}`, `  ports: [{port: 80}]\n  selector: {app: s${i}}`),
    );
    const state = clusterFromYaml(clusterYaml('  serviceCIDR: 10.96.0.0/27'), ...docs);
    const ips = [...state.services.values()].map((s) => s.clusterIP);
    expect(new Set(ips).size).toBe(30);
    const { errors } = load(
      clusterYaml('  serviceCIDR: 10.96.0.0/27'),
      ...docs,
      serviceYaml('last', '  ports: [{port: 80}]\n  selector: {app: x}'),
    );
    expect(errors).toEqual([
      'input-30.yaml doc 30 Service default/last: spec.clusterIPs: Internal error occurred: failed to allocate a serviceIP: range is full',
    ]);
  });

  it.each([
    ['headless', '  clusterIP: None\n  ports: [{port: 80}]\n  selector: {app: a}', 'None'],
    ['ExternalName', '  type: ExternalName\n  externalName: example.com', ''],
  ])('gives a %s Service no ClusterIP', (_, spec, expected) => {
    expect(clusterFromYaml(serviceYaml('a', spec)).services.get('default/a')!.clusterIP).toBe(
      expected,
    );
  });
});

describe('NodePort allocation', () => {
  it('reserves 30000-30085 for static picks by default: min(max(16, 2768/32), 128) = 86', () => {
    expect(staticBandSize(2768, 16, 32, 128)).toBe(86);
  });

  it.each([
    [
      'already taken by an earlier Service',
      [nodePortService('a', 30080), nodePortService('b', 30080)],
      'input-2.yaml doc 2 Service default/b: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated (Service default/a has it)',
    ],
    [
      'outside the node port range',
      [nodePortService('a', 8080)],
      'input-1.yaml doc 1 Service default/a: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ],
  ])('rejects a requested nodePort %s', (_, docs, message) => {
    expect(load(...docs).errors).toEqual([message]);
  });

  it('honours a free static nodePort and gives unnamed ones ports from the upper band', () => {
    const state = clusterFromYaml(
      nodePortService('a', 30080),
      serviceYaml(
        'b',
        '  type: NodePort\n  ports: [{port: 80, name: http}, {port: 443, name: https}]\n  selector: {app: b}',
      ),
    );
    expect(state.services.get('default/a')!.ports[0].nodePort).toBe(30080);
    for (const port of state.services.get('default/b')!.ports) {
      expect(port.nodePort).toBeGreaterThanOrEqual(30086);
      expect(port.nodePort).toBeLessThanOrEqual(32767);
    }
  });

  it('shares one node port between the TCP and UDP ports of the same number', () => {
    const state = clusterFromYaml(
      serviceYaml(
        'dns',
        '  type: NodePort\n  ports: [{port: 53, protocol: UDP, name: dns}, {port: 53, protocol: TCP, name: dns-tcp}]\n  selector: {app: dns}',
      ),
    );
    const [udp, tcp] = state.services.get('default/dns')!.ports;
    expect(udp.nodePort).toBe(tcp.nodePort);
  });

  it.each([
    ['LoadBalancer with externalTrafficPolicy Local', 'LoadBalancer', 'Local', true],
    ['LoadBalancer with externalTrafficPolicy Cluster', 'LoadBalancer', 'Cluster', false],
    ['NodePort with externalTrafficPolicy Local', 'NodePort', 'Local', false],
  ])('%s: node ports, healthCheckNodePort %s, ingress pending', (_, type, policy, healthCheck) => {
    const svc = clusterFromYaml(
      serviceYaml(
        'lb',
        `  type: ${type}\n  externalTrafficPolicy: ${policy}\n  ports: [{port: 80}]\n  selector: {app: lb}`,
      ),
    ).services.get('default/lb')!;
    expect(svc.ports[0].nodePort).toBeGreaterThanOrEqual(30086);
    expect(svc.healthCheckNodePort !== undefined).toBe(healthCheck);
    if (svc.healthCheckNodePort) expect(svc.healthCheckNodePort).not.toBe(svc.ports[0].nodePort);
    expect(svc.loadBalancerIngress).toEqual([]);
  });
});
