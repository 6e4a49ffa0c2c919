import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli';

const ROOT = join(__dirname, '..', '..', '..');
const MANIFESTS = 'test/scenarios/manifests';
let dir = '';
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'netplay-write-pcap-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]) {
  return runCli(args, { cwd: dir, readStdin: () => '' });
}

describe('--pcap', () => {
  it.each([
    [
      'trace',
      [join(ROOT, MANIFESTS), '--from', 'default/client', '--to', 'http://website.default/'],
      /\nverdict: delivered/,
    ],
    [
      'dns',
      [join(ROOT, MANIFESTS), '--from', 'default/client', 'kubernetes.default'],
      /kubernetes\.default/,
    ],
  ])(
    '%s writes a libpcap file relative to the working directory and reports on stderr',
    (command, args, stdout) => {
      const r = cli([command, ...args, '--pcap', `${command}.pcap`]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(stdout);
      expect(r.stderr).toMatch(new RegExp(`^wrote \\d+ packets to ${command}\\.pcap\\n$`));
      const file = readFileSync(join(dir, `${command}.pcap`));
      expect(file.readUInt32BE(0)).toBe(0xa1b2c3d4);
    },
  );

  it('prints the trace, then exits 3 with a message when the file cannot be written', () => {
    const r = cli([
      'trace',
      join(ROOT, MANIFESTS),
      '--from',
      'default/client',
      '--to',
      'website',
      '--pcap',
      'missing-dir/out.pcap',
    ]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/verdict: delivered/);
    expect(r.stderr).toMatch(/^error: --pcap missing-dir\/out\.pcap: ENOENT/);
  });
});
