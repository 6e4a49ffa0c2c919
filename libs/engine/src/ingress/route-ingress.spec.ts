import type { ClusterState } from '../model/cluster-state';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { CONTROLLER_PROFILES } from './controller-profiles';
import { servedIngresses } from './ingress-classes';
import { readIngressObjects } from './read-ingress';
import { routeIngressRequest } from './route-ingress';
import { ingress, NGINX_CLUSTER } from './spec-fixtures';

/** Where ingress-nginx sends a request: the backend Service name, or the status it answers itself. */
function routeOf(
  state: ClusterState,
  host: string,
  path: string,
  scheme: 'http' | 'https' = 'http',
): string | number {
  const read = readIngressObjects(state.objects);
  const { served } = servedIngresses(CONTROLLER_PROFILES.nginx, read.ingresses, read.classes);
  const route = routeIngressRequest(CONTROLLER_PROFILES.nginx, served, {
    scheme,
    host,
    path,
    method: 'GET',
    headers: {},
  });
  return route.kind === 'backend' ? (route.backend.service?.name ?? 'resource') : route.status;
}

const yaml = (text: string): string => text;

describe('ingress-controller-conformance host_rules.feature', () => {
  const state = clusterFromYaml(
    NGINX_CLUSTER,
    yaml(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: host-rules}
spec:
  ingressClassName: nginx
  tls:
  - hosts: [foo.bar.com]
    secretName: conformance-tests
  rules:
  - host: "*.foo.com"
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: wildcard-foo-com, port: {number: 8080}}}}
  - host: foo.bar.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: foo-bar-com, port: {name: http}}}}
`),
  );
  it.each([
    ['https', 'foo.bar.com', 'foo-bar-com'],
    ['https', 'subdomain.bar.com', 404],
    ['https', 'bar.foo.com', 'wildcard-foo-com'],
    ['https', 'baz.bar.foo.com', 404],
    ['https', 'foo.com', 404],
    // ingress-nginx redirects plain HTTP for a TLS host (the conformance suite follows the redirect).
    ['http', 'foo.bar.com', 308],
    ['http', 'bar.foo.com', 'wildcard-foo-com'],
  ] as const)('%s://%s → %s', (scheme, host, expected) => {
    expect(routeOf(state, host, '/', scheme)).toBe(expected);
  });
});

describe('ingress-controller-conformance path_rules.feature', () => {
  const state = clusterFromYaml(
    NGINX_CLUSTER,
    ingress('exact', [
      {
        host: 'exact-path-rules',
        paths: [{ path: '/foo', pathType: 'Exact', service: 'foo-exact' }],
      },
    ]),
    ingress('prefix', [
      {
        host: 'prefix-path-rules',
        paths: [
          { path: '/foo', pathType: 'Prefix', service: 'foo-prefix' },
          { path: '/aaa/bbb', pathType: 'Prefix', service: 'aaa-slash-bbb-prefix' },
          { path: '/aaa', pathType: 'Prefix', service: 'aaa-prefix' },
        ],
      },
    ]),
    ingress('mixed', [
      {
        host: 'mixed-path-rules',
        paths: [
          { path: '/foo', pathType: 'Prefix', service: 'foo-prefix' },
          { path: '/foo', pathType: 'Exact', service: 'foo-exact' },
        ],
      },
    ]),
    ingress('trailing', [
      {
        host: 'trailing-slash-path-rules',
        paths: [
          { path: '/aaa/bbb/', pathType: 'Prefix', service: 'aaa-slash-bbb-slash-prefix' },
          { path: '/foo/', pathType: 'Exact', service: 'foo-slash-exact' },
        ],
      },
    ]),
  );
  it.each([
    ['exact-path-rules', '/foo', 'foo-exact'],
    ['exact-path-rules', '/foo/', 404],
    ['exact-path-rules', '/FOO', 404],
    ['exact-path-rules', '/bar', 404],
    ['prefix-path-rules', '/foo', 'foo-prefix'],
    ['prefix-path-rules', '/foo/', 'foo-prefix'],
    ['prefix-path-rules', '/FOO', 404],
    ['prefix-path-rules', '/aaa/bbb', 'aaa-slash-bbb-prefix'],
    ['prefix-path-rules', '/aaa/bbb/ccc', 'aaa-slash-bbb-prefix'],
    ['prefix-path-rules', '/aaa/ccc', 'aaa-prefix'],
    ['prefix-path-rules', '/aaaccc', 404],
    ['mixed-path-rules', '/foo', 'foo-exact'],
    ['mixed-path-rules', '/foo/', 'foo-prefix'],
    ['trailing-slash-path-rules', '/aaa/bbb', 'aaa-slash-bbb-slash-prefix'],
    ['trailing-slash-path-rules', '/aaa/bbb/', 'aaa-slash-bbb-slash-prefix'],
    ['trailing-slash-path-rules', '/foo/', 'foo-slash-exact'],
    ['trailing-slash-path-rules', '/foo', 404],
  ] as const)('%s %s → %s', (host, path, expected) => {
    expect(routeOf(state, host, path)).toBe(expected);
  });
});

describe('ingress-controller-conformance default_backend.feature', () => {
  const state = clusterFromYaml(
    NGINX_CLUSTER,
    `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: default-backend}
