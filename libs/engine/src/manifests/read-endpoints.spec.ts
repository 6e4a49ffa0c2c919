import { formatIssue } from '../model/issues';
import { issuesOf, readYaml } from './read-yaml-for-tests';

describe('EndpointSlice and Endpoints', () => {
  it('reads a user EndpointSlice, defaulting conditions like the API (ready nil ⇒ true, serving nil ⇒ ready, terminating nil ⇒ false)', () => {
    const set = readYaml(`apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: db-1
  labels:
    kubernetes.io/service-name: db
    endpointslice.kubernetes.io/managed-by: staff
addressType: IPv4
ports: [{name: pg, port: 5432}]
endpoints:
- addresses: [192.0.2.10]
- addresses: [192.0.2.11]
  conditions: {ready: false}
- addresses: [192.0.2.12]
  conditions: {ready: false, serving: true, terminating: true}
  nodeName: worker
  zone: a
  targetRef: {kind: Pod, name: db-2}
  hints: {forZones: [{name: a}], forNodes: [{name: worker}]}
`);
    expect(set.issues).toEqual([]);
    expect(set.endpointSlices[0]).toMatchObject({
      name: 'db-1',
      serviceName: 'db',
      managedBy: 'staff',
      addressType: 'IPv4',
      ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
      endpoints: [
        {
          addresses: ['192.0.2.10'],
          conditions: { ready: true, serving: true, terminating: false },
        },
        {
          addresses: ['192.0.2.11'],
          conditions: { ready: false, serving: false, terminating: false },
        },
        {
          addresses: ['192.0.2.12'],
          conditions: { ready: false, serving: true, terminating: true },
          nodeName: 'worker',
          zone: 'a',
          targetRef: { kind: 'Pod', namespace: 'default', name: 'db-2' },
          hints: { forZones: ['a'], forNodes: ['worker'] },
        },
      ],
    });
  });

  it('warns about a slice without the service-name label: it belongs to no Service', () => {
    const set = readYaml(
      'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: s}\naddressType: IPv4\nendpoints: []\n',
    );
    expect(set.issues.map((i) => [i.severity, formatIssue(i)])).toEqual([
      [
        'warning',
        'doc 1 EndpointSlice default/s: metadata.labels: no "kubernetes.io/service-name" label: this EndpointSlice belongs to no Service',
      ],
    ]);
    expect(set.endpointSlices[0].serviceName).toBe('');
  });

  it('mirrors v1 Endpoints into slices as the endpointslicemirroring controller does', () => {
    const set = readYaml(`apiVersion: v1
kind: Endpoints
metadata: {name: legacy, namespace: ops}
subsets:
- addresses: [{ip: 192.0.2.1, nodeName: worker}]
  notReadyAddresses: [{ip: 192.0.2.2}]
  ports: [{name: http, port: 8080}]
- addresses: [{ip: 192.0.2.3}]
  ports: [{port: 53, protocol: UDP}]
`);
    expect(set.issues).toEqual([]);
    expect(
      set.endpoints
        .flatMap((e) => e.slices)
        .map((s) => ({
          name: s.name,
          ns: s.namespace,
          svc: s.serviceName,
          by: s.managedBy,
          labels: s.labels,
          ports: s.ports,
          endpoints: s.endpoints,
        })),
    ).toEqual([
      {
        name: 'legacy-mirror',
        ns: 'ops',
        svc: 'legacy',
        by: 'endpointslicemirroring-controller.k8s.io',
        labels: {
          'kubernetes.io/service-name': 'legacy',
          'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io',
        },
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        endpoints: [
          {
            addresses: ['192.0.2.1'],
            conditions: { ready: true, serving: true, terminating: false },
            nodeName: 'worker',
          },
          {
            addresses: ['192.0.2.2'],
            conditions: { ready: false, serving: false, terminating: false },
          },
        ],
      },
      {
        name: 'legacy-mirror-2',
        ns: 'ops',
        svc: 'legacy',
        by: 'endpointslicemirroring-controller.k8s.io',
        labels: {
          'kubernetes.io/service-name': 'legacy',
          'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io',
        },
        ports: [{ port: 53, protocol: 'UDP' }],
        endpoints: [
          {
            addresses: ['192.0.2.3'],
            conditions: { ready: true, serving: true, terminating: false },
          },
        ],
      },
    ]);
  });

  it.each([
    [
      'an endpoint without addresses',
      'addressType: IPv4\nendpoints: [{conditions: {ready: true}}]\n',
      'doc 1 EndpointSlice default/s: endpoints[0].addresses: Required value: must contain at least 1 address',
    ],
    [
      'an invalid address',
      'addressType: IPv4\nendpoints: [{addresses: [10.0.0.256]}]\n',
      'doc 1 EndpointSlice default/s: endpoints[0].addresses[0]: Invalid value: "10.0.0.256": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ],
    [
      'a missing addressType',
      'endpoints: []\n',
      'doc 1 EndpointSlice default/s: addressType: Required value',
    ],
    [
      'a port out of range',
      'addressType: IPv4\nports: [{port: 0}]\n',
      'doc 1 EndpointSlice default/s: ports[0].port: must be between 1 and 65535, inclusive',
    ],
  ])('refuses %s', (_name, body, expected) => {
    const yaml = `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: s\n  labels: {kubernetes.io/service-name: db}\n${body}`;
    expect(issuesOf(yaml)).toContain(expected);
  });

  it('warns that IPv6 slices are not simulated', () => {
    expect(
      issuesOf(
        'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: s\n  labels: {kubernetes.io/service-name: db}\naddressType: IPv6\nendpoints: [{addresses: ["fd00::1"]}]\n',
      ),
    ).toEqual([
      'doc 1 EndpointSlice default/s: addressType: IPv6 endpoints are not simulated: the cluster is single-stack IPv4',
    ]);
  });
});
