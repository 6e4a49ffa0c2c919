import { explainPolicies } from './explain-policies';
import { formatExplanation } from './format-explanation';
import { policyYaml, tenants } from './spec-fixtures';

const WEB = 'podSelector: { matchLabels: { app: web } }';

describe('explainPolicies: every rule that applies to a pod, in plain words', () => {
  it.each([
    [
      'a podSelector peer means pods of the policy namespace',
      `${WEB}\ningress:\n  - from: [{ podSelector: { matchLabels: { role: frontend } } }]\n    ports: [{ port: 80 }]`,
      ['allows TCP 80 from pods labelled role=frontend in namespace prod'],
      [],
    ],
    [
      'the empty rule allows everything',
      `${WEB}\ningress: [{}]`,
      ['allows all traffic from everywhere (empty rule)'],
      [],
    ],
    [
      'a policy without rules only isolates',
      'podSelector: {}\npolicyTypes: [Ingress]',
      ['allows nothing: the policy only isolates the pod'],
      [],
    ],
    [
      'UDP and TCP on the same port read as one group; both selectors in one peer are an AND',
      `${WEB}\npolicyTypes: [Egress]\negress:\n  - to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: { matchLabels: { k8s-app: kube-dns } } }]\n    ports: [{ protocol: UDP, port: 53 }, { protocol: TCP, port: 53 }]`,
      [],
      [
        'allows UDP and TCP 53 to pods labelled k8s-app=kube-dns in namespaces labelled kubernetes.io/metadata.name=kube-system',
      ],
    ],
    [
      'a port range to an ipBlock with an exception',
      `${WEB}\npolicyTypes: [Egress]\negress:\n  - to: [{ ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16] } }]\n    ports: [{ port: 8080, endPort: 8090 }]`,
      [],
      ['allows TCP 8080-8090 to 10.0.0.0/8 except 10.1.0.0/16'],
    ],
    [
      'peers in separate items are alternatives; a named port keeps its name',
      `${WEB}\ningress:\n  - from: [{ namespaceSelector: { matchLabels: { tenant: b } } }, { ipBlock: { cidr: 192.168.0.0/16 } }]\n    ports: [{ port: http }, { port: 443 }]`,
      [
        'allows TCP port "http" and 443 from all pods in namespaces labelled tenant=b or 192.168.0.0/16',
      ],
      [],
    ],
    [
      'a protocol without a port is every port of it',
      `${WEB}\ningress: [{ ports: [{ protocol: UDP }] }]`,
      ['allows any UDP port from everywhere'],
      [],
    ],
    [
      'matchExpressions read as kubectl selectors',
      `${WEB}\ningress:\n  - from: [{ podSelector: { matchExpressions: [{ key: role, operator: In, values: [frontend, backend] }] } }]`,
      ['allows all traffic from pods labelled role in (backend,frontend) in namespace prod'],
      [],
    ],
    [
      'an egress section without policyTypes adds Egress; an empty namespaceSelector is every namespace',
      `${WEB}\negress: [{ to: [{ namespaceSelector: {} }] }]`,
      ['allows nothing: the policy only isolates the pod'],
      ['allows all traffic to all pods in all namespaces'],
    ],
  ])('%s', (_name, spec, ingress, egress) => {
    const web = explainPolicies(tenants(policyYaml('p', spec)), { namespace: 'prod' })[1];
    expect(web.pod).toBe('web');
    expect(web.policies).toHaveLength(1);
    expect(web.policies[0].ingress).toEqual(ingress);
    expect(web.policies[0].egress).toEqual(egress);
  });

  it('puts admin policies first with their tier and priority', () => {
    const anp = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: tenant-isolation }
spec:
  priority: 10
  subject: { namespaces: { matchLabels: { tenant: a } } }
  ingress:
    - name: deny-b
      action: Deny
      from: [{ namespaces: { matchLabels: { tenant: b } } }]
    - action: Allow
      from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: client } } } }]
      ports: [{ portNumber: { protocol: TCP, port: 80 } }]`;
    const web = explainPolicies(tenants(policyYaml('deny-all', 'podSelector: {}'), anp), {
      namespace: 'prod',
    })[1];
    expect(web.policies.map((p) => [p.kind, p.name, p.tier, p.priority])).toEqual([
      ['AdminNetworkPolicy', 'tenant-isolation', 'Admin', 10],
      ['NetworkPolicy', 'deny-all', 'NetworkPolicy', undefined],
    ]);
    expect(web.policies[0].ingress).toEqual([
      '[Admin priority 10] denies ingress from namespaces labelled tenant=b',
      '[Admin priority 10] allows ingress on TCP 80 from pods labelled app=client in all namespaces',
    ]);
  });

  it('returns per pod its labels, isolation per direction and one summary sentence each (JSON shape)', () => {
    const pods = explainPolicies(
      tenants(policyYaml('deny-all', 'podSelector: {}\npolicyTypes: [Ingress]')),
    );
    expect(pods.map((p) => `${p.namespace}/${p.pod}`)).toEqual([
      'other/client',
      'prod/frontend',
      'prod/web',
    ]);
    expect(JSON.parse(JSON.stringify(pods[2]))).toEqual({
      namespace: 'prod',
      pod: 'web',
      labels: { app: 'web' },
      hostNetwork: false,
      isolated: { ingress: true, egress: false },
      summary: {
        ingress:
          'isolated: only the incoming traffic the rules below allow (and from its own node)',
        egress: 'not isolated: all outgoing traffic allowed',
      },
      policies: [
        {
          kind: 'NetworkPolicy',
          name: 'deny-all',
          namespace: 'prod',
          tier: 'NetworkPolicy',
          policyTypes: ['Ingress'],
          ingress: ['allows nothing: the policy only isolates the pod'],
          egress: [],
        },
      ],
    });
    expect(pods[0]).toMatchObject({ isolated: { ingress: false, egress: false }, policies: [] });
  });

  it('formats pods, their policies and the warnings as text', () => {
    const state = tenants(
      policyYaml(
        'allow-frontend',
        `${WEB}\ningress:\n  - from: [{ podSelector: { matchLabels: { role: frontend } } }]\n    ports: [{ port: 80 }]`,
      ),
    );
    const text = formatExplanation(explainPolicies(state, { namespace: 'prod' }), [
      {
        severity: 'warning',
        code: 'POLICY_SELECTS_NO_POD',
        message: 'example',
        doc: 6,
        object: 'NetworkPolicy/prod/x',
        path: 'spec.podSelector',
      },
    ]);
    expect(text).toBe(`pod prod/frontend (role=frontend)
  ingress: not isolated: all incoming traffic allowed
  egress: not isolated: all outgoing traffic allowed
  no policy selects this pod

pod prod/web (app=web)
  ingress: isolated: only the incoming traffic the rules below allow (and from its own node)
  egress: not isolated: all outgoing traffic allowed
  NetworkPolicy prod/allow-frontend (Ingress)
    ingress: allows TCP 80 from pods labelled role=frontend in namespace prod

warnings:
  - doc 6 NetworkPolicy prod/x: spec.podSelector: example
`);
  });
});
