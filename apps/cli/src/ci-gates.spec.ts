import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { runCli } from './cli';
import { renderTraceMermaid, renderTraceSvg } from './engine';

const ROOT = join(__dirname, '..', '..', '..');
const WEBSITE = 'examples/manifests/website.yaml';

/** Runs netplay with an argument list (no shell splitting) and the given standard input. */
function cli(args: string[], stdin = '') {
  return runCli(args, { cwd: ROOT, readStdin: () => stdin });
}

const POLICY = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-from-client, namespace: default }
spec:
  podSelector: { matchLabels: { app: website } }
  ingress: [{ from: [{ podSelector: { matchLabels: { run: client } } }] }]
---
apiVersion: v1
kind: Pod
metadata: { name: other, namespace: default, labels: { run: other } }
spec: { containers: [{ name: c, image: busybox }] }
`;
const website = readFileSync(join(ROOT, WEBSITE), 'utf8');

describe('trace --expect', () => {
  const trace = (to: string, expect: string) =>
    cli(['trace', WEBSITE, '--from', 'client', '--to', to, '--expect', expect]);

  it('exits 0 when the verdict is the expected one', () => {
    expect(trace('http://website.default/', 'delivered')).toMatchObject({ code: 0, stderr: '' });
  });

  it('exits 1 with a one-line reason on stderr when it is not', () => {
    const r = trace('http://website.foo/', 'delivered');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/verdict: unresolved/);
    expect(r.stderr).toBe(
      "expected delivered, got unresolved (NXDOMAIN): wget: bad address 'website.foo'\n",
    );
  });

  it('checks the drop reason when one is given', () => {
    const args = ['trace', '-', '--from', 'other', '--to', 'http://website.default/'];
    const input = `${website}\n---\n${POLICY}`;
    expect(cli([...args, '--expect', 'dropped:POLICY_DENIED'], input).code).toBe(0);
    const wrongReason = cli([...args, '--expect', 'dropped:NO_ENDPOINTS'], input);
    expect(wrongReason.code).toBe(1);
    expect(wrongReason.stderr).toMatch(
      /^expected dropped \(NO_ENDPOINTS\), got dropped \(POLICY_DENIED\): /,
    );
  });

  it('refuses an unknown verdict or drop reason as bad input', () => {
    expect(trace('website', 'maybe')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--expect maybe: must be one of delivered, refused, dropped'),
    });
    expect(trace('website', 'dropped:BECAUSE').stderr).toContain('"BECAUSE" is not a drop reason');
  });

  it('reports the more serious status when the capture cannot be written either', () => {
    const r = cli([
      'trace',
      WEBSITE,
      '--from',
      'client',
      '--to',
      'website.foo',
      '--expect',
      'delivered',
      '--pcap',
      'missing-dir/out.pcap',
    ]);
    expect(r.code).toBe(3);
  });
});

describe('dns --expect', () => {
  it.each([
    ['website', 'resolved', 0],
    ['website.foo', 'resolved', 1],
    ['website.foo', 'unresolved', 0],
  ])('%s expecting %s exits %d', (name, verdict, code) => {
    expect(cli(['dns', WEBSITE, '--from', 'client', name, '--expect', verdict]).code).toBe(code);
  });
});

describe('matrix and diff assertions', () => {
  const matrix = (...flags: string[]) =>
    cli(['matrix', '-', '--port', '80', ...flags], `${website}\n---\n${POLICY}`);

  it('pass when the connections are as asserted, by pod or by workload', () => {
    const r = matrix(
      '--assert-open',
      'client->website',
      '--assert-closed',
      'default/other->default/website:80',
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('fail with exit 1 naming the pairs that are not as asserted', () => {
    const r = matrix('--assert-open', 'other->website', '--assert-closed', 'client->website');
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^expected default\/other->default\/website:80\/TCP open, but denied: default\/other -> default\/website-/,
    );
    expect(lines[1]).toMatch(
      /^expected default\/client->default\/website:80\/TCP closed, but allowed: /,
    );
  });

  it('treat a malformed assertion or one naming nothing as bad input', () => {
    expect(matrix('--assert-open', 'client=>website')).toMatchObject({ code: 2 });
    const r = matrix('--assert-open', 'client->nobody');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no running pod or workload "default/nobody"');
  });

  it('diff --exit-code fails when the change opens or closes anything, and asserts on the after side', () => {
    const before = join(ROOT, WEBSITE);
    const after = `${before},-`;
    const same = cli(['diff', before, before, '--exit-code']);
    expect(same.code).toBe(0);
    const changed = cli(['diff', before, after, '--exit-code'], POLICY);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(
      /^the change opens 0 and closes \d+ connection\(s\) on TCP\/80\n$/,
    );
    expect(cli(['diff', before, after, '--assert-closed', 'other->website'], POLICY)).toMatchObject(
      { code: 0, stderr: '' },
    );
  });
});

describe('-n/--namespace', () => {
  const shop = `apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n---\n${website}`;

  it('puts objects without a namespace in it and resolves a bare --from there', () => {
    const r = cli(
      ['trace', '-', '-n', 'shop', '--from', 'client', '--to', 'http://website/'],
      shop,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^probe shop\/client → http:\/\/website\/ /);
    expect(r.stdout).toMatch(/verdict: delivered: delivered to pod shop\/website-/);
    expect(cli(['get', 'deploy', '-', '-n', 'shop'], shop).stdout).toMatch(/\nwebsite +3\/3 /);
  });

  it('refuses an object of another namespace, as kubectl apply -n does', () => {
    const r = cli(['lint', '-', '-n', 'shop'], `${shop}\n---\n${POLICY}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `NetworkPolicy default/web-from-client: metadata.namespace: the namespace from the provided object "default" does not match the namespace "shop"`,
    );
  });

  it('lets get list one namespace of a many-namespace input, as kubectl get -n does', () => {
    const r = cli(['get', 'pods', '-', '-n', 'shop'], `${shop}\n---\n${POLICY}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('client');
    expect(r.stdout).not.toContain('other');
  });
});

describe('trace -H', () => {
  const gateway = `
apiVersion: netplay.dev/v1alpha1
kind: Cluster
metadata: { name: kind }
spec:
  ingressControllers: [nginx]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: nginx }
spec: { controllerName: gateway.nginx.org/nginx-gateway-controller }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: web }
spec:
  gatewayClassName: nginx
  listeners: [{ name: http, protocol: HTTP, port: 80 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: canary }
spec:
  parentRefs: [{ name: web }]
  rules:
    - matches: [{ headers: [{ name: X-Canary, value: "yes" }] }]
      backendRefs: [{ name: website, port: 80 }]
`;
  const probe = (...flags: string[]) =>
    cli(
      [
        'trace',
        '-',
        '--from',
        'client',
        '--to',
        'http://ingress-nginx-controller.ingress-nginx/',
        ...flags,
        '--json',
      ],
      `${website}\n---\n${gateway}`,
    );

  it('sends the header, so a route matching on it answers', () => {
    const without = JSON.parse(probe().stdout);
    expect(without.http.status).toBe(404);
    const withHeader = JSON.parse(probe('-H', 'X-Canary: yes').stdout);
    expect(withHeader.http.status).toBe(200);
    expect(withHeader.backend.service).toBe('website');
  });

  it('refuses a header that is not Name: value', () => {
    expect(probe('-H', 'no colon here')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("must be 'Name: value'"),
    });
  });
});

describe('--json carries the load issues; lint prints them', () => {
  const withUnknownKind = `${website}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n`;
  const schema = JSON.parse(
    readFileSync(join(ROOT, 'libs/engine/schema/trace.schema.json'), 'utf8'),
  );
  const validate = addFormats(new Ajv2020({ allErrors: true })).compile(schema);

  it('trace --json: the trace, valid against trace.schema.json, with the load warnings', () => {
    const r = cli(
      ['trace', '-', '--from', 'client', '--to', 'http://website.default/', '--json'],
      withUnknownKind,
    );
    const out = JSON.parse(r.stdout);
    expect(out.issues).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'UNKNOWN_KIND' }),
    ]);
    expect(validate(out) ? [] : validate.errors).toEqual([]);
  });

  it.each([
    ['dns', ['dns', '-', '--from', 'client', 'website', '--json']],
    ['matrix', ['matrix', '-', '--json']],
    ['explain', ['explain', '-', '--json']],
    ['lint', ['lint', '-', '--json']],
  ])('%s --json has the issues too', (_, args) => {
    expect(JSON.parse(cli(args, withUnknownKind).stdout).issues).toEqual([
      expect.objectContaining({ code: 'UNKNOWN_KIND' }),
    ]);
  });

  it('lint lists the load warnings with its findings, not "no warnings"', () => {
    const r = cli(['lint', '-'], withUnknownKind);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(
      /^warning: <stdin> doc \d+ Widget w: kind "Widget" \(example.com\/v1\) is not simulated/,
    );
  });
});

describe('--format pictures', () => {
  it('prints the engine renderings of the trace', () => {
    const args = ['trace', WEBSITE, '--from', 'client', '--to', 'http://website.default/'];
    const trace = JSON.parse(cli([...args, '--format', 'json']).stdout);
    delete trace.issues;
    expect(cli([...args, '--format', 'svg']).stdout).toBe(renderTraceSvg(trace));
    expect(cli([...args, '--format', 'mermaid']).stdout).toBe(renderTraceMermaid(trace));
    expect(cli([...args, '--format', 'dot']).stdout).toMatch(/^digraph "trace" \{/);
    expect(cli([...args, '--json', '--format', 'svg']).code).toBe(2);
  });

  it('draws the matrix and a scenario run', () => {
    expect(cli(['matrix', WEBSITE, '--format', 'svg']).stdout).toMatch(
      /^<svg [^>]*>\n<title>reachability TCP\/80/,
    );
    expect(cli(['run', 'examples/website.yaml', '--format', 'svg']).stdout).toMatch(/^<svg /);
    expect(cli(['run', 'examples/website.yaml', '--format', 'mermaid']).stdout).toMatch(
      /^flowchart TB\n/,
    );
  });
});
