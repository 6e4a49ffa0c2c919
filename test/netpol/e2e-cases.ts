/**
 * Kubernetes' NetworkPolicy e2e truth tables (test/e2e/network/netpol/network_policy.go), one row
 * per `f.It` case (numbered as in the research notes §2a), plus the UDP and SCTP contexts and the
 * policyTypes defaulting the e2e helpers never exercise. Expectations are the e2e `ExpectPeer`
 * calls: all pairs allowed, then each entry sets the pairs it matches. Every case creates all nine
 * pods (older e2e versions did), so wildcards cover pods a case's e2e version may not create.
 * Cases with an update step use the state after the update.
 */
import type { Protocol } from '../../libs/engine/src/model/resources';
import type { Expectation, FixtureOptions } from './netpol-fixture';

type Json = Record<string, unknown>;

export interface NetpolCase {
  name: string;
  /** Policy YAML; a function when the policy names pod IPs (ipBlock cases). */
  policies: string | ((ip: Record<string, string>) => string);
  port: number;
  protocol: Protocol;
  expect: Expectation[];
  fixture?: FixtureOptions;
}

const labels = (matchLabels: Record<string, string>): Json => ({ matchLabels });
const expr = (key: string, operator: string, values: string[]): Json => ({
  matchExpressions: [{ key, operator, values }],
});
const ALL: Json = {};

function netpol(namespace: string, name: string, spec: Json): string {
  return JSON.stringify({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec,
  });
}
const docs = (...yaml: string[]): string => yaml.join('\n---\n');

/** `policyTypes` listed explicitly, as the e2e helpers do. */
const ingress = (ns: string, name: string, podSelector: Json, rules: Json[]): string =>
  netpol(ns, name, { podSelector, policyTypes: ['Ingress'], ingress: rules });
const egress = (ns: string, name: string, podSelector: Json, rules: Json[]): string =>
  netpol(ns, name, { podSelector, policyTypes: ['Egress'], egress: rules });
const podA = labels({ pod: 'a' });
const fromPeers = (...from: Json[]): Json => ({ from });
const port = (p: number | string, protocol = 'TCP'): Json => ({ port: p, protocol });

const DENY_INGRESS = netpol('x', 'deny-ingress', { podSelector: ALL, policyTypes: ['Ingress'] });
const F = false;
const T = true;

