import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { traceProbe } from '../probe/probe';
import { clusterWith, lbServiceYaml, METALLB_L2, METALLB_POOL, WEB_YAML } from './spec-fixtures';

describe('names outside the cluster', () => {
  it('ExternalDNS publishes the annotated Service; an external client resolves it to the LB address first', () => {
    const state = clusterFromYaml(
      WEB_YAML,
      METALLB_POOL,
      METALLB_L2,
      lbServiceYaml('web', '', '    external-dns.alpha.kubernetes.io/hostname: api.example.com'),
    );
    const ip = state.services.get('default/web')!.loadBalancerIngress[0].ip;
    const trace = traceProbe(state, { from: 'external', to: 'http://api.example.com/' });
    expect(trace.dns.map((q) => [q.name, q.rcode, q.answers.map((a) => a.data)])).toEqual([
      ['api.example.com', 'NOERROR', [ip]],
    ]);
    expect(trace.hops.findIndex((h) => h.component === 'upstream-dns')).toBeLessThan(
      trace.hops.findIndex((h) => h.component === 'load-balancer'),
    );
    expect(trace.verdict).toBe('delivered');
  });

  it('a pending Service publishes nothing', () => {
    const state = clusterFromYaml(
      WEB_YAML,
      lbServiceYaml('web', '', '    external-dns.alpha.kubernetes.io/hostname: api.example.com'),
    );
    expect(traceProbe(state, { from: 'external', to: 'http://api.example.com/' }).verdict).toBe(
      'unresolved',
    );
  });

  it('spec.externalDNS records in the Cluster doc are served to external clients', () => {
    const state = clusterFromYaml(
      clusterWith('  externalDNS: [{ name: shop.example.net, data: 172.18.0.3 }]'),
      WEB_YAML,
      `apiVersion: v1
kind: Service
metadata: { name: np }
spec:
  type: NodePort
  selector: { app: web }
  ports: [{ port: 80, nodePort: 30080 }]`,
    );
    const trace = traceProbe(state, { from: 'external', to: 'http://shop.example.net:30080/' });
    expect(trace.dns[0].answers.map((a) => a.data)).toEqual(['172.18.0.3']);
    expect(trace.verdict).toBe('delivered');
  });

  it('an ExternalName Service from a pod resolves the CNAME, then connects to the outside address', () => {
    const state = clusterFromYaml(`apiVersion: v1
kind: Service
metadata: { name: docs }
spec: { type: ExternalName, externalName: example.com }
---
apiVersion: v1
kind: Pod
metadata: { name: client }
spec: { containers: [{ name: c, image: busybox }] }`);
    const trace = traceProbe(state, { from: 'client', to: 'http://docs/' });
    const answers = trace.dns.flatMap((q) => q.answers.map((a) => `${a.type} ${a.data}`));
    expect(answers).toEqual(['CNAME example.com', 'A 93.184.215.14']);
    expect(trace.verdict).toBe('delivered');
    // kube-proxy only translates the DNS query to CoreDNS; the connection itself has no Service rule.
    expect(
      trace.hops.filter((h) => h.component === 'kube-proxy').map((h) => h.details?.service),
    ).toEqual(['kube-system/kube-dns']);
    expect(trace.hops.at(-1)?.direction).toBe('reply');
  });
});

describe('ExternalDNS for Ingresses', () => {
  it('publishes the annotated Ingress at the address its controller reports', () => {
    const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations: { external-dns.alpha.kubernetes.io/hostname: shop.example.com }
spec:
  ingressClassName: nginx
  rules:
    - host: www.shop.example.com
      http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] }`;
    const service = `apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80 }] }`;
    const state = clusterFromYaml(
      clusterWith('  ingressControllers: [{ profile: nginx, serviceType: LoadBalancer }]'),
      METALLB_POOL,
      METALLB_L2,
      WEB_YAML,
      service,
      ingress,
    );
    const lbIP = state.services.get('ingress-nginx/ingress-nginx-controller')
      ?.loadBalancerIngress[0]?.ip;
    expect(lbIP).toBe('172.18.255.200');
    for (const name of ['shop.example.com', 'www.shop.example.com']) {
      const trace = traceProbe(state, { from: 'external', to: `http://${name}/` });
      expect(trace.dns[0].answers.map((a) => a.data)).toEqual([lbIP]);
    }
  });
});
