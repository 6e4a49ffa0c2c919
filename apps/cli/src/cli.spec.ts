import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './cli';

const ROOT = join(__dirname, '..', '..', '..');
const MANIFESTS = 'test/scenarios/manifests';

function cli(args: string, stdin = '') {
  return runCli(args.split(' ').filter(Boolean), { cwd: ROOT, readStdin: () => stdin });
}

describe('netplay get', () => {
  it('reads a directory of manifests and prints kubectl get services', () => {
    const r = cli(`get svc ${MANIFESTS}`);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^NAME {9}TYPE {8}CLUSTER-IP +EXTERNAL-IP {3}PORT\(S\) {3}AGE\n/);
    expect(r.stdout).toMatch(
      /\nwebsite {6}ClusterIP {3}10\.96\.\d+\.\d+ +<none> {8}80\/TCP {4}1m\n/,
    );
  });

  it('prints kube-system services with -n and nodes with -o wide', () => {
    expect(cli(`get services ${MANIFESTS} -n kube-system`).stdout).toContain(
      '53/UDP,53/TCP,9153/TCP',
    );
    expect(cli(`get nodes ${MANIFESTS} -o wide`).stdout).toContain('INTERNAL-IP');
  });

  it('prints objects as JSON with -o json', () => {
    const r = cli(`get pods ${MANIFESTS} -o json`);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'List', apiVersion: 'v1' });
  });

  it('shows a pod resolv.conf', () => {
    expect(cli(`get resolv.conf ${MANIFESTS} --pod default/client`).stdout).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local localdomain\nnameserver 10.96.0.10\noptions ndots:5\n',
    );
  });

  it('reads manifests from stdin with -', () => {
    const yaml = readFileSync(join(ROOT, MANIFESTS, 'website-service.yaml'), 'utf8');
    expect(cli('get svc -', yaml).stdout).toContain('website');
  });
});

describe('netplay trace and dns', () => {
  it('prints a readable trace ending with the verdict', () => {
    const r = cli(`trace ${MANIFESTS} --from default/client --to http://website.default/`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('website.default.svc.cluster.local');
    expect(r.stdout).toMatch(/\nverdict: delivered/);
  });

  it('exits 0 for a failed verdict: the name website.foo does not resolve', () => {
    const r = cli(`trace ${MANIFESTS} --from default/client --to website.foo`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/verdict: unresolved \(NXDOMAIN\)/);
  });

  it('prints the schema JSON with --json', () => {
    const trace = JSON.parse(
      cli(`trace ${MANIFESTS} --from default/client --to website --json`).stdout,
    );
    expect(trace).toMatchObject({
      kind: 'probe',
      verdict: 'delivered',
      request: { from: 'default/client', protocol: 'TCP' },
    });
  });

  it('looks a name up with dns, the last argument being the name', () => {
    const r = cli(`dns ${MANIFESTS} --from default/client kubernetes.default --json`);
    expect(JSON.parse(r.stdout)).toMatchObject({
      kind: 'dns',
      verdict: 'resolved',
      request: { name: 'kubernetes.default', type: 'A' },
    });
  });
});

describe('netplay run', () => {
  it.each(['examples/website.yaml', 'examples/website-nodeport.yaml'])(
    'runs %s without errors',
    (path) => {
      const r = cli(`run ${path}`);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/=== step 1: /);
    },
  );

  it('prints every step, then exits 2 when a step could not run', () => {
    const scenario = `apiVersion: netplay.dev/v1alpha1
kind: Scenario
metadata: { name: broken-step }
spec:
  manifests: [{ path: ${MANIFESTS}/client-pod.yaml }]
  steps:
    - delete: { pod: ghost }
    - get: { kind: pods }
`;
    const r = cli('run -', scenario);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('=== step 2 (get)');
    expect(r.stderr).toMatch(/^error: pods "ghost" not found/m);
  });

  it('looks up SRV records with a lower-case --type', () => {
    const trace = JSON.parse(
      cli(`dns ${MANIFESTS} --from client _http._tcp.website --type srv --json`).stdout,
    );
    expect(trace.request.type).toBe('SRV');
  });

  it('prints the step results as JSON with --json', () => {
    const result = JSON.parse(cli('run examples/website.yaml --json').stdout);
    expect(result.scenario).toBe('website');
    expect(result.steps[0]).toMatchObject({ index: 0, kind: 'get' });
  });
});

describe('bad input exits 2 with a message and no stack trace', () => {
  it.each([
    [
      'a missing file',
      `get pods no-such-file.yaml`,
      'no-such-file.yaml: cannot read (no such file or directory)',
    ],
    ['an unknown flag', `get pods ${MANIFESTS} --bogus`, "unknown option '--bogus'"],
    ['an unknown kind', `get pods,widgets ${MANIFESTS}`, 'doesn\'t have a resource type "widgets"'],
    [
      'a bad --from',
      `trace ${MANIFESTS} --from default/nobody --to website`,
      '--from default/nobody:',
    ],
    [
      'a missing --to',
      `trace ${MANIFESTS} --from default/client`,
      "required option '--to <destination>' not specified",
    ],
    [
      'a bad protocol',
      `trace ${MANIFESTS} --from default/client --to website --protocol icmp`,
      "'icmp' is invalid",
    ],
    ['a missing scenario', 'run nowhere.yaml', 'nowhere.yaml: cannot read'],
    ['a node view without --node', `get routes ${MANIFESTS}`, 'routes needs a node'],
  ])('%s', (_case, args, message) => {
    const r = cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('reports invalid manifests with formatIssue', () => {
    const r = cli(
      'get pods -',
      'apiVersion: v1\nkind: Service\nmetadata: { name: x }\nspec:\n  ports: [{ port: 70000 }]\n',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: <stdin> doc 1 Service default\/x: spec\.ports\[0\]\.port: /m);
  });
});

describe('the netplay bin', () => {
  it('runs for real through node and tsx', () => {
    const r = spawnSync(process.execPath, ['apps/cli/bin/netplay.js', 'get', 'svc', MANIFESTS], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('website');
  });
});
