/**
 * fast-check generators for the matrix property specs: small clusters and random policies using
 * the constructs of NetworkPolicy and the cluster policy API (selectors with expressions, both
 * selectors in one peer, ipBlock with except on pod and node IPs, named ports with the wrong
 * protocol, endPort, SCTP, ANP priorities and Pass, BANP, host-network pods).
 */
import fc from 'fast-check';
import type { Protocol } from '../model/resources';

type Json = Record<string, unknown>;

const LABEL_VALUES = { app: ['web', 'db'], tier: ['front', 'back'] } as const;

const selector: fc.Arbitrary<Json> = fc.oneof(
  fc.constant({}),
  fc.record({
    matchLabels: fc.oneof(
      fc.constant({ app: 'web' }),
      fc.constant({ app: 'db' }),
      fc.constant({ tier: 'front' }),
      fc.constant({ app: 'db', tier: 'back' }),
    ),
  }),
  fc.record({
    matchExpressions: fc.constantFrom(
      [{ key: 'app', operator: 'In', values: ['web', 'db'] }],
      [{ key: 'tier', operator: 'NotIn', values: ['front'] }],
      [{ key: 'tier', operator: 'Exists' }],
      [{ key: 'app', operator: 'DoesNotExist' }],
    ),
  }),
);

const namespaceSelector: fc.Arbitrary<Json> = fc.oneof(
  fc.constant({}),
  fc.constant({ matchLabels: { ns: 'x' } }),
  fc.constant({ matchLabels: { team: 'blue' } }),
  fc.constant({ matchLabels: { 'kubernetes.io/metadata.name': 'y' } }),
  fc.constant({ matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['blue'] }] }),
);

const CIDRS = [
  '10.244.0.0/16',
  '10.244.1.0/24',
  '10.244.2.0/24',
  '172.18.0.0/16',
  '0.0.0.0/0',
  '8.8.8.0/24',
  '10.244.1.2/32',
];

/** `except` must lie inside `cidr` (API validation), so blocks come as valid pairs. */
const ipBlock: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...CIDRS).map((cidr) => ({ ipBlock: { cidr } })),
  fc
    .constantFrom(
      { cidr: '10.244.0.0/16', except: ['10.244.1.2/32'] },
      { cidr: '10.244.2.0/24', except: ['10.244.2.0/25'] },
      { cidr: '0.0.0.0/0', except: ['10.244.0.0/16', '172.18.0.3/32'] },
    )
    .map((block) => ({ ipBlock: block })),
);

const networkPeer: fc.Arbitrary<Json> = fc.oneof(
  selector.map((podSelector) => ({ podSelector })),
  namespaceSelector.map((ns) => ({ namespaceSelector: ns })),
  fc
    .tuple(selector, namespaceSelector)
    .map(([podSelector, ns]) => ({ podSelector, namespaceSelector: ns })),
  ipBlock,
);

const protocol = fc.constantFrom<Protocol>('TCP', 'UDP', 'SCTP');

const networkPort: fc.Arbitrary<Json> = fc.oneof(
  fc.record({ protocol }),
  fc.record({ protocol, port: fc.constantFrom(80, 53, 8080) }),
  fc.record({ protocol, port: fc.constantFrom('http', 'dns', 'alt') }),
  fc.record({ protocol, port: fc.constant(79), endPort: fc.constantFrom(80, 8080) }),
);

const networkRule = (peersKey: 'from' | 'to') =>
  fc
    .record({
      peers: fc.option(fc.array(networkPeer, { minLength: 1, maxLength: 2 })),
      ports: fc.option(fc.array(networkPort, { minLength: 1, maxLength: 2 })),
    })
    .map(({ peers, ports }) => ({
      ...(peers ? { [peersKey]: peers } : {}),
      ...(ports ? { ports } : {}),
    }));

export const networkPolicy = (name: string): fc.Arbitrary<Json> =>
  fc
    .record({
      namespace: fc.constantFrom('x', 'y'),
      podSelector: selector,
      policyTypes: fc.option(fc.constantFrom(['Ingress'], ['Egress'], ['Ingress', 'Egress'])),
      ingress: fc.option(fc.array(networkRule('from'), { maxLength: 2 })),
      egress: fc.option(fc.array(networkRule('to'), { maxLength: 2 })),
    })
    .map(({ namespace, podSelector, policyTypes, ingress, egress }) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace },
      spec: {
        podSelector,
        ...(policyTypes ? { policyTypes } : {}),
        ...(ingress ? { ingress } : {}),
        ...(egress ? { egress } : {}),
      },
    }));

const clusterPeer = (egress: boolean): fc.Arbitrary<Json> =>
  fc.oneof(
    namespaceSelector.map((namespaces) => ({ namespaces })),
    fc
      .tuple(namespaceSelector, selector)
      .map(([ns, pods]) => ({ pods: { namespaceSelector: ns, podSelector: pods } })),
    ...(egress
      ? [
          fc.constantFrom(...CIDRS).map((c) => ({ networks: [c] })),
          fc
            .constantFrom({}, { matchLabels: { 'node-role.kubernetes.io/control-plane': '' } })
            .map((nodes) => ({ nodes })),
        ]
      : []),
  );

