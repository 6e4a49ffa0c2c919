// Bundles the CLI and everything it imports (the engine, commander, yaml, ipaddr.js, …) into one
// CommonJS file of plain JavaScript, so the packed package runs on Node.js alone: no TypeScript
// loader, no path aliases, no dependencies to install. `npm pack` runs it (prepack).
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(cliRoot, '..', '..');
const outDir = join(cliRoot, 'dist');
mkdirSync(outDir, { recursive: true });

const result = await build({
  entryPoints: [join(cliRoot, 'src', 'main.ts')],
  outfile: join(outDir, 'netplay.js'),
  bundle: true,
  platform: 'node',
  // The package's engines field: Node 20 and newer.
  target: 'node20',
  format: 'cjs',
  tsconfig: join(repoRoot, 'tsconfig.base.json'),
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
});

writeFileSync(join(outDir, 'THIRD_PARTY_LICENSES.txt'), thirdPartyLicenses(result.metafile));

/** The licence text of every npm package the bundle contains, as their licences require. */
function thirdPartyLicenses(metafile) {
  const packages = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.add(match[1]);
  }
  const sections = [...packages].sort().map((name) => {
    const dir = join(repoRoot, 'node_modules', name);
    const { version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    const text = file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : '';
    return `${name}@${version} (${license})\n\n${text.trim()}\n`;
  });
  return `The netplay CLI bundle includes these packages.\n\n${sections.join('\n---\n\n')}`;
}
