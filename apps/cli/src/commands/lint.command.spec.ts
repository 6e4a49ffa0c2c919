import { runCli } from '../cli';

const POLICY_TRAP = `apiVersion: v1
kind: Namespace
metadata: { name: prod }
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: prod, labels: { app: web } }
spec: { containers: [{ name: httpd, image: httpd, ports: [{ containerPort: 80 }] }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: from-frontend, namespace: prod }
spec:
  podSelector: { matchLabels: { app: webb } }
  ingress: [{ from: [{ podSelector: { matchLabels: { role: frontend } } }] }]`;

const UNANNOUNCED_POOL = `apiVersion: v1
kind: Namespace
metadata: { name: metallb-system }
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: { name: lan, namespace: metallb-system }
spec: { addresses: [172.18.255.200-172.18.255.210] }`;

function lint(yaml: string, args = '') {
  return runCli(['lint', '-', ...args.split(' ').filter(Boolean)], {
    cwd: '/',
    readStdin: () => yaml,
  });
}

describe('netplay lint', () => {
  it('reports a policy whose podSelector matches no pod, naming the object and field', () => {
    const r = lint(POLICY_TRAP);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^warning: .*NetworkPolicy prod\/from-frontend: spec\.podSelector: /m);
  });

  it('reports an address pool that no L2Advertisement or BGPAdvertisement announces', () => {
    const r = lint(UNANNOUNCED_POOL, '--json');
    expect(r.code).toBe(0);
    const { warnings } = JSON.parse(r.stdout) as {
      warnings: { object?: string; message: string }[];
    };
    expect(warnings.some((w) => w.object === 'IPAddressPool/metallb-system/lan')).toBe(true);
  });

  it('reports a LoadBalancer left <pending> because no implementation is configured', () => {
    const r = lint(
      'apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { type: LoadBalancer, selector: { app: web }, ports: [{ port: 80 }] }',
    );
    expect(r.stdout).toMatch(
      /^warning: Service default\/web: EXTERNAL-IP stays <pending>: no load-balancer implementation is configured/m,
    );
  });

  it('names the pods a policy of another CNI selects, which no trace enforces', () => {
    const r = lint(
      `${POLICY_TRAP}\n---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: web-only, namespace: prod }\nspec: { endpointSelector: { matchLabels: { 'k8s:app': web } } }`,
    );
    expect(r.stdout).toContain(
      "warning: CiliumNetworkPolicy prod/web-only: Cilium's CiliumNetworkPolicy selects 1 pod (prod/web); not simulated: probes through them are judged without it, and the real verdict may differ",
    );
  });

  it('reports Gateway API objects that reference nothing and GAMMA routes', () => {
    const r = lint(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: web }
spec: { gatewayClassName: missing, listeners: [{ name: http, protocol: HTTP, port: 80 }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: orphan }
spec: { parentRefs: [{ name: elsewhere }] }
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: mesh }
spec: { parentRefs: [{ group: "", kind: Service, name: web }] }`);
    expect(r.stdout).toMatch(
      /^warning: .*Gateway default\/web: spec.gatewayClassName: GatewayClass "missing" does not exist/m,
    );
    expect(r.stdout).toMatch(
      /^warning: .*HTTPRoute default\/orphan: spec.parentRefs\[0\]: parent Gateway default\/elsewhere does not exist/m,
    );
    expect(r.stdout).toMatch(
      /^warning: .*HTTPRoute default\/mesh: spec.parentRefs\[0\]: parent Service default\/web \(GAMMA\)/m,
    );
  });

  it('says so when there is nothing to warn about', () => {
    expect(lint('apiVersion: v1\nkind: Namespace\nmetadata: { name: quiet }').stdout.trim()).toBe(
      'no warnings',
    );
  });

  it('exits 2 on bad input', () => {
    expect(lint('kind: [').code).toBe(2);
  });
});