export const E2E_CASES: NetpolCase[] = [
  {
    name: "#1 should support a 'default-deny-ingress' policy",
    policies: DENY_INGRESS,
    port: 80,
    protocol: 'TCP',
    expect: [['*', 'x/*', F]],
  },
  {
    name: "#2 should support a 'default-deny-all' policy",
    policies: netpol('x', 'deny-all', { podSelector: ALL, policyTypes: ['Ingress', 'Egress'] }),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['*', 'x/*', F],
      ['x/*', '*', F],
    ],
  },
  {
    name: '#3 should enforce policy to allow traffic from pods within server namespace based on PodSelector',
    policies: ingress('x', 'p', podA, [fromPeers({ podSelector: labels({ pod: 'b' }) })]),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['*', 'x/a', F],
      ['x/b', 'x/a', T],
    ],
  },
  {
    name: '#4 should enforce policy to allow ingress traffic for a target',
    policies: docs(
      DENY_INGRESS,
      ingress('x', 'allow-a', podA, [fromPeers({ podSelector: ALL, namespaceSelector: ALL })]),
    ),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['*', 'x/b', F],
      ['*', 'x/c', F],
    ],
  },
  {
    name: '#5 should enforce policy to allow ingress traffic from pods in all namespaces',
    policies: ingress('x', 'p', podA, [fromPeers({ namespaceSelector: ALL })]),
    port: 80,
    protocol: 'TCP',
    expect: [],
  },
  {
    name: '#6 should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector',
    policies: ingress('x', 'p', podA, [fromPeers({ namespaceSelector: labels({ ns: 'y' }) })]),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['x/*', 'x/a', F],
      ['z/*', 'x/a', F],
    ],
  },
  {
    name: '#7 should enforce policy based on PodSelector with MatchExpressions',
    policies: ingress('x', 'p', podA, [fromPeers({ podSelector: expr('pod', 'In', ['b']) })]),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['*', 'x/a', F],
      ['x/b', 'x/a', T],
    ],
  },
  {
    name: '#8 should enforce policy based on NamespaceSelector with MatchExpressions',
    policies: ingress('x', 'p', podA, [fromPeers({ namespaceSelector: expr('ns', 'In', ['y']) })]),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['x/*', 'x/a', F],
      ['z/*', 'x/a', F],
    ],
  },
  {
    name: '#9 should enforce policy based on PodSelector or NamespaceSelector',
    policies: ingress('x', 'p', podA, [
      fromPeers(
        { namespaceSelector: expr('ns', 'NotIn', ['x']) },
        { podSelector: labels({ pod: 'b' }) },
      ),
    ]),
    port: 80,
    protocol: 'TCP',
    expect: [['x/c', 'x/a', F]],
  },
  {
    name: '#10 should enforce policy based on PodSelector and NamespaceSelector',
    policies: ingress('x', 'p', podA, [
      fromPeers({
        namespaceSelector: expr('ns', 'NotIn', ['x']),
        podSelector: labels({ pod: 'b' }),
      }),
    ]),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['*', 'x/a', F],
      ['y/b', 'x/a', T],
      ['z/b', 'x/a', T],
    ],
  },
  {
    name: '#11 should enforce policy based on Multiple PodSelectors and NamespaceSelectors',
    policies: ingress('x', 'p', podA, [
      fromPeers({
        namespaceSelector: expr('ns', 'NotIn', ['x']),
        podSelector: expr('pod', 'In', ['b', 'c']),
      }),
    ]),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['*', 'x/a', F],
      ['y/b', 'x/a', T],
      ['y/c', 'x/a', T],
      ['z/b', 'x/a', T],
      ['z/c', 'x/a', T],
    ],
  },
  {
    name: '#12 should enforce policy based on any PodSelectors',
    policies: ingress('x', 'p', podA, [
      fromPeers({ podSelector: labels({ pod: 'b' }) }, { podSelector: labels({ pod: 'c' }) }),
    ]),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['*', 'x/a', F],
      ['x/b', 'x/a', T],
      ['x/c', 'x/a', T],
    ],
  },
  {
    name: '#13 should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector',
    policies: ingress('x', 'p', podA, [
      fromPeers({ namespaceSelector: labels({ ns: 'y' }), podSelector: labels({ pod: 'a' }) }),
    ]),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['*', 'x/a', F],
      ['y/a', 'x/a', T],
    ],
  },
  {
    name: '#14 should enforce policy based on Ports (probe 81)',
    policies: ingress('x', 'p', podA, [
      { from: [{ namespaceSelector: labels({ ns: 'y' }) }], ports: [port(81)] },
    ]),
    port: 81,
    protocol: 'TCP',
    expect: [
      ['x/*', 'x/a', F],
      ['z/*', 'x/a', F],
    ],
  },
  {
    name: '#14 should enforce policy based on Ports (probe 80)',
    policies: ingress('x', 'p', podA, [
      { from: [{ namespaceSelector: labels({ ns: 'y' }) }], ports: [port(81)] },
    ]),
    port: 80,
    protocol: 'TCP',
    expect: [['*', 'x/a', F]],
  },
  {
    name: '#15 should enforce multiple, stacked policies with overlapping podSelectors',
    policies: docs(
      ingress('x', 'p81', podA, [
        { from: [{ namespaceSelector: labels({ ns: 'y' }) }], ports: [port(81)] },
      ]),
      ingress('x', 'p80', podA, [
        { from: [{ namespaceSelector: labels({ ns: 'y' }) }], ports: [port(80)] },
      ]),
    ),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['x/*', 'x/a', F],
      ['z/*', 'x/a', F],
    ],
  },
  {
    name: '#16 should support allow-all policy',
    policies: ingress('x', 'allow-all', ALL, [{}]),
    port: 81,
    protocol: 'TCP',
    expect: [],
  },
  {
    name: '#17 should allow ingress access on one named port (probe 81)',
    policies: ingress('x', 'p', ALL, [{ ports: [port('serve-81-tcp')] }]),
    port: 81,
    protocol: 'TCP',
    expect: [],
  },
  {
    name: '#17 should allow ingress access on one named port (probe 80)',
    policies: ingress('x', 'p', ALL, [{ ports: [port('serve-81-tcp')] }]),
    port: 80,
    protocol: 'TCP',
    expect: [['*', 'x/*', F]],
  },
  {
    name: '#18 should allow ingress access from namespace on one named port (probe 80)',
    policies: ingress('x', 'p', podA, [
      { from: [{ namespaceSelector: labels({ ns: 'y' }) }], ports: [port('serve-80-tcp')] },
    ]),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['x/*', 'x/a', F],
      ['z/*', 'x/a', F],
    ],
  },
  {
    name: '#18 should allow ingress access from namespace on one named port (probe 81)',
    policies: ingress('x', 'p', podA, [
      { from: [{ namespaceSelector: labels({ ns: 'y' }) }], ports: [port('serve-80-tcp')] },
    ]),
    port: 81,
    protocol: 'TCP',
    expect: [['*', 'x/a', F]],
  },
  {
    name: '#19 should allow egress access on one named port (probe 80)',
    policies: egress('x', 'p', ALL, [{ ports: [port('serve-80-tcp')] }]),
    port: 80,
    protocol: 'TCP',
    expect: [],
  },
  {
    name: '#19 should allow egress access on one named port (probe 81)',
    policies: egress('x', 'p', ALL, [{ ports: [port('serve-80-tcp')] }]),
    port: 81,
    protocol: 'TCP',
    expect: [['x/*', '*', F]],
  },
  {
    name: '#20 should enforce updated policy (after the update to ingress: [])',
    policies: ingress('x', 'p', ALL, []),
    port: 81,
    protocol: 'TCP',
    expect: [['*', 'x/*', F]],
  },
  {
    name: '#21 should allow ingress access from updated namespace (after labelling y ns2=updated)',
    policies: ingress('x', 'p', podA, [
      fromPeers({ namespaceSelector: labels({ ns2: 'updated' }) }),
    ]),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['*', 'x/a', F],
      ['y/*', 'x/a', T],
    ],
    fixture: { namespaceLabels: { y: { ns2: 'updated' } } },
  },
  {
    name: '#21 should allow ingress access from updated namespace (before the label)',
    policies: ingress('x', 'p', podA, [
      fromPeers({ namespaceSelector: labels({ ns2: 'updated' }) }),
    ]),
    port: 80,
    protocol: 'TCP',
    expect: [['*', 'x/a', F]],
  },
  {
    name: '#22 should allow ingress access from updated pod (after relabelling x/b)',
    policies: ingress('x', 'p', podA, [
      fromPeers({ podSelector: labels({ pod: 'b', pod2: 'updated' }) }),
    ]),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['*', 'x/a', F],
      ['x/b', 'x/a', T],
    ],
    fixture: { podLabels: { 'x/b': { pod2: 'updated' } } },
  },
  {
    name: '#23 should deny ingress from pods on other namespaces',
    policies: ingress('x', 'p', ALL, [fromPeers({ podSelector: ALL })]),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['y/*', 'x/*', F],
      ['z/*', 'x/*', F],
    ],
  },
  {
    name: '#24 should deny ingress access to updated pod (after labelling x/a)',
    policies: netpol('x', 'p', {
      podSelector: labels({ target: 'isolated' }),
      policyTypes: ['Ingress'],
    }),
    port: 80,
    protocol: 'TCP',
    expect: [['*', 'x/a', F]],
    fixture: { podLabels: { 'x/a': { target: 'isolated' } } },
  },
  {
    name: '#25 should deny egress from pods based on PodSelector',
    policies: netpol('x', 'p', { podSelector: podA, policyTypes: ['Egress'] }),
    port: 80,
    protocol: 'TCP',
    expect: [['x/a', '*', F]],
  },
  {
    name: '#26 should deny egress from all pods in a namespace',
    policies: netpol('x', 'p', { podSelector: ALL, policyTypes: ['Egress'] }),
    port: 80,
    protocol: 'TCP',
    expect: [['x/*', '*', F]],
  },
  {
    name: '#27 should work with Ingress, Egress specified together (probe 80)',
    policies: netpol('x', 'p', {
      podSelector: podA,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [fromPeers({ podSelector: labels({ pod: 'b' }) })],
      egress: [{ ports: [port(80)] }],
    }),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['*', 'x/a', F],
      ['x/b', 'x/a', T],
    ],
  },
  {
    name: '#27 should work with Ingress, Egress specified together (probe 81)',
    policies: netpol('x', 'p', {
      podSelector: podA,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [fromPeers({ podSelector: labels({ pod: 'b' }) })],
      egress: [{ ports: [port(80)] }],
    }),
    port: 81,
    protocol: 'TCP',
    expect: [
      ['*', 'x/a', F],
      ['x/b', 'x/a', T],
      ['x/a', '*', F],
    ],
  },
  {
    name: '#28 should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)',
    policies: docs(
      egress('x', 'client', podA, [
        { to: [{ namespaceSelector: labels({ ns: 'y' }), podSelector: labels({ pod: 'a' }) }] },
      ]),
      ingress('y', 'server-a', podA, [
        fromPeers({ namespaceSelector: labels({ ns: 'x' }), podSelector: labels({ pod: 'a' }) }),
      ]),
      ingress('y', 'server-b', labels({ pod: 'b' }), [
        fromPeers({ namespaceSelector: labels({ ns: 'x' }), podSelector: labels({ pod: 'a' }) }),
      ]),
    ),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['x/a', '*', F],
      ['x/a', 'y/a', T],
      ['*', 'y/a', F],
      ['x/a', 'y/a', T],
      ['*', 'y/b', F],
    ],
  },
  {
    name: '#29 should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector',
    policies: egress('x', 'p', podA, [
      { to: [{ namespaceSelector: labels({ ns: 'y' }), podSelector: labels({ pod: 'a' }) }] },
    ]),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['x/a', '*', F],
      ['x/a', 'y/a', T],
    ],
  },
  {
    name: '#30 should enforce ingress policy allowing any port traffic to a server on a specific protocol (TCP)',
    policies: ingress('x', 'p', podA, [{ ports: [{ protocol: 'TCP' }] }]),
    port: 80,
    protocol: 'TCP',
    expect: [],
  },
  {
    name: '#30 should enforce ingress policy allowing any port traffic to a server on a specific protocol (UDP)',
    policies: ingress('x', 'p', podA, [{ ports: [{ protocol: 'TCP' }] }]),
    port: 80,
    protocol: 'UDP',
    expect: [['*', 'x/a', F]],
  },
  {
    name: '#31 should enforce multiple ingress policies with ingress allow-all policy taking precedence (before allow-all)',
    policies: ingress('x', 'p80', ALL, [{ ports: [port(80)] }]),
    port: 81,
    protocol: 'TCP',
    expect: [['*', 'x/*', F]],
  },
  {
    name: '#31 should enforce multiple ingress policies with ingress allow-all policy taking precedence',
    policies: docs(
      ingress('x', 'p80', ALL, [{ ports: [port(80)] }]),
      ingress('x', 'allow-all', ALL, [{}]),
    ),
    port: 81,
    protocol: 'TCP',
    expect: [],
  },
  {
    name: '#32 should enforce multiple egress policies with egress allow-all policy taking precedence (before allow-all)',
    policies: egress('x', 'p80', ALL, [{ ports: [port(80)] }]),
    port: 81,
    protocol: 'TCP',
    expect: [['x/*', '*', F]],
  },
  {
    name: '#32 should enforce multiple egress policies with egress allow-all policy taking precedence',
    policies: docs(
      egress('x', 'p80', ALL, [{ ports: [port(80)] }]),
      egress('x', 'allow-all', ALL, [{}]),
    ),
    port: 81,
    protocol: 'TCP',
    expect: [],
  },
  {
    name: '#33 should stop enforcing policies after they are deleted (after the delete)',
    policies: '',
    port: 80,
    protocol: 'TCP',
    expect: [],
  },
  {
    name: '#34 should allow egress access to server in CIDR block',
    policies: (ip) => egress('x', 'p', podA, [{ to: [{ ipBlock: { cidr: `${ip['y/b']}/32` } }] }]),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['x/a', '*', F],
      ['x/a', 'y/b', T],
    ],
  },
  {
    name: '#35 should enforce except clause while egress access to server in CIDR block',
    policies: (ip) =>
      egress('x', 'p', podA, [
        { to: [{ ipBlock: { cidr: '10.0.0.0/8', except: [`${ip['x/b']}/32`] } }] },
      ]),
    port: 80,
    protocol: 'TCP',
    expect: [['x/a', 'x/b', F]],
  },
  {
    name: '#36 should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed (after the update)',
    policies: (ip) => egress('x', 'p', podA, [{ to: [{ ipBlock: { cidr: `${ip['x/b']}/32` } }] }]),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['x/a', '*', F],
      ['x/a', 'x/b', T],
    ],
  },
  {
    name: '#37 should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector',
    policies: docs(
      egress('x', 'allow-egress', podA, [{}]),
      netpol('x', 'deny-ingress-a', { podSelector: podA, policyTypes: ['Ingress'] }),
    ),
    port: 80,
    protocol: 'TCP',
    expect: [['*', 'x/a', F]],
  },
  {
    name: "#38 should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP",
    policies: docs(DENY_INGRESS, ingress('x', 'sctp', podA, [{ ports: [port(81, 'SCTP')] }])),
    port: 81,
    protocol: 'TCP',
    expect: [['*', 'x/*', F]],
  },
  {
    name: "#39 should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP",
    policies: ingress('x', 'sctp', podA, [{ ports: [port(80, 'SCTP')] }]),
    port: 81,
    protocol: 'TCP',
    expect: [['*', 'x/a', F]],
  },
  {
    name: '#40 should not allow access by TCP when a policy specifies only UDP',
    policies: ingress('x', 'udp', podA, [{ ports: [port(81, 'UDP')] }]),
    port: 81,
    protocol: 'TCP',
    expect: [['*', 'x/a', F]],
  },
  {
    name: '#41 should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label',
    policies: ingress('x', 'p', podA, [
      fromPeers({ namespaceSelector: labels({ 'kubernetes.io/metadata.name': 'y' }) }),
    ]),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['x/*', 'x/a', F],
      ['z/*', 'x/a', F],
    ],
  },
  {
    name: '#42 should enforce policy based on NamespaceSelector with MatchExpressions using default ns label',
    policies: egress('x', 'p', podA, [
      { to: [{ namespaceSelector: expr('kubernetes.io/metadata.name', 'NotIn', ['y']) }] },
    ]),
    port: 80,
    protocol: 'TCP',
    expect: [['x/a', 'y/*', F]],
  },
  ...(['UDP', 'SCTP'] as const).flatMap((protocol): NetpolCase[] => {
    const tag = protocol === 'UDP' ? 'U' : 'S';
    return [
      {
        name: `${tag}1 ${protocol}: should support a default-deny ingress policy`,
        policies: DENY_INGRESS,
        port: 80,
        protocol,
        expect: [['*', 'x/*', F]],
      },
      {
        name: `${tag}2 ${protocol}: should enforce policy based on Ports`,
        policies: ingress('x', 'p', podA, [
          { from: [{ namespaceSelector: labels({ ns: 'y' }) }], ports: [port(81, protocol)] },
        ]),
        port: 81,
        protocol,
        expect: [
          ['x/*', 'x/a', F],
          ['z/*', 'x/a', F],
        ],
      },
      {
        name: `${tag}3 ${protocol}: should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector`,
        policies: ingress('x', 'p', podA, [
          fromPeers({ namespaceSelector: labels({ ns: 'y' }), podSelector: labels({ pod: 'a' }) }),
        ]),
        port: 80,
        protocol,
        expect: [
          ['*', 'x/a', F],
          ['y/a', 'x/a', T],
        ],
      },
    ];
  }),
  // Beyond the e2e suite (it always lists policyTypes): defaulting, endPort ranges, named ports with the wrong protocol.
  {
    name: 'policyTypes defaults to Ingress only when there is no egress section',
    policies: netpol('x', 'p', { podSelector: podA }),
    port: 80,
    protocol: 'TCP',
    expect: [['*', 'x/a', F]],
  },
  {
    name: 'policyTypes defaults to Ingress and Egress when an egress section exists',
    policies: netpol('x', 'p', {
      podSelector: podA,
      egress: [{ to: [{ podSelector: labels({ pod: 'b' }) }] }],
    }),
    port: 80,
    protocol: 'TCP',
    expect: [
      ['*', 'x/a', F],
      ['x/a', '*', F],
      ['x/a', 'x/b', T],
    ],
  },
  {
    name: 'an endPort range includes both ends',
    policies: ingress('x', 'p', podA, [{ ports: [{ protocol: 'TCP', port: 79, endPort: 81 }] }]),
    port: 81,
    protocol: 'TCP',
    expect: [],
  },
  {
    name: 'a port range that ends below the probed port does not match it',
    policies: ingress('x', 'p', podA, [{ ports: [{ protocol: 'TCP', port: 70, endPort: 80 }] }]),
    port: 81,
    protocol: 'TCP',
    expect: [['*', 'x/a', F]],
  },
  {
    name: 'a named port with the wrong protocol matches nothing',
    policies: ingress('x', 'p', podA, [{ ports: [port('serve-80-tcp', 'UDP')] }]),
    port: 80,
    protocol: 'UDP',
    expect: [['*', 'x/a', F]],
  },
  {
    name: 'an empty namespaceSelector with an empty podSelector allows every pod',
    policies: ingress('x', 'p', ALL, [fromPeers({ namespaceSelector: ALL, podSelector: ALL })]),
    port: 80,
    protocol: 'TCP',
    expect: [],
  },
];
