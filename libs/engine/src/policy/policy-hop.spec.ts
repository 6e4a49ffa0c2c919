import { WEBSITE_YAML } from '../cni/spec-fixtures';
import type { ProbeTrace } from '../trace/trace-types';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { dnsProbe } from '../probe/dns-probe';
import { traceProbe } from '../probe/probe';
import type { DirectionDecision } from './policy-model';

const policy = (
  name: string,
  spec: string,
  namespace = 'default',
): string => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: ${namespace} }
spec:
${spec}`;

const DENY_INGRESS_WEBSITE = policy(
  'deny-all',
  '  podSelector: { matchLabels: { app: website } }\n  policyTypes: [Ingress]',
);
const DENY_EGRESS_CLIENT = policy('deny-egress', '  podSelector: {}\n  policyTypes: [Egress]');
const ALLOW_DNS_AND_WEB = policy(
  'allow-dns-and-web',
  `  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: { matchLabels: { k8s-app: kube-dns } } }]
    ports: [{ protocol: UDP, port: 53 }]
  - to: [{ podSelector: { matchLabels: { app: website } } }]`,
);

function requestComponents(trace: ProbeTrace): string[] {
  return trace.hops.filter((h) => h.direction === 'request').map((h) => h.component);
}

function policyHops(trace: ProbeTrace) {
  return trace.hops.filter((h) => h.component === 'network-policy');
}

describe('network-policy hops in probe traces', () => {
  it('a dropped request names the policy, stops before delivery into the pod, and carries the decision', () => {
    const state = clusterFromYaml(WEBSITE_YAML, DENY_INGRESS_WEBSITE);
    const trace = traceProbe(state, { from: 'client', to: 'http://website' });
    expect([trace.verdict, trace.dropReason]).toEqual(['dropped', 'POLICY_DENIED']);
    expect(trace.reason).toMatch(
      /^dropped by network policy: default\/website-[a-z0-9-]+ is isolated for ingress by default\/deny-all and no ingress rule allows default\/client on 80\/TCP$/,
    );
    const last = trace.hops[trace.hops.length - 1];
    expect(last.component).toBe('network-policy');
    expect(last.observationPoint).toBe('TO_ENDPOINT');
    const websitePod = [...state.pods.values()].find((p) => p.ip === last.packet.dst.ip);
    expect(last.node).toBe(websitePod?.nodeName);
    const decision = last.details as unknown as DirectionDecision;
    expect([
      decision.direction,
      decision.allowed,
      decision.isolated,
      decision.decidedBy.action,
    ]).toEqual(['Ingress', false, true, 'Isolated']);
    expect(trace.hops.some((h) => h.direction === 'reply')).toBe(false);
  });

  it('an allowed connection shows egress after kube-proxy, ingress before the pod, and no policy hops on the reply', () => {
    const trace = traceProbe(clusterFromYaml(WEBSITE_YAML, ALLOW_DNS_AND_WEB), {
      from: 'client',
      to: 'http://website',
    });
    expect(trace.verdict).toBe('delivered');
    const request = requestComponents(trace);
    const afterApplication = request.slice(request.indexOf('application'));
    const egressAt = afterApplication.indexOf('network-policy');
    expect(afterApplication[egressAt - 1]).toBe('kube-proxy');
    expect(afterApplication.lastIndexOf('network-policy')).toBeLessThan(
      afterApplication.lastIndexOf('pod-netns'),
    );
    expect(
      trace.hops.filter((h) => h.direction === 'reply' && h.component === 'network-policy'),
    ).toEqual([]);
    const egress = policyHops(trace).find(
      (h) =>
        (h.details as unknown as DirectionDecision).direction === 'Egress' &&
        h.packet.protocol === 'TCP',
    );
    expect((egress?.details as unknown as DirectionDecision).decidedBy).toEqual({
      tier: 'NetworkPolicy',
      policy: 'default/allow-dns-and-web',
      ruleIndex: 1,
      action: 'Allow',
    });
  });

  it('a cluster without policies has no policy hops', () => {
    expect(
      policyHops(
        traceProbe(clusterFromYaml(WEBSITE_YAML), { from: 'client', to: 'http://website' }),
      ),
    ).toEqual([]);
  });
});

describe('DNS under a default-deny egress policy', () => {
  it("the query to CoreDNS is dropped and the client times out with busybox wget's message", () => {
    const state = clusterFromYaml(WEBSITE_YAML, DENY_EGRESS_CLIENT);
    const trace = traceProbe(state, { from: 'client', to: 'http://website.default/' });
    expect([trace.verdict, trace.dropReason]).toEqual(['timeout', 'POLICY_DENIED']);
    expect(trace.reason).toMatch(
      /^wget: bad address 'website\.default' \(the DNS query timed out: dropped by network policy: default\/client is isolated for egress by default\/deny-egress/,
    );
    expect(trace.dns.map((q) => q.rcode)).toEqual(['TIMEOUT']);
    const hop = policyHops(trace)[0];
    expect([hop.packet.protocol, hop.packet.dst.port]).toEqual(['UDP', 53]);
  });

  it('nslookup from the same pod is unresolved for the same reason', () => {
    const result = dnsProbe(clusterFromYaml(WEBSITE_YAML, DENY_EGRESS_CLIENT), {
      from: 'client',
      name: 'website',
    });
    expect(result.verdict).toBe('unresolved');
    expect(result.reason).toContain(
      "bad address 'website' (the DNS query timed out: dropped by network policy",
    );
  });

  it('an egress allowance for UDP 53 to kube-dns lets the lookup and the request through', () => {
    const trace = traceProbe(clusterFromYaml(WEBSITE_YAML, ALLOW_DNS_AND_WEB), {
      from: 'client',
      to: 'http://website.default/',
    });
    expect(trace.verdict).toBe('delivered');
  });
});

describe('ingress from outside through a NodePort sees the packet as it arrives', () => {
  const server = (externalTrafficPolicy: string): string => `apiVersion: v1
kind: Pod
metadata: { name: web, labels: { app: web } }
spec:
  nodeName: worker
  containers: [{ name: web, image: nginx, ports: [{ containerPort: 80 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  type: NodePort
  externalTrafficPolicy: ${externalTrafficPolicy}
  selector: { app: web }
  ports: [{ port: 80, nodePort: 30080 }]`;
  const ONLY_CLIENT = policy(
    'only-client',
    '  podSelector: { matchLabels: { app: web } }\n  ingress: [{ from: [{ ipBlock: { cidr: 203.0.113.0/24 } }] }]',
  );

  it.each([
    [
      "eTP Cluster via another node: SNATed to that node's IP, which the ipBlock does not allow",
      'Cluster',
      '172.18.0.4',
      'dropped',
    ],
    [
      "eTP Cluster via the pod's own node: SNATed to the node, always allowed",
      'Cluster',
      '172.18.0.3',
      'delivered',
    ],
    [
      'eTP Local: the client IP is kept and the ipBlock allows it',
      'Local',
      '172.18.0.3',
      'delivered',
    ],
  ])('%s', (_name, etp, nodeIP, verdict) => {
    const trace = traceProbe(clusterFromYaml(server(etp), ONLY_CLIENT), {
      from: 'external',
      to: `${nodeIP}:30080`,
    });
    expect(trace.verdict).toBe(verdict);
    expect(policyHops(trace)).toHaveLength(1);
  });
});
