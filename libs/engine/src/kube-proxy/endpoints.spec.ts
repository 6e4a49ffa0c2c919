import type { ClusterState } from '../model/cluster-state';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { categorizeEndpoints, type CategorizedEndpoints } from './endpoints';
import { clusterYaml, serviceYaml, sliceYaml, type EndpointSpec } from './spec-fixtures';

/** One service `svc` (port http 80 → 8080) with the given spec lines and endpoints. */
function cluster(spec: string, endpoints: EndpointSpec[]): ClusterState {
  const nodePort = spec.includes('NodePort') ? ', nodePort: 30090' : '';
  return clusterFromYaml(
    clusterYaml('iptables'),
    serviceYaml('svc', `${spec}\nports: [{name: http, port: 80, targetPort: 8080${nodePort}}]`),
    sliceYaml('svc', 8080, endpoints),
  );
}

function categorize(state: ClusterState, node = 'worker'): CategorizedEndpoints {
  const svc = state.services.get('default/svc')!;
  return categorizeEndpoints(state, svc, svc.ports[0], state.nodes.get(node)!);
}

const ips = (list: { ip: string }[]) => list.map((e) => e.ip);

/** Cases after pkg/proxy/topology_test.go TestCategorizeEndpoints (semantics §4.5). */
describe('categorizeEndpoints (pkg/proxy/topology.go CategorizeEndpoints)', () => {
  it.each<{
    name: string;
    spec: string;
    endpoints: EndpointSpec[];
    cluster: string[];
    local: string[];
    hasAny: boolean;
  }>([
    {
      name: 'ready endpoints only; not-ready ones are ignored',
      spec: 'type: ClusterIP',
      endpoints: [
        { ip: '10.244.1.2', node: 'worker' },
        { ip: '10.244.2.2', node: 'worker2', ready: false },
      ],
      cluster: ['10.244.1.2'],
      local: [],
      hasAny: true,
    },
    {
      name: 'no ready endpoint: serving and terminating ones are used',
      spec: 'type: ClusterIP',
      endpoints: [
        { ip: '10.244.1.2', node: 'worker', ready: false, serving: false },
        { ip: '10.244.2.2', node: 'worker2', ready: false, serving: true, terminating: true },
        { ip: '10.244.2.3', node: 'worker2', ready: false, serving: false, terminating: true },
      ],
      cluster: ['10.244.2.2'],
      local: [],
      hasAny: true,
    },
    {
      name: 'ready endpoints win over serving-terminating ones',
      spec: 'type: ClusterIP',
      endpoints: [
        { ip: '10.244.1.2', node: 'worker' },
        { ip: '10.244.2.2', node: 'worker2', ready: false, serving: true, terminating: true },
      ],
      cluster: ['10.244.1.2'],
      local: [],
      hasAny: true,
    },
    {
      name: 'nothing ready or serving: no endpoints at all',
      spec: 'type: ClusterIP',
      endpoints: [{ ip: '10.244.1.2', node: 'worker', ready: false, serving: false }],
      cluster: [],
      local: [],
      hasAny: false,
    },
    {
      name: 'iTP Local, all endpoints remote: local set empty but the service has endpoints',
      spec: 'internalTrafficPolicy: Local',
      endpoints: [{ ip: '10.244.2.2', node: 'worker2' }],
      cluster: [],
      local: [],
      hasAny: true,
    },
    {
      name: 'iTP Local with a local endpoint',
      spec: 'internalTrafficPolicy: Local',
      endpoints: [
        { ip: '10.244.1.2', node: 'worker' },
        { ip: '10.244.2.2', node: 'worker2' },
      ],
      cluster: [],
      local: ['10.244.1.2'],
      hasAny: true,
    },
    {
      name: 'eTP Local NodePort: cluster set for internal traffic, local set for external',
      spec: 'type: NodePort\nexternalTrafficPolicy: Local',
      endpoints: [
        { ip: '10.244.1.2', node: 'worker' },
        { ip: '10.244.2.2', node: 'worker2' },
      ],
      cluster: ['10.244.1.2', '10.244.2.2'],
      local: ['10.244.1.2'],
      hasAny: true,
    },
    {
      name: 'eTP Local, only a local terminating endpoint: the local set falls back to it',
      spec: 'type: NodePort\nexternalTrafficPolicy: Local',
      endpoints: [
        { ip: '10.244.1.2', node: 'worker', ready: false, serving: true, terminating: true },
        { ip: '10.244.2.2', node: 'worker2' },
      ],
      cluster: ['10.244.2.2'],
      local: ['10.244.1.2'],
      hasAny: true,
    },
  ])('$name', ({ spec, endpoints, cluster: expectedCluster, local, hasAny }) => {
    const result = categorize(cluster(spec, endpoints));
    expect(ips(result.cluster)).toEqual(expectedCluster);
    expect(ips(result.local)).toEqual(local);
    expect(result.hasAnyEndpoints).toBe(hasAny);
    expect(ips(result.allReachable)).toEqual([...new Set([...expectedCluster, ...local])]);
  });

  it('treats endpoints on a NotReady node as not ready', () => {
    const state = cluster('type: ClusterIP', [
      { ip: '10.244.1.2', node: 'worker' },
      { ip: '10.244.2.2', node: 'worker2' },
    ]);
    state.nodes.get('worker2')!.ready = false;
    expect(ips(categorize(state).cluster)).toEqual(['10.244.1.2']);
  });

  it('takes the port from the slice port named like the ServicePort and sorts by ip:port', () => {
    const state = cluster('type: ClusterIP', [
      { ip: '10.244.2.9', node: 'worker2' },
      { ip: '10.244.1.10', node: 'worker' },
      { ip: '10.244.1.9', node: 'worker' },
    ]);
    expect(categorize(state).cluster.map((e) => e.key)).toEqual([
      '10.244.1.10:8080',
      '10.244.1.9:8080',
      '10.244.2.9:8080',
    ]);
  });

  it('finds the pods behind a selector-managed service', () => {
    const state = clusterFromYaml(
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]}
`,
      serviceYaml('svc', 'selector: {app: web}\nports: [{name: http, port: 80, targetPort: http}]'),
    );
    const result = categorize(state);
    expect(result.cluster).toHaveLength(2);
    for (const ep of result.cluster) {
      expect(ep.port).toBe(8080);
      expect(ep.pod?.ip).toBe(ep.ip);
    }
  });
});

describe('topology hints', () => {
  const zoned = (annotation: string) => {
    const state = clusterFromYaml(
      clusterYaml('iptables'),
      `apiVersion: v1
kind: Service
metadata:
  name: svc
  namespace: default
  annotations: {service.kubernetes.io/topology-mode: ${annotation}}
spec:
  ports: [{name: http, port: 80, targetPort: 8080}]
`,
      sliceYaml('svc', 8080, [
        { ip: '10.244.1.2', node: 'worker' },
        { ip: '10.244.2.2', node: 'worker2' },
      ]),
    );
    state.nodes.get('worker')!.labels['topology.kubernetes.io/zone'] = 'zone-a';
    state.nodes.get('worker2')!.labels['topology.kubernetes.io/zone'] = 'zone-b';
    // Hints as the EndpointSlice controller would write them for topology-mode Auto.
    const slice = [...state.endpointSlices.values()].find((s) => s.serviceName === 'svc')!;
    slice.endpoints[0].hints = { forZones: ['zone-a'], forNodes: [] };
    slice.endpoints[1].hints = { forZones: ['zone-b'], forNodes: [] };
    return state;
  };

  it.each(['Auto', 'aUto', 'Disabled'])(
    'hints alone decide, whatever the annotation says (%s)',
    (annotation) => {
      const result = categorize(zoned(annotation));
      expect(ips(result.cluster)).toEqual(['10.244.1.2']);
      expect(result.topologyMode).toBe('PreferSameZone');
    },
  );

  it('prefers the same node when every ready endpoint carries node hints', () => {
    const state = zoned('Auto');
    const slice = [...state.endpointSlices.values()].find((s) => s.serviceName === 'svc')!;
    slice.endpoints[0].hints = { forZones: ['zone-a'], forNodes: ['worker2'] };
    slice.endpoints[1].hints = { forZones: ['zone-b'], forNodes: ['worker'] };
    const result = categorize(state);
    expect(result.topologyMode).toBe('PreferSameNode');
    expect(ips(result.cluster)).toEqual(['10.244.2.2']);
  });

  it("filters the cluster set but not a Local policy's local set", () => {
    const state = zoned('Auto');
    const svc = state.services.get('default/svc')!;
    svc.type = 'NodePort';
    svc.ports[0].nodePort = 30099;
    svc.externalTrafficPolicy = 'Local';
    const slice = [...state.endpointSlices.values()].find((s) => s.serviceName === 'svc')!;
    slice.endpoints[0].hints = { forZones: ['zone-b'], forNodes: [] };
    slice.endpoints[1].hints = { forZones: ['zone-a'], forNodes: [] };
    const result = categorize(state, 'worker2');
    expect(ips(result.cluster)).toEqual(['10.244.1.2']);
    expect(ips(result.local)).toEqual(['10.244.2.2']);
    expect(ips(result.allReachable)).toEqual(['10.244.1.2', '10.244.2.2']);
  });

  it('does not filter when one ready endpoint lacks hints', () => {
    const state = zoned('Auto');
    const slice = [...state.endpointSlices.values()].find((s) => s.serviceName === 'svc')!;
    delete slice.endpoints[1].hints;
    expect(ips(categorize(state).cluster)).toEqual(['10.244.1.2', '10.244.2.2']);
  });

  it("does not filter when no endpoint is hinted for this node's zone", () => {
    const state = zoned('Auto');
    state.nodes.get('worker')!.labels['topology.kubernetes.io/zone'] = 'zone-c';
    expect(categorize(state).topologyMode).toBeNull();
  });
});
