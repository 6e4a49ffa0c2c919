import type { ClusterState } from '../model/cluster-state';
import type { EndpointSlice } from '../model/resources';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { reconcile } from '../cluster/reconcile';
import { deploymentYaml, serviceYaml } from './spec-fixtures';

const pod = (
  name: string,
  opts: { annotations?: string; deleting?: boolean; ports?: string; extra?: string } = {},
) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: web}
${opts.annotations ? `  annotations: {${opts.annotations}}\n` : ''}${opts.deleting ? '  deletionTimestamp: "2024-01-01T00:00:00Z"\n' : ''}spec:
  containers: [{name: web, image: httpd${opts.ports ? `, ports: [${opts.ports}]` : ''}}]
${opts.extra ?? ''}`;

const webService = (extra = '') =>
  serviceYaml('web', `  ports: [{port: 80, name: http}]\n  selector: {app: web}\n${extra}`);

function slicesOf(state: ClusterState, service: string): EndpointSlice[] {
  return [...state.endpointSlices.values()].filter((s) => s.serviceName === service);
}

function conditionsByPod(state: ClusterState, service: string) {
  const out: Record<string, unknown> = {};
  for (const slice of slicesOf(state, service))
    for (const ep of slice.endpoints) out[ep.targetRef!.name] = ep.conditions;
  return out;
}

describe('EndpointSlice controller: endpoint conditions', () => {
  it.each([
    ['a ready pod', {}, '', { ready: true, serving: true, terminating: false }],
    [
      'a pod failing its readiness probe',
      { annotations: 'netplay.dev/ready: "false"' },
      '',
      { ready: false, serving: false, terminating: false },
    ],
    [
      'a not-ready pod with publishNotReadyAddresses',
      { annotations: 'netplay.dev/ready: "false"' },
      '  publishNotReadyAddresses: true',
      { ready: true, serving: false, terminating: false },
    ],
    [
      'a terminating pod',
      { deleting: true },
      '',
      { ready: false, serving: true, terminating: true },
    ],
    [
      'a terminating pod with publishNotReadyAddresses',
      { deleting: true },
      '  publishNotReadyAddresses: true',
      { ready: true, serving: true, terminating: true },
    ],
  ])('%s', (_, podOpts, serviceExtra, conditions) => {
    const state = clusterFromYaml(pod('a', podOpts), webService(serviceExtra));
    expect(conditionsByPod(state, 'web')).toEqual({ a: conditions });
  });

  it('leaves out pods that have no IP yet (Pending)', () => {
    const state = clusterFromYaml(
      pod('a'),
      pod('b', { extra: '  nodeSelector: {disktype: ssd}' }),
      webService(),
    );
    expect(Object.keys(conditionsByPod(state, 'web'))).toEqual(['a']);
  });

  it('fills nodeName and targetRef, and hostname only for pods whose subdomain names the Service', () => {
    const state = clusterFromYaml(
      pod('a', { extra: '  hostname: alpha\n  subdomain: web' }),
      pod('b', { extra: '  hostname: beta\n  subdomain: other' }),
      webService(),
    );
    const endpoints = slicesOf(state, 'web')[0].endpoints;
    expect(endpoints.map((e) => [e.targetRef, e.hostname, e.nodeName])).toEqual([
      [
        { kind: 'Pod', namespace: 'default', name: 'a' },
        'alpha',
        state.pods.get('default/a')!.nodeName,
      ],
      [
        { kind: 'Pod', namespace: 'default', name: 'b' },
        undefined,
        state.pods.get('default/b')!.nodeName,
      ],
    ]);
  });
});

describe('EndpointSlice controller: ports and slicing', () => {
  it('resolves a named targetPort per pod and groups pods by the ports they resolve to', () => {
    const state = clusterFromYaml(
      pod('a', { ports: '{name: http, containerPort: 8080}' }),
      pod('b', { ports: '{name: http, containerPort: 9090}' }),
      pod('c', { ports: '{name: metrics, containerPort: 9100}' }),
      pod('d', { ports: '{name: http, containerPort: 8080}' }),
      serviceYaml(
        'web',
        '  ports: [{port: 80, name: web, targetPort: http}]\n  selector: {app: web}',
      ),
    );
    const summary = slicesOf(state, 'web').map((s) => [
      s.ports.map((p) => p.port),
      s.endpoints.map((e) => e.targetRef!.name),
    ]);
    expect(summary).toEqual([
      [[8080], ['a', 'd']],
      [[9090], ['b']],
      [[], ['c']],
    ]);
  });

  it('does not resolve a named port declared for another protocol', () => {
    const state = clusterFromYaml(
      pod('a', { ports: '{name: dns, containerPort: 5353, protocol: UDP}' }),
      serviceYaml(
        'web',
        '  ports: [{port: 53, name: dns, protocol: TCP, targetPort: dns}]\n  selector: {app: web}',
      ),
    );
    expect(slicesOf(state, 'web').map((s) => s.ports)).toEqual([[]]);
  });

  it('keeps a numeric targetPort as is', () => {
    const state = clusterFromYaml(
      pod('a'),
      serviceYaml(
        'web',
        '  ports: [{port: 80, name: http, targetPort: 8080}]\n  selector: {app: web}',
      ),
    );
    expect(slicesOf(state, 'web')[0].ports).toEqual([
      { name: 'http', port: 8080, protocol: 'TCP' },
    ]);
  });

  it('splits more than 100 endpoints across slices', () => {
    const state = clusterFromYaml(deploymentYaml('web', 150), webService());
    expect(slicesOf(state, 'web').map((s) => s.endpoints.length)).toEqual([100, 50]);
  });

  it('gives a Service without matching pods one empty slice', () => {
    const state = clusterFromYaml(webService());
    expect(slicesOf(state, 'web').map((s) => [s.ports, s.endpoints])).toEqual([[[], []]]);
  });

  it('leaves the slices of a selector-less Service to its user', () => {
    const state = clusterFromYaml(
      serviceYaml('ext', '  ports: [{port: 80}]'),
      `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ext-1, labels: {kubernetes.io/service-name: ext}}
addressType: IPv4
ports: [{port: 80, protocol: TCP}]
endpoints: [{addresses: [192.168.1.10]}]
`,
    );
    expect(slicesOf(state, 'ext').map((s) => s.name)).toEqual(['ext-1']);
  });

  it('is idempotent: a second reconcile keeps names, content and the state version', () => {
    const state = clusterFromYaml(deploymentYaml('web', 3), webService());
    const before = JSON.stringify([...state.endpointSlices.values()]);
    const version = state.version;
    expect(reconcile(state)).toEqual([]);
    expect(JSON.stringify([...state.endpointSlices.values()])).toBe(before);
    expect(state.version).toBe(version);
  });
});
