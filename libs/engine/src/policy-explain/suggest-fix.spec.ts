import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ClusterState } from '../model/cluster-state';
import type { Protocol } from '../model/resources';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { traceProbe } from '../probe/probe';
import { TENANTS_YAML, policyYaml } from './spec-fixtures';
import { suggestFix } from './suggest-fix';

const WEB_SERVICE = `apiVersion: v1
kind: Service
metadata: { name: web, namespace: prod }
spec:
  selector: { app: web }
  ports: [{ port: 8080, targetPort: 80 }]`;
const DENY_INGRESS_PROD = policyYaml('deny-ingress', 'podSelector: {}\npolicyTypes: [Ingress]');
const DENY_EGRESS_OTHER = policyYaml(
  'deny-egress',
  'podSelector: {}\npolicyTypes: [Egress]',
  'other',
);
const ONLY_HTTP = policyYaml(
  'only-http',
  'podSelector: { matchLabels: { app: web } }\ningress: [{ ports: [{ port: http }] }]',
);

function webIP(state: ClusterState): string {
  return state.pods.get('prod/web')?.ip ?? '';
}

describe('suggestFix: applying the suggested YAML lets the denied probe through', () => {
  it.each([
    [
      'cross-namespace ingress deny',
      [DENY_INGRESS_PROD],
      'other/client',
      80,
      'TCP',
      ['add-network-policy Ingress prod/allow-client-to-web'],
    ],
    [
      'same-namespace ingress deny',
      [DENY_INGRESS_PROD],
      'prod/frontend',
      80,
      'TCP',
      ['add-network-policy Ingress prod/allow-frontend-to-web'],
    ],
    [
      'egress deny at the source',
      [DENY_EGRESS_OTHER],
      'other/client',
      80,
      'TCP',
      ['add-network-policy Egress other/allow-client-to-web-egress'],
    ],
    [
      'a port outside the named port the policy allows',
      [ONLY_HTTP],
      'other/client',
      9090,
      'TCP',
      ['add-network-policy Ingress prod/allow-client-to-web'],
    ],
    [
      'UDP',
      [DENY_INGRESS_PROD],
      'other/client',
      514,
      'UDP',
      ['add-network-policy Ingress prod/allow-client-to-web'],
    ],
    [
      'both directions deny',
      [DENY_INGRESS_PROD, DENY_EGRESS_OTHER],
      'other/client',
      80,
      'TCP',
      [
        'add-network-policy Ingress prod/allow-client-to-web',
        'add-network-policy Egress other/allow-client-to-web-egress',
      ],
    ],
  ] as const)('%s', (_name, policies, from, port, protocol, expected) => {
    const inputs = [TENANTS_YAML, ...policies];
    const state = clusterFromYaml(...inputs);
    const probe = { from, to: `${webIP(state)}:${port}`, protocol: protocol as Protocol };
    const denied = traceProbe(state, probe);
    expect(denied.dropReason).toBe('POLICY_DENIED');
    const suggestion = suggestFix(state, probe, denied);
    expect(suggestion?.changes.map((c) => `${c.action} ${c.direction} ${c.policy}`)).toEqual(
      expected,
    );
    const fixed = clusterFromYaml(...inputs, suggestion?.yaml ?? '');
    expect(traceProbe(fixed, { ...probe, to: `${webIP(fixed)}:${port}` }).verdict).toBe(
      'delivered',
    );
  });

  it('writes the destination policy with a namespaceSelector by name for a cross-namespace source, through a Service', () => {
    const state = clusterFromYaml(TENANTS_YAML, WEB_SERVICE, DENY_INGRESS_PROD);
    const probe = { from: 'other/client', to: 'http://web.prod:8080/' };
    const suggestion = suggestFix(state, probe, traceProbe(state, probe));
    expect(suggestion?.yaml).toBe(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-client-to-web
  namespace: prod
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: client
          namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: other
      ports:
        - protocol: TCP
          port: 80
`);
  });

  it('allows an outside client by its /32 when the NodePort keeps the client IP (externalTrafficPolicy Local)', () => {
    const nodePort = `apiVersion: v1
kind: Service
metadata: { name: web-np, namespace: prod }
spec: { type: NodePort, externalTrafficPolicy: Local, selector: { app: web }, ports: [{ port: 80, nodePort: 30080 }] }`;
    const inputs = [TENANTS_YAML, nodePort, DENY_INGRESS_PROD];
    const state = clusterFromYaml(...inputs);
    const nodeIP = state.nodes.get(state.pods.get('prod/web')?.nodeName ?? '')?.ip;
    const probe = { from: 'external', to: `http://${nodeIP}:30080/` };
    const suggestion = suggestFix(state, probe, traceProbe(state, probe));
    expect(suggestion?.changes.map((c) => c.policy)).toEqual(['prod/allow-external-to-web']);
    expect(suggestion?.yaml).toContain('        - ipBlock:\n            cidr: 203.0.113.10/32\n');
    expect(traceProbe(clusterFromYaml(...inputs, suggestion?.yaml ?? ''), probe).verdict).toBe(
      'delivered',
    );
  });

  it('selects by a stable label, never pod-template-hash', () => {
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: prod }
spec:
  replicas: 2
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api, tier: backend } }
    spec: { containers: [{ name: httpd, image: httpd, ports: [{ containerPort: 80 }] }] }`;
    const state = clusterFromYaml(TENANTS_YAML, deployment, DENY_INGRESS_PROD);
    const api = [...state.pods.values()].find((p) => p.labels.app === 'api');
    const probe = { from: 'other/client', to: `${api?.ip}:80` };
    const suggestion = suggestFix(state, probe, traceProbe(state, probe));
    expect(suggestion?.yaml).toContain('  podSelector:\n    matchLabels:\n      app: api\n');
    expect(suggestion?.yaml).not.toContain('pod-template-hash');
  });

  it('names the admin rule to change when an AdminNetworkPolicy denies, with no YAML', () => {
    const anp = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: tenant-isolation }
spec:
  priority: 10
  subject: { namespaces: { matchLabels: { tenant: a } } }
  ingress:
    - name: deny-b
      action: Deny
      from: [{ namespaces: { matchLabels: { tenant: b } } }]`;
    const state = clusterFromYaml(TENANTS_YAML, anp);
    const probe = { from: 'other/client', to: `${webIP(state)}:80` };
    const suggestion = suggestFix(state, probe, traceProbe(state, probe));
    expect(suggestion).toEqual({
      summary: expect.any(String),
      yaml: null,
      changes: [
        {
          direction: 'Ingress',
          action: 'change-admin-policy',
          policy: 'tenant-isolation',
          description:
            'AdminNetworkPolicy tenant-isolation rule ingress[0] (deny-b) denies this ingress at the Admin tier, which no NetworkPolicy can override: change that rule (narrow its from or ports, or make it Pass so NetworkPolicies decide), or add an Allow rule for this connection before it.',
        },
      ],
    });
  });

  it('suggests nothing for a delivered probe or another drop', () => {
    const state = clusterFromYaml(TENANTS_YAML);
    const probe = { from: 'other/client', to: `${webIP(state)}:80` };
    expect(suggestFix(state, probe, traceProbe(state, probe))).toBeNull();
    expect(
      suggestFix(
        state,
        { from: 'other/client', to: 'nowhere.invalid' },
        traceProbe(state, { from: 'other/client', to: 'nowhere.invalid' }),
      ),
    ).toBeNull();
  });
});

describe('a trace carrying a suggestion still matches trace.schema.json', () => {
  it('validates', () => {
    const schema: unknown = JSON.parse(
      readFileSync(join(__dirname, '../../schema/trace.schema.json'), 'utf8'),
    );
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(schema as object);
    const state = clusterFromYaml(TENANTS_YAML, DENY_INGRESS_PROD, DENY_EGRESS_OTHER);
    const probe = { from: 'other/client', to: `${webIP(state)}:80` };
    const trace = traceProbe(state, probe);
    const suggestion = suggestFix(state, probe, trace);
    expect(suggestion).not.toBeNull();
    const withSuggestion = JSON.parse(JSON.stringify({ ...trace, suggestion }));
    expect(validate(withSuggestion) ? [] : validate.errors).toEqual([]);
  });
});
