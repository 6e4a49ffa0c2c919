import { CONTROLLER_PROFILES } from '../ingress/controller-profiles';
import { app, NGINX_CLUSTER } from '../ingress/spec-fixtures';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { traceProbe } from '../probe/probe';

const GATEWAY = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: nginx}
spec: {controllerName: ${CONTROLLER_PROFILES.nginx.gatewayController}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web}
spec:
  gatewayClassName: nginx
  listeners:
  - {name: http, protocol: HTTP, port: 80, hostname: "*.example.com"}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: split}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}, method: POST}]
    backendRefs: [{name: api, port: 80}]
  - backendRefs: [{name: frontend, port: 80}]
`;

describe('Gateway API traffic through the nginx profile', () => {
  const state = clusterFromYaml(NGINX_CLUSTER, app('api'), app('frontend'), GATEWAY);
  const nodePort = state.services.get('ingress-nginx/ingress-nginx-controller')?.ports[0].nodePort;

  it.each([
    ['POST', 'shop.example.com', '/api/cart', 200, 'api'],
    ['GET', 'shop.example.com', '/api/cart', 200, 'frontend'],
    ['GET', 'deep.shop.example.com', '/', 404, null],
    ['GET', 'shop.example.org', '/', 404, null],
    // RFC 9110: Host = uri-host [":" port]; hostnames match the name without the port.
    ['GET', 'shop.example.com:80', '/', 200, 'frontend'],
  ] as const)('%s http://%s%s → %s %s', (method, host, path, status, service) => {
    const trace = traceProbe(state, {
      from: 'external',
      to: `http://172.18.0.3:${nodePort}${path}`,
      host,
      method,
    });
    expect(trace.verdict).toBe('delivered');
    expect(trace.http?.status).toBe(status);
    expect(trace.backend?.service ?? null).toBe(service);
    const decision = trace.hops.find(
      (h) =>
        h.component === 'ingress-controller' &&
        h.details?.controller === CONTROLLER_PROFILES.nginx.gatewayController,
    );
    expect(decision).toBeDefined();
  });
});
