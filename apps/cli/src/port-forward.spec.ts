import { join } from 'node:path';
import { runCli } from './cli';

const ROOT = join(__dirname, '..', '..', '..');

function cli(args: string) {
  return runCli(args.split(' ').filter(Boolean), { cwd: ROOT, readStdin: () => '' });
}

describe('netplay trace --from port-forward:ns/pod', () => {
  it('traces kubectl port-forward into the first pod of a workload', () => {
    const r = cli(
      'trace test/scenarios/manifests --from port-forward:default/website --to localhost:80 --json',
    );
    expect(r.code).toBe(0);
    const trace = JSON.parse(r.stdout);
    expect(trace.verdict).toBe('delivered');
    expect(trace.hops.map((h: { component: string }) => h.component)).toContain('port-forward');
  });

  it('rejects a pod that does not exist as bad input', () => {
    const r = cli(
      'trace test/scenarios/manifests --from port-forward:default/nope --to localhost:80',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--from port-forward:default/nope');
  });
});
