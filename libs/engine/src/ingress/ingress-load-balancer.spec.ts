import { traceProbe } from '../probe/probe';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { clusterWith } from '../testing/seed-fixtures';
import { app, ingress } from './spec-fixtures';

const LB_CLUSTER =
  clusterWith(`  loadBalancer: {provider: metallb, addresses: [172.18.255.200-172.18.255.250]}
  ingressControllers: [{profile: nginx, serviceType: LoadBalancer}]
`);

const METALLB_POOL = `
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: pool, namespace: metallb-system}
spec: {addresses: [172.18.255.200-172.18.255.250]}
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata: {name: l2, namespace: metallb-system}
`;

describe('ingress-nginx behind a LoadBalancer Service', () => {
  const yaml = [
    LB_CLUSTER,
    METALLB_POOL,
    app('api'),
    ingress('site', [
      { host: 'api.example.com', paths: [{ path: '/', pathType: 'Prefix', service: 'api' }] },
    ]),
  ];

  it("publishes the controller Service's LoadBalancer IP as the Ingress address", () => {
    const state = clusterFromYaml(...yaml);
    const lbIP = state.services.get('ingress-nginx/ingress-nginx-controller')
      ?.loadBalancerIngress[0]?.ip;
    expect(lbIP).toBeDefined();
    const site = state.objects.find((o) => o.kind === 'Ingress' && o.name === 'site');
    expect(site?.body.status).toEqual({ loadBalancer: { ingress: [{ ip: lbIP }] } });
  });

  it('routes an external client through the LoadBalancer IP to the backend pod', () => {
    const state = clusterFromYaml(...yaml);
    const lbIP = state.services.get('ingress-nginx/ingress-nginx-controller')
      ?.loadBalancerIngress[0]?.ip;
    const trace = traceProbe(state, {
      from: 'external',
      to: `http://${lbIP}/v1/users`,
      host: 'api.example.com',
    });
    expect(trace.verdict).toBe('delivered');
    expect(trace.http?.status).toBe(200);
    expect(trace.backend?.service).toBe('api');
    expect(trace.hops.find((h) => h.component === 'application')?.description).toContain(
      'Host: api.example.com',
    );
  });
});
