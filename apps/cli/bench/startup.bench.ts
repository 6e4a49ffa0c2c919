/**
 * Start-up of the installed CLI: the bundle `npm pack` ships (built here first), run as a user runs
 * it, next to `node -e 0` measured in the same run so the machine's own Node.js start-up is visible.
 * Runs are interleaved (one of each in turn) so a burst of load from elsewhere hits all three alike.
 * Budgets (issue: start-up): --help <= 150 ms, a trace of the website example <= 300 ms wall.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { recordBenchmark } from '../../../libs/engine/bench/record';

const ROOT = join(__dirname, '..', '..', '..');
const BUNDLE = join(ROOT, 'apps', 'cli', 'dist', 'netplay.js');
const WARMUP = 3;
const RUNS = 30;

const commands: { name: string; args: string[]; budget?: number }[] = [
  { name: '`node -e 0` (Node.js alone)', args: ['-e', '0'] },
  { name: '`netplay --help`', args: [BUNDLE, '--help'], budget: 150 },
  {
    name: '`netplay trace examples/manifests/website.yaml --from default/client --to http://website.default/`',
    args: [
      BUNDLE,
      'trace',
      'examples/manifests/website.yaml',
      '--from',
      'default/client',
      '--to',
      'http://website.default/',
    ],
    budget: 300,
  },
];

function wallMs(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

execFileSync(process.execPath, [join(ROOT, 'apps', 'cli', 'scripts', 'build.mjs')], { cwd: ROOT });
const times = commands.map(() => [] as number[]);
for (let i = 0; i < WARMUP + RUNS; i += 1)
  commands.forEach((command, c) => {
    const ms = wallMs(command.args);
    if (i >= WARMUP) times[c].push(ms);
  });

const rows: [string, string, string][] = commands.map((command, c) => {
  const sorted = times[c].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const verdict =
    command.budget === undefined
      ? ''
      : `≤ ${command.budget} ms${median <= command.budget ? '' : ' (over)'}`;
  return [
    `${command.name}: median (min / p90) of ${RUNS}`,
    `${median.toFixed(0)} ms (${sorted[0].toFixed(0)} / ${quantile(sorted, 0.9).toFixed(0)} ms)`,
    verdict,
  ];
});
rows.push([
  'machine load average (1 min) after the run; above the CPU count means other work competed',
  loadavg()[0].toFixed(1),
  '',
]);
for (const [measure, result, target] of rows) console.log(`${measure}: ${result} ${target}`);
const machine = `${cpus().length} × ${cpus()[0].model.split(' ').slice(0, 2).join(' ')}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
recordBenchmark('CLI start-up (the packed bundle)', machine, rows);
