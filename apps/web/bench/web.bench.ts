/**
 * The playground's budgets, measured in Debian's Chromium (playwright-core):
 * - re-validate + re-trace after a keystroke: p95 ≤ 16 ms for the shipped examples, ≤ 50 ms for a
 *   200-object sandbox (the engine worker's round trip as the page sees it);
 * - first load ≤ 1 s on localhost, with ≤ 400 KB of gzipped JavaScript on the critical path.
 * Numbers go to BENCHMARKS.md. Run with `npm run bench:web` (part of `npm run bench`).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { machineDescription, recordBenchmark } from '../../../libs/engine/bench/record';
import { exerciseStart } from '../src/pages/exercise-start';
import { launchChromium } from '../e2e/browser';
import { buildPageAndApi, REPO_ROOT, startApi } from '../e2e/harness';
import { sandbox200 } from './sandbox-200';

const ITERATIONS = 200;
const LOADS = 7;
const WEB_DIR = path.join(REPO_ROOT, 'dist/apps/web');
const BENCH_DIR = path.join(REPO_ROOT, 'dist/apps/web-bench');

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (value: number) => `${value.toFixed(1)} ms`;

function buildBenchPage(): void {
  const result = spawnSync(
    'npx',
    ['vite', 'build', '--config', 'apps/web/bench/vite.bench.config.ts', '--logLevel', 'warn'],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    },
  );
  if (result.status !== 0)
    throw new Error(`bench page build failed:\n${result.stdout}${result.stderr}`);
}

function serveStatic(root: string): Promise<{ server: Server; url: string }> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
  };
  const server = createServer((request, response) => {
    const file = path.join(
      root,
      path.normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)),
    );
    if (!file.startsWith(root)) return response.writeHead(403).end();
    try {
      const body = readFileSync(file);
      response
        .writeHead(200, { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' })
        .end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

/** The JavaScript index.html loads before anything runs: its module script and modulepreloads. */
function criticalPathJs(): { files: string[]; gzipBytes: number; lazyGzipBytes: number } {
  const html = readFileSync(path.join(WEB_DIR, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const gz = (file: string) => gzipSync(readFileSync(path.join(WEB_DIR, file))).length;
  const lazy = readdirSync(path.join(WEB_DIR, 'assets'))
    .map((f) => `assets/${f}`)
    .filter((f) => f.endsWith('.js') && !files.includes(f));
  return {
    files,
    gzipBytes: files.reduce((sum, f) => sum + gz(f), 0),
    lazyGzipBytes: lazy.reduce((sum, f) => sum + gz(f), 0),
  };
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg()[0];
  buildPageAndApi();
  buildBenchPage();
  const api = await startApi();
  const bench = await serveStatic(BENCH_DIR);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${bench.url}/keystroke.html`);
    await page.waitForFunction(() => 'runKeystrokeBench' in window);
    const cases: {
      name: string;
      manifests: string;
      clusterSettings?: Record<string, unknown>;
      probe: { from: string; to: string; host?: string };
      target: number;
    }[] = [
      {
        name: 'examples/manifests/website.yaml',
        manifests: readFileSync(path.join(REPO_ROOT, 'examples/manifests/website.yaml'), 'utf8'),
        probe: { from: 'default/client', to: 'http://website.default/' },
        target: 16,
      },
      {
        name: 'examples/manifests/website-nodeport.yaml',
        manifests: readFileSync(
          path.join(REPO_ROOT, 'examples/manifests/website-nodeport.yaml'),
          'utf8',
        ),
        probe: { from: 'external', to: 'http://172.18.0.3:30080/' },
        target: 16,
      },
      ...['default-deny-selective-allow', 'host-and-path-ingress'].map((slug) => {
        const start = exerciseStart(
          readFileSync(path.join(REPO_ROOT, `exercises/${slug}.yaml`), 'utf8'),
        );
        return {
          name: `exercises/${slug}.yaml (starting sandbox)`,
          manifests: start.startingManifests,
          clusterSettings: start.cluster,
          probe:
            slug === 'host-and-path-ingress'
              ? {
                  from: 'default/client',
                  to: 'http://ingress-nginx-controller.ingress-nginx/',
                  host: 'www.example.com',
                }
              : { from: 'shop/frontend', to: 'http://api.shop:8080/' },
          target: 16,
        };
      }),
      {
        name: '200-object sandbox (80 Deployments × 2, 80 Services, 39 policies, client)',
        ...sandbox200(),
        target: 50,
      },
    ];
    const rows: [string, string, string][] = [];
    for (const c of cases) {
      const result = await page.evaluate(
        (input) =>
          (
            window as unknown as {
              runKeystrokeBench(
                i: unknown,
              ): Promise<{ roundTrip: number[]; engine: number[]; verdict: string }>;
            }
          ).runKeystrokeBench(input),
        {
          manifests: c.manifests,
          clusterSettings: c.clusterSettings,
          probe: c.probe,
          iterations: ITERATIONS,
        },
      );
      rows.push([
        `keystroke → re-validate + re-trace, ${c.name}: p50 / p95 round trip (engine p95), ${ITERATIONS} edits, verdict ${result.verdict}`,
        `${ms(percentile(result.roundTrip, 50))} / ${ms(percentile(result.roundTrip, 95))} (${ms(percentile(result.engine, 95))})`,
        `p95 ≤ ${c.target} ms`,
      ]);
    }

    const loads: { dom: number; picture: number; verdict: number }[] = [];
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript(
        (key) => sessionStorage.setItem('netplay.token', key),
        api.apiKey,
      );
      const loadPage = await context.newPage();
      await loadPage.goto(
        `${api.url}/sandboxes/${api.websiteSandboxId}?from=default%2Fclient&to=http%3A%2F%2Fwebsite.default%2F`,
      );
      await loadPage.locator('svg.picture').waitFor({ timeout: 30_000 });
      const picture = await loadPage.evaluate(() => performance.now());
      await loadPage.locator('[role="status"].verdict-delivered').waitFor({ timeout: 30_000 });
      const verdict = await loadPage.evaluate(() => performance.now());
      const dom = await loadPage.evaluate(
        () =>
          (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming)
            .domContentLoadedEventEnd,
      );
      loads.push({ dom, picture, verdict });
      await context.close();
    }
    // The first load of a fresh browser compiles everything; the median is the typical one.
    const median = (key: 'dom' | 'picture' | 'verdict') =>
      percentile(
        loads.map((l) => l[key]),
        50,
      );
    const worst = (key: 'dom' | 'picture' | 'verdict') => Math.max(...loads.map((l) => l[key]));
    rows.push([
      `first load on localhost, website sandbox, fresh browser context each (${LOADS} loads): DOMContentLoaded, median`,
      ms(median('dom')),
      '',
    ]);
    rows.push([
      '  picture drawn (sandbox fetched, engine worker started, cluster built): median / worst',
      `${ms(median('picture'))} / ${ms(worst('picture'))}`,
      '≤ 1 s',
    ]);
    rows.push([
      '  probe traced and verdict shown: median / worst',
      `${ms(median('verdict'))} / ${ms(worst('verdict'))}`,
      '≤ 1 s',
    ]);
    const js = criticalPathJs();
    rows.push([
      `gzipped JavaScript on the critical path (${js.files.join(', ')})`,
      `${(js.gzipBytes / 1024).toFixed(1)} KB`,
      '≤ 400 KB',
    ]);
    rows.push([
      '  loaded after first paint (engine worker, CodeMirror editor), gzipped',
      `${(js.lazyGzipBytes / 1024).toFixed(1)} KB`,
      '',
    ]);
    rows.push([
      'machine load average (1 min) before / after; above the CPU count, other work competed for the CPUs',
      `${loadBefore.toFixed(1)} / ${os.loadavg()[0].toFixed(1)}`,
      '',
    ]);
    const machine = `${machineDescription()}, ${chromiumVersion()}`;
    recordBenchmark('Playground page in Chromium', machine, rows);
    for (const row of rows) console.log(`${row[0]}: ${row[1]} (${row[2] || 'no target'})`);
  } finally {
    await browser.close();
    await api.stop();
    bench.server.close();
  }
}

function chromiumVersion(): string {
  const result = spawnSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' });
  return (result.stdout || 'Chromium').trim().split('\n').pop() ?? 'Chromium';
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
