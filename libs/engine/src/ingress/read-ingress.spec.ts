import { loadCluster } from '../cluster/load-cluster';
import { formatIssue } from '../model/issues';

function errorsOf(spec: string): string[] {
  const content = `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: bad}\nspec:\n${spec}`;
  return loadCluster([{ content }])
    .issues.filter((i) => i.severity === 'error')
    .map(formatIssue);
}

const backend = 'backend: {service: {name: web, port: {number: 80}}}';

describe('Ingress validation (networking validation.go)', () => {
  it.each([
    [
      'a path must start with /',
      `  rules:\n  - http:\n      paths:\n      - {path: foo, pathType: Prefix, ${backend}}\n`,
      'must be an absolute path',
    ],
    [
      'pathType is required',
      `  rules:\n  - http:\n      paths:\n      - {path: /foo, ${backend}}\n`,
      'pathType must be specified',
    ],
    [
      'a wildcard only as the first label',
      `  rules:\n  - host: "foo.*.com"\n    http:\n      paths:\n      - {path: /, pathType: Prefix, ${backend}}\n`,
      "must start with '*.'",
    ],
    [
      'no IP hosts',
      `  rules:\n  - host: 10.0.0.1\n    http:\n      paths:\n      - {path: /, pathType: Prefix, ${backend}}\n`,
      'not an IP address',
    ],
    [
      'service and resource are exclusive',
      `  defaultBackend:\n    service: {name: web, port: {number: 80}}\n    resource: {kind: Bucket, name: b}\n`,
      'cannot set both resource and service',
    ],
    [
      'port number and name are exclusive',
      `  defaultBackend:\n    service: {name: web, port: {number: 80, name: http}}\n`,
      'cannot set both port name & port number',
    ],
    [
      'rules or defaultBackend',
      '  tls: []\n',
      'either `defaultBackend` or `rules` must be specified',
    ],
  ])('%s', (_name, spec, message) => {
    const errors = errorsOf(spec);
    expect(errors.some((e) => e.includes(message))).toBe(true);
    expect(errors.every((e) => e.includes('Ingress default/bad'))).toBe(true);
  });

  it('accepts a valid wildcard Ingress', () => {
    expect(
      errorsOf(
        `  rules:\n  - host: "*.example.com"\n    http:\n      paths:\n      - {path: /, pathType: ImplementationSpecific, ${backend}}\n`,
      ),
    ).toEqual([]);
  });

  it.each([
    ['an unknown profile', 'ingressControllers: [envoy]', 'Unsupported value: "envoy"'],
    [
      'a duplicate profile',
      'ingressControllers: [nginx, {profile: nginx}]',
      'Duplicate value: "nginx"',
    ],
  ])('refuses %s in the Cluster document', (_name, field, message) => {
    const result = loadCluster([
      {
        content: `apiVersion: netplay.dev/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec:\n  ${field}\n`,
      },
    ]);
    expect(result.issues.map(formatIssue).some((e) => e.includes(message))).toBe(true);
  });
});