const clusterPort: fc.Arbitrary<Json> = fc.oneof(
  fc.record({ portNumber: fc.record({ protocol, port: fc.constantFrom(80, 53) }) }),
  fc.constantFrom('http', 'dns').map((namedPort) => ({ namedPort })),
  fc.record({
    portRange: fc.record({ protocol, start: fc.constant(1), end: fc.constantFrom(80, 1024) }),
  }),
);

const clusterRule = (egress: boolean, actions: string[]) =>
  fc
    .record({
      action: fc.constantFrom(...actions),
      peers: fc.array(clusterPeer(egress), { minLength: 1, maxLength: 2 }),
      ports: fc.option(fc.array(clusterPort, { minLength: 1, maxLength: 2 })),
    })
    .map(({ action, peers, ports }) => ({
      action,
      [egress ? 'to' : 'from']: peers,
      ...(ports ? { ports } : {}),
    }));

const clusterSubject: fc.Arbitrary<Json> = fc.oneof(
  namespaceSelector.map((namespaces) => ({ namespaces })),
  fc
    .tuple(namespaceSelector, selector)
    .map(([ns, pods]) => ({ pods: { namespaceSelector: ns, podSelector: pods } })),
);

export const adminPolicy = (name: string): fc.Arbitrary<Json> =>
  fc
    .record({
      priority: fc.integer({ min: 0, max: 3 }),
      subject: clusterSubject,
      ingress: fc.array(clusterRule(false, ['Allow', 'Deny', 'Pass']), { maxLength: 2 }),
      egress: fc.array(clusterRule(true, ['Allow', 'Deny', 'Pass']), { maxLength: 2 }),
    })
    .map((spec) => ({
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'AdminNetworkPolicy',
      metadata: { name },
      spec,
    }));

export const baselinePolicy: fc.Arbitrary<Json> = fc
  .record({
    subject: clusterSubject,
    ingress: fc.array(clusterRule(false, ['Allow', 'Deny']), { maxLength: 2 }),
    egress: fc.array(clusterRule(true, ['Allow', 'Deny']), { maxLength: 2 }),
  })
  .map((spec) => ({
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'BaselineAdminNetworkPolicy',
    metadata: { name: 'default' },
    spec,
  }));

const pod = (ns: string, i: number) =>
  fc
    .record({
      app: fc.option(fc.constantFrom(...LABEL_VALUES.app)),
      tier: fc.option(fc.constantFrom(...LABEL_VALUES.tier)),
      ports: fc.subarray([
        { name: 'http', containerPort: 80 },
        { name: 'http', containerPort: 8080, protocol: 'UDP' },
        { name: 'dns', containerPort: 53, protocol: 'UDP' },
        { name: 'alt', containerPort: 80, protocol: 'SCTP' },
      ]),
    })
    .map(({ app, tier, ports }) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `p${i}`,
        namespace: ns,
        labels: { ...(app ? { app } : {}), ...(tier ? { tier } : {}) },
      },
      spec: {
        containers: [
          {
            name: 'c',
            image: 'agnhost',
            ports: ports.filter((p, k) => ports.findIndex((q) => q.name === p.name) === k),
          },
        ],
      },
    }));

/** Namespaces x and y (x in team blue), 1-3 pods each, sometimes a host-network pod on `worker`. */
export const smallCluster: fc.Arbitrary<Json[]> = fc
  .tuple(
    fc.array(pod('x', 0), { minLength: 1, maxLength: 3 }),
    fc.array(pod('y', 0), { minLength: 1, maxLength: 3 }),
    fc.boolean(),
  )
  .map(([xs, ys, hostPod]) => [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'x', labels: { ns: 'x', team: 'blue' } },
    },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'y', labels: { ns: 'y' } } },
    ...[...xs, ...ys].map((p, i) => ({
      ...p,
      metadata: { ...(p.metadata as Json), name: `p${i}` },
    })),
    ...(hostPod
      ? [
          {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name: 'agent', namespace: 'x', labels: { app: 'web' } },
            spec: {
              hostNetwork: true,
              nodeName: 'worker',
              containers: [
                { name: 'agent', image: 'busybox', ports: [{ name: 'http', containerPort: 80 }] },
              ],
            },
          },
        ]
      : []),
  ]);

export const policies: fc.Arbitrary<Json[]> = fc
  .tuple(
    fc
      .array(fc.nat(), { maxLength: 3 })
      .chain((ids) => fc.tuple(...ids.map((_, i) => networkPolicy(`np${i}`)))),
    fc
      .array(fc.nat(), { maxLength: 2 })
      .chain((ids) => fc.tuple(...ids.map((_, i) => adminPolicy(`anp${i}`)))),
    fc.option(baselinePolicy),
  )
  .map(([nps, anps, banp]) => [...nps, ...anps, ...(banp ? [banp] : [])]);

export const query = fc.record({ protocol, port: fc.constantFrom(80, 53, 8080) });

/** JSON is YAML: one document per object. */
export function toYaml(docs: Json[]): string {
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}
