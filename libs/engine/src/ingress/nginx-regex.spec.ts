import { readIngressObjects } from './read-ingress';
import { buildServers } from './ingress-servers';
import { firstRegexMatch, regexLocations, regexReasons, rewrittenPath } from './nginx-regex';
import { clusterFromYaml } from '../testing/cluster-from-yaml';
import { NGINX_CLUSTER } from './spec-fixtures';

function ingressYaml(name: string, annotations: string, paths: [string, string][]): string {
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
  annotations: {${annotations}}
spec:
  ingressClassName: nginx
  rules:
  - host: test.com
    http:
      paths:
${paths
  .map(
    ([path, type]) =>
      `      - {path: "${path}", pathType: ${type}, backend: {service: {name: svc, port: {number: 80}}}}`,
  )
  .join('\n')}
`;
}

function locations(...ingresses: string[]) {
  const state = clusterFromYaml(NGINX_CLUSTER, ...ingresses);
  const served = readIngressObjects(state.objects).ingresses;
  return buildServers(served).get('test.com')!.locations;
}

describe("ingress-nginx's regex locations", () => {
  it('are off until an Ingress of the host sets use-regex or a rewrite-target', () => {
    expect(regexReasons(locations(ingressYaml('plain', '', [['/foo', 'Prefix']])))).toEqual([]);
    expect(
      regexReasons(
        locations(
          ingressYaml('plain', '', [['/foo', 'Prefix']]),
          ingressYaml('same-target', 'nginx.ingress.kubernetes.io/rewrite-target: /bar', [
            ['/bar', 'Prefix'],
          ]),
        ),
      ),
    ).toEqual([]);
  });

  it('split a plain Prefix path into path/ and its exact copy, sorted longest first (the e2e "~* location modifier" test)', () => {
    const list = regexLocations(
      locations(
        ingressYaml('foo', '', [['/foo', 'Prefix']]),
        ingressYaml(
          'regex',
          'nginx.ingress.kubernetes.io/use-regex: "true", nginx.ingress.kubernetes.io/rewrite-target: /new/backend',
          [['/foo.+', 'ImplementationSpecific']],
        ),
      ),
    );
    expect(list.map((l) => l.nginxPath)).toEqual(['/foo.+', '/foo/', '/foo']);
    expect(firstRegexMatch(list, '/foo')?.nginxPath).toBe('/foo');
    expect(firstRegexMatch(list, '/foo/bar')?.nginxPath).toBe('/foo.+');
  });

  it('take the first match, not the longest literal path (the documented warning)', () => {
    const list = regexLocations(
      locations(
        ingressYaml('regex', 'nginx.ingress.kubernetes.io/use-regex: "true"', [
          ['/foo/bar/bar', 'Prefix'],
          ['/foo/bar/[A-Z0-9]{3}', 'ImplementationSpecific'],
        ]),
      ),
    );
    expect(firstRegexMatch(list, '/foo/bar/bar')?.nginxPath).toBe('/foo/bar/[A-Z0-9]{3}');
  });

  it('rewrite the URI with the capture groups and keep the query', () => {
    const [location] = locations(
      ingressYaml('rw', 'nginx.ingress.kubernetes.io/rewrite-target: /new/backend/$1', [
        ['/foo/bar/(.+)', 'ImplementationSpecific'],
      ]),
    );
    expect(rewrittenPath(location, '/foo/bar/bar', 'a=1')).toBe('/new/backend/bar?a=1');
  });

  it.each([
    ['/api/(.+', 'it is not a valid regular expression'],
    [
      '/(a+)+x',
      'a quantified group that contains a quantifier is not evaluated (it can take exponential time)',
    ],
  ])('never match a pattern the engine will not run: %s', (path, problem) => {
    const list = regexLocations(
      locations(
        ingressYaml('bad', 'nginx.ingress.kubernetes.io/use-regex: "true"', [
          [path, 'ImplementationSpecific'],
        ]),
      ),
    );
    expect(list[0]).toMatchObject({ regex: null, problem });
    expect(firstRegexMatch(list, '/api/x')).toBeUndefined();
  });
});
