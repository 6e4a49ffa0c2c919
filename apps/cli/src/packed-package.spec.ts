import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const CLI_ROOT = join(__dirname, '..');
const REPO_ROOT = join(CLI_ROOT, '..', '..');

/**
 * The environment of a machine with only Node.js: npm's own settings from the `npm test` that runs
 * this suite are dropped so they cannot point the install elsewhere, and PATH holds Node's folder
 * and the system's, not the repository's node_modules/.bin.
 */
function bareEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^npm_/i.test(key) && key !== 'NODE_OPTIONS' && key !== 'NODE_PATH') env[key] = value;
  env.PATH = [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');
  return env;
}

// Packing runs the bundler and installing unpacks the tarball: seconds on a loaded machine.
jest.setTimeout(180_000);

describe('the packed netplay package', () => {
  let work: string;
  let prefix: string;
  let installed: string;
  const env = bareEnvironment();

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'netplay-pack-'));
    prefix = join(work, 'prefix');
    execFileSync('npm', ['pack', '--pack-destination', work, '--silent'], {
      cwd: CLI_ROOT,
      env,
      stdio: 'pipe',
    });
    const tarball = readdirSync(work).find((f) => /^netplay-.*\.tgz$/.test(f));
    if (!tarball) throw new Error(`npm pack left no netplay-*.tgz in ${work}`);
    execFileSync(
      'npm',
      ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball],
      { cwd: work, env, stdio: 'pipe' },
    );
    installed = join(prefix, 'lib', 'node_modules', '@netplay', 'cli');
    copyFileSync(
      join(REPO_ROOT, 'examples', 'manifests', 'website.yaml'),
      join(work, 'website.yaml'),
    );
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  function netplay(...args: string[]) {
    return spawnSync(join(prefix, 'bin', 'netplay'), args, { cwd: work, env, encoding: 'utf8' });
  }

  it('installs with no dependencies and no TypeScript sources', () => {
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'bin', 'dist', 'package.json']);
    expect(readdirSync(join(installed, 'dist')).sort()).toEqual([
      'THIRD_PARTY_LICENSES.txt',
      'netplay.js',
    ]);
  });

  it('answers --help from the installed bin', () => {
    const r = netplay('--help');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: netplay \[options\] \[command\]/);
    expect(r.stdout).toContain('trace [options] <files...>');
  });

  it('traces the website example outside the repository and gates on the verdict', () => {
    const args = ['trace', 'website.yaml', '--from', 'default/client'];
    const delivered = netplay(...args, '--to', 'http://website.default/', '--expect', 'delivered');
    expect(delivered.status).toBe(0);
    expect(delivered.stdout).toMatch(/\nverdict: delivered: delivered to pod default\/website-/);
    const unresolved = netplay(...args, '--to', 'http://website.foo/', '--expect', 'delivered');
    expect(unresolved.status).toBe(1);
    expect(unresolved.stderr).toMatch(/^expected delivered, got unresolved/);
  });
});
