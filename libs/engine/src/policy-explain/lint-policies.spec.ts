import { formatIssue } from '../model/issues';
import { lintPolicies } from './lint-policies';
import { policyYaml, tenants } from './spec-fixtures';

const WEB = 'podSelector: { matchLabels: { app: web } }';
const DNS_RULE = `  - to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: { matchLabels: { k8s-app: kube-dns } } }]
    ports: [{ protocol: UDP, port: 53 }, { protocol: TCP, port: 53 }]`;

function lint(...policies: string[]): string[] {
  return lintPolicies(tenants(...policies)).map(formatIssue);
}

describe('lintPolicies: each trap gives one exact warning', () => {
  it.each([
    [
      'a podSelector that matches no pod',
      policyYaml('typo', 'podSelector: { matchLabels: { app: wbe } }'),
      [
        'input-2.yaml doc 6 NetworkPolicy prod/typo: spec.podSelector: podSelector app=wbe matches no pod in namespace prod',
      ],
    ],
    [
      'a namespaceSelector on a label no namespace has (name: instead of kubernetes.io/metadata.name)',
      policyYaml(
        'by-name',
        `${WEB}\ningress: [{ from: [{ namespaceSelector: { matchLabels: { name: other } } }] }]`,
      ),
      [
        'input-2.yaml doc 6 NetworkPolicy prod/by-name: spec.ingress[0].from[0].namespaceSelector: no namespace has the label "name", so this peer matches nothing; to select namespace other by name use kubernetes.io/metadata.name: other',
      ],
    ],
    [
      'a namespaceSelector whose label exists but whose value no namespace has',
      policyYaml(
        'tenant-c',
        `${WEB}\ningress: [{ from: [{ namespaceSelector: { matchLabels: { tenant: c } } }] }]`,
      ),
      [
        'input-2.yaml doc 6 NetworkPolicy prod/tenant-c: spec.ingress[0].from[0].namespaceSelector: namespaceSelector tenant=c matches no namespace',
      ],
    ],
    [
      'a peer podSelector matching nothing',
      policyYaml(
        'from-backend',
        `${WEB}\ningress: [{ from: [{ podSelector: { matchLabels: { role: backend } } }] }]`,
      ),
      [
        'input-2.yaml doc 6 NetworkPolicy prod/from-backend: spec.ingress[0].from[0]: peer "pods labelled role=backend in namespace prod" matches no pod',
      ],
    ],
    [
      'a named port the selected pods do not define',
      policyYaml('named', `${WEB}\ningress: [{ ports: [{ port: https }] }]`),
      [
        'input-2.yaml doc 6 NetworkPolicy prod/named: spec.ingress[0].ports[0].port: named port "https" (TCP) is not defined by any pod the policy selects: the rule matches no traffic on it',
      ],
    ],
    [
      'a named port declared with another protocol',
      policyYaml('named-udp', `${WEB}\ningress: [{ ports: [{ port: http, protocol: UDP }] }]`),
      [
        'input-2.yaml doc 6 NetworkPolicy prod/named-udp: spec.ingress[0].ports[0].port: named port "http" (UDP) is not defined by any pod the policy selects: the rule matches no traffic on it',
      ],
    ],
    [
      'egress default-deny without a DNS allowance',
      policyYaml(
        'egress-web-only',
        `podSelector: { matchLabels: { role: frontend } }\negress: [{ to: [{ podSelector: { matchLabels: { app: web } } }], ports: [{ port: 80 }] }]`,
      ),
      [
        'input-2.yaml doc 6 NetworkPolicy prod/egress-web-only: spec.policyTypes: isolates egress of prod/frontend, which uses cluster DNS, but no egress rule allows UDP 53 to kube-dns: name lookups will time out (allow UDP and TCP 53 to pods labelled k8s-app=kube-dns in namespaces labelled kubernetes.io/metadata.name=kube-system)',
      ],
    ],
  ])('%s', (_name, policy, expected) => {
    expect(lint(policy)).toEqual(expected);
  });

  it('a policy whose rules another policy already allows adds nothing', () => {
    const allowAll = policyYaml('allow-all-ingress', 'podSelector: {}\ningress: [{}]');
    const narrow = policyYaml(
      'allow-frontend',
      `${WEB}\ningress: [{ from: [{ podSelector: { matchLabels: { role: frontend } } }], ports: [{ port: 80 }] }]`,
    );
    expect(lint(allowAll, narrow)).toEqual([
      'input-3.yaml doc 7 NetworkPolicy prod/allow-frontend: spec: adds nothing: every connection its rules allow is already allowed by prod/allow-all-ingress',
    ]);
  });

  it('checks the namespace selectors and subject of admin policies too', () => {
    const anp = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: isolate }
spec:
  priority: 10
  subject: { namespaces: { matchLabels: { name: prod } } }
  ingress:
    - action: Deny
      from: [{ namespaces: { matchLabels: { tenant: b } } }, { namespaces: { matchLabels: { team: x } } }]`;
    expect(lint(anp)).toEqual([
      'input-2.yaml doc 6 AdminNetworkPolicy isolate: spec.subject.namespaces: no namespace has the label "name", so this subject matches nothing; to select namespace prod by name use kubernetes.io/metadata.name: prod',
      'input-2.yaml doc 6 AdminNetworkPolicy isolate: spec.ingress[0].from[1]: no namespace has the label "team", so this peer matches nothing; every namespace carries kubernetes.io/metadata.name=<name>',
    ]);
  });

  it.each([
    [
      'a default-deny that only isolates',
      policyYaml(
        'deny-all',
        'podSelector: {}\npolicyTypes: [Ingress, Egress]\negress:\n' + DNS_RULE,
      ),
    ],
    [
      'egress isolation that allows DNS',
      policyYaml('egress-dns', `${WEB}\npolicyTypes: [Egress]\negress:\n${DNS_RULE}`),
    ],
    [
      'a namespace picked by kubernetes.io/metadata.name',
      policyYaml(
        'by-name',
        `${WEB}\ningress: [{ from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: other } } }] }]`,
      ),
    ],
    [
      'a named port the pod declares',
      policyYaml(
        'named',
        `${WEB}\ningress: [{ ports: [{ port: http }, { port: syslog, protocol: UDP }] }]`,
      ),
    ],
    [
      'two policies allowing different ports',
      policyYaml('p80', `${WEB}\ningress: [{ ports: [{ port: 80 }] }]`) +
        '\n---\n' +
        policyYaml('p9090', `${WEB}\ningress: [{ ports: [{ port: 9090 }] }]`),
    ],
  ])('no warning for %s', (_name, policy) => {
    expect(lint(policy)).toEqual([]);
  });
});