spec:
  ingressClassName: nginx
  defaultBackend: {service: {name: echo-service, port: {number: 8080}}}
`,
  );
  it.each([
    ['my-host', '/'],
    ['some-host', '/sub-path'],
    ['', '/resource'],
  ])('host "%s" path %s → echo-service', (host, path) => {
    expect(routeOf(state, host, path)).toBe('echo-service');
  });
});

describe('ingress-controller-conformance ingress_class.feature and class selection', () => {
  const rule = (name: string, host: string) =>
    ingress(name, [{ host, paths: [{ path: '/', pathType: 'Prefix', service: name }] }]);
  const state = clusterFromYaml(
    NGINX_CLUSTER,
    rule('invalid-class', 'invalid.example.com').replace(
      'ingressClassName: nginx',
      'ingressClassName: some-invalid-class-name',
    ),
    rule('no-class', 'default.example.com').replace('  ingressClassName: nginx\n', ''),
    rule('legacy', 'legacy.example.com')
      .replace('  ingressClassName: nginx\n', '')
      .replace(
        'metadata: {name: legacy}',
        'metadata: {name: legacy, annotations: {kubernetes.io/ingress.class: nginx}}',
      ),
    rule('other', 'other.example.com').replace(
      'ingressClassName: nginx',
      'ingressClassName: traefik',
    ),
  );
  it.each([
    ['an unknown class is not served', 'invalid.example.com', 404],
    ['no class takes the default IngressClass', 'default.example.com', 'no-class'],
    ['the deprecated annotation is honoured', 'legacy.example.com', 'legacy'],
    ["another controller's class is not served", 'other.example.com', 404],
  ] as const)('%s', (_name, host, expected) => {
    expect(routeOf(state, host, '/')).toBe(expected);
  });
  it('publishes no address for the Ingress of an unknown class', () => {
    const invalid = state.objects.find((o) => o.name === 'invalid-class');
    expect(invalid?.body.status).toEqual({ loadBalancer: {} });
  });
});

describe('seed examples: path- and host-based routing', () => {
  const state = clusterFromYaml(
    NGINX_CLUSTER,
    ingress('paths', [
      {
        host: 'example.org',
        paths: [
          { path: '/hello', pathType: 'Prefix', service: 'hello' },
          { path: '/world', pathType: 'Prefix', service: 'world' },
        ],
      },
    ]),
    ingress('hosts', [
      { host: 'hello.example.org', paths: [{ path: '/', pathType: 'Prefix', service: 'hello' }] },
      { host: 'world.example.org', paths: [{ path: '/', pathType: 'Prefix', service: 'world' }] },
    ]),
  );
  it.each([
    ['example.org', '/hello', 'hello'],
    ['example.org', '/world/index.html', 'world'],
    ['example.org', '/other', 404],
    ['hello.example.org', '/', 'hello'],
    ['world.example.org', '/x', 'world'],
  ] as const)('%s%s → %s', (host, path, expected) => {
    expect(routeOf(state, host, path)).toBe(expected);
  });
});

describe('merging Ingresses and redirect annotations', () => {
  it('keeps the oldest Ingress for the same host, path and pathType', () => {
    const state = clusterFromYaml(
      NGINX_CLUSTER,
      ingress('first', [
        { host: 'a.example.com', paths: [{ path: '/', pathType: 'Prefix', service: 'first' }] },
      ]),
      ingress('second', [
        {
          host: 'a.example.com',
          paths: [
            { path: '/', pathType: 'Prefix', service: 'second' },
            { path: '/api', pathType: 'Prefix', service: 'api' },
          ],
        },
      ]),
    );
    expect(routeOf(state, 'a.example.com', '/')).toBe('first');
    expect(routeOf(state, 'a.example.com', '/api/v1')).toBe('api');
  });

  it.each([
    [
      'ssl-redirect "false" keeps plain HTTP on a TLS host',
      'nginx.ingress.kubernetes.io/ssl-redirect: "false"',
      '  tls:\n  - hosts: [s.example.com]\n    secretName: s\n',
      'web',
    ],
    [
      'force-ssl-redirect redirects without TLS',
      'nginx.ingress.kubernetes.io/force-ssl-redirect: "true"',
      '',
      308,
    ],
  ] as const)('%s', (_name, annotation, tls, expected) => {
    const text = ingress(
      's',
      [{ host: 's.example.com', paths: [{ path: '/', pathType: 'Prefix', service: 'web' }] }],
      tls,
    ).replace('metadata: {name: s}', `metadata:\n  name: s\n  annotations:\n    ${annotation}`);
    expect(routeOf(clusterFromYaml(NGINX_CLUSTER, text), 's.example.com', '/')).toBe(expected);
  });
});
