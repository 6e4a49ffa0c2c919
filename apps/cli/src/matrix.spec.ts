import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli';

const PODS = ['a', 'b']
  .map(
    (name) =>
      `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, namespace: default, labels: { pod: ${name} } }\nspec: { containers: [{ name: c, image: agnhost }] }`,
  )
  .join('\n---\n');

const ONLY_B_INTO_A = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: only-b, namespace: default }
spec:
  podSelector: { matchLabels: { pod: a } }
  ingress: [{ from: [{ podSelector: { matchLabels: { pod: b } } }], ports: [{ port: 80 }] }]`;

const DENY_ALL = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: only-b, namespace: default }
spec:
  podSelector: {}
  policyTypes: [Ingress]`;

function cli(args: string, stdin = '', cwd = '/') {
  return runCli(args.split(' ').filter(Boolean), { cwd, readStdin: () => stdin });
}

describe('netplay matrix', () => {
  const input = `${PODS}\n---\n${ONLY_B_INTO_A}`;

  it('prints the truth table and the grouped table for one namespace', () => {
    const r = cli('matrix - -n default', input);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain(
      'reachability TCP/80 in namespace default (rows: from, columns: to; . allowed, X denied)\n-\tdefault/a\tdefault/b\ndefault/a\t.\t.\ndefault/b\t.\t.\n',
    );
    expect(r.stdout).toContain(
      'grouped reachability TCP/80 in namespace default: 1 group of peers',
    );
  });

  it('shows the port the policy does not open as denied', () => {
    expect(cli('matrix - -n default --port 81 --csv', input).stdout).toBe(
      'from\\to,default/a,default/b\ndefault/a,.,.\ndefault/b,X,.\n',
    );
  });

  it('prints Markdown and JSON', () => {
    expect(cli('matrix - -n default --port 81 --md', input).stdout).toContain(
      '| default/b | X | . |',
    );
    const json = JSON.parse(
      cli('matrix - -n default --port 81 --protocol TCP --json', input).stdout,
    );
    expect(json).toMatchObject({ protocol: 'TCP', port: 81, rows: ['..', 'X.'] });
  });

  it('prints only the grouped table with --grouped', () => {
    const r = cli('matrix - -n default --port 81 --grouped', input);
    expect(r.stdout).toMatch(/^grouped reachability TCP\/81 in namespace default: 2 groups/);
    expect(r.stdout).not.toContain('\nreachability');
  });

  it('adds external pieces with --external', () => {
    expect(cli('matrix - -n default --external --csv', input).stdout).toContain(
      '0.0.0.0-255.255.255.255[External],X,.',
    );
  });

  it('rejects a bad port and clashing formats with exit 2', () => {
    expect(cli('matrix - --port 70000', input)).toMatchObject({
      code: 2,
      stderr: 'error: --port 70000: must be a number 1-65535\n',
    });
    expect(cli('matrix - --json --csv', input).code).toBe(2);
  });
});

describe('netplay diff', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netplay-diff-'));
  writeFileSync(join(dir, 'pods.yaml'), PODS);
  writeFileSync(join(dir, 'before.yaml'), ONLY_B_INTO_A);
  writeFileSync(join(dir, 'after.yaml'), DENY_ALL);

  it('lists what a policy change closes, each side given as comma-joined files', () => {
    const r = cli('diff pods.yaml,before.yaml pods.yaml,after.yaml -n default', '', dir);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(
      'policy diff on TCP/80: 0 opened, 2 closed\n- default/a => default/b\n- default/b => default/a\n',
    );
  });

  it('prints JSON with --json', () => {
    const diff = JSON.parse(
      cli('diff pods.yaml,after.yaml pods.yaml,before.yaml -n default --json', '', dir).stdout,
    );
    expect(diff.opened).toEqual([
      { from: 'default/a', to: 'default/b' },
      { from: 'default/b', to: 'default/a' },
    ]);
  });
});
