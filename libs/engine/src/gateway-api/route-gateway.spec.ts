import { CONTROLLER_PROFILES } from '../ingress/controller-profiles';
import type { ClusterState } from '../model/cluster-state';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { gatewayHostMatches } from './route-match';
import { routeGatewayRequest } from './route-gateway';

const CONTROLLER = CONTROLLER_PROFILES.nginx.gatewayController;

const GATEWAY = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: nginx}
spec: {controllerName: ${CONTROLLER}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: same-namespace, namespace: default}
spec:
  gatewayClassName: nginx
  listeners:
  - {name: http, protocol: HTTP, port: 80}
`;

interface Request {
  host?: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
}

function backendOf(state: ClusterState, req: Request): string | number {
  const route = routeGatewayRequest(state, CONTROLLER, 80, {
    scheme: 'http',
    host: req.host ?? 'example.com',
    path: req.path,
    method: req.method ?? 'GET',
    headers: req.headers ?? {},
  });
  if (!route) return 'no gateway';
  return route.kind === 'backend' ? route.backend.name : route.status;
}

describe('Gateway API conformance httproute-matching', () => {
  const state = clusterFromYaml(
    GATEWAY,
    `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: matching}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /}
    - headers: [{name: version, value: one}]
    backendRefs: [{name: infra-backend-v1, port: 8080}]
  - matches:
    - path: {type: PathPrefix, value: /v2}
    - headers: [{name: version, value: two}]
    backendRefs: [{name: infra-backend-v2, port: 8080}]
`,
  );
  it.each([
    [{ path: '/' }, 'infra-backend-v1'],
    [{ path: '/example' }, 'infra-backend-v1'],
    [{ path: '/', headers: { version: 'one' } }, 'infra-backend-v1'],
    [{ path: '/v2' }, 'infra-backend-v2'],
    [{ path: '/v2/example' }, 'infra-backend-v2'],
    [{ path: '/', headers: { version: 'two' } }, 'infra-backend-v2'],
    [{ path: '/v2/' }, 'infra-backend-v2'],
    [{ path: '/v2example' }, 'infra-backend-v1'],
    [{ path: '/foo/v2/example' }, 'infra-backend-v1'],
  ] as const)('%j → %s', (req, expected) => {
    expect(backendOf(state, req)).toBe(expected);
  });
});

describe('HTTPRoute match precedence (httproute_types.go)', () => {
  const state = clusterFromYaml(
    GATEWAY,
    `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: precedence}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: prefix-api, port: 80}]
  - matches: [{path: {type: Exact, value: /api}}]
    backendRefs: [{name: exact-api, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /api}, method: POST}]
    backendRefs: [{name: post-api, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: x-a, value: "1"}, {name: x-b, value: "2"}]}]
    backendRefs: [{name: two-headers, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: x-a, value: "1"}]}]
    backendRefs: [{name: one-header, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /api}, queryParams: [{name: debug, value: "true"}]}]
    backendRefs: [{name: query, port: 80}]
`,
  );
  it.each([
    ['Exact beats PathPrefix of the same length', { path: '/api' }, 'exact-api'],
    ['the longer prefix wins', { path: '/api/users' }, 'prefix-api'],
    [
      'a method match beats headers',
      { path: '/api/x', method: 'POST', headers: { 'x-a': '1', 'x-b': '2' } },
      'post-api',
    ],
    [
      'more header matches win',
      { path: '/api/x', headers: { 'X-A': '1', 'x-b': '2' } },
      'two-headers',
    ],
    ['one header match beats none', { path: '/api/x', headers: { 'x-a': '1' } }, 'one-header'],
    ['a query match beats a bare prefix', { path: '/api/x?debug=true' }, 'query'],
    ['no match answers 404', { path: '/other' }, 404],
  ])('%s', (_name, req, expected) => {
    expect(backendOf(state, req)).toBe(expected);
  });
});

describe('HTTPRoute hostnames, attachment and weights', () => {
  it.each([
    ['*.example.com', 'foo.test.example.com', true],
    ['*.example.com', 'foo.example.com', true],
    ['*.example.com', 'example.com', false],
    ['example.com', 'example.com', true],
  ])(
    'hostname %s matches %s: %s (any number of labels, unlike Ingress)',
    (pattern, host, expected) => {
      expect(gatewayHostMatches(pattern, host)).toBe(expected);
    },
  );

  const route = (name: string, extra: string, namespace = 'default') => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${extra}
  rules:
  - backendRefs: [{name: ${name}, port: 80}]
`;
  it('prefers the route with the more specific hostname, then the oldest route', () => {
    const state = clusterFromYaml(
      GATEWAY,
      route('wildcard', '  parentRefs: [{name: same-namespace}]\n  hostnames: ["*.example.com"]'),
      route('exact', '  parentRefs: [{name: same-namespace}]\n  hostnames: [foo.example.com]'),
      route('older', '  parentRefs: [{name: same-namespace}]\n  hostnames: [bar.example.com]'),
      route('newer', '  parentRefs: [{name: same-namespace}]\n  hostnames: [bar.example.com]'),
    );
    expect(backendOf(state, { host: 'foo.example.com', path: '/' })).toBe('exact');
    expect(backendOf(state, { host: 'a.b.example.com', path: '/' })).toBe('wildcard');
    expect(backendOf(state, { host: 'bar.example.com', path: '/' })).toBe('older');
    expect(backendOf(state, { host: 'example.net', path: '/' })).toBe(404);
  });

  it('refuses routes from other namespaces unless allowedRoutes says All', () => {
    const other = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n';
    const foreign = route(
      'foreign',
      '  parentRefs: [{name: same-namespace, namespace: default}]',
      'other',
    );
    expect(backendOf(clusterFromYaml(GATEWAY, other, foreign), { path: '/' })).toBe(404);
    const open = GATEWAY.replace(
      '{name: http, protocol: HTTP, port: 80}',
      '{name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}',
    );
    expect(backendOf(clusterFromYaml(open, other, foreign), { path: '/' })).toBe('foreign');
  });

  it('draws weighted backendRefs from the seeded stream and reports the probability', () => {
    const state = clusterFromYaml(
      GATEWAY,
      `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: canary}
spec:
  parentRefs: [{name: same-namespace}]
  rules:
  - backendRefs: [{name: stable, port: 80, weight: 90}, {name: canary, port: 80, weight: 10}, {name: off, port: 80, weight: 0}]
`,
    );
    const picks = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      const r = routeGatewayRequest(state, CONTROLLER, 80, {
        scheme: 'http',
        host: 'a',
        path: '/',
        method: 'GET',
        headers: {},
      });
      if (r?.kind === 'backend') {
        picks.set(r.backend.name, (picks.get(r.backend.name) ?? 0) + 1);
        expect(r.probability).toBe(r.backend.name === 'stable' ? 0.9 : 0.1);
      }
    }
    expect(picks.get('off')).toBeUndefined();
    expect(picks.get('stable')).toBeGreaterThan(picks.get('canary') ?? 0);
    expect(picks.get('canary')).toBeGreaterThan(0);
  });

  it('returns null when no Gateway of the controller listens on the port', () => {
    const state = clusterFromYaml(GATEWAY);
    expect(
      routeGatewayRequest(state, 'example.com/other-controller', 80, {
        scheme: 'http',
        host: 'a',
        path: '/',
        method: 'GET',
        headers: {},
      }),
    ).toBeNull();
  });
});
