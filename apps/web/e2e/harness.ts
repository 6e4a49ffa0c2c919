/**
 * What the browser tests stand on: the page built from the current sources, the compiled API
 * started as a real process in embedded mode (its own data folder and port), a second origin to
 * frame the embed page from, and axe-core run inside the page.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test-output/web');
const API_MAIN = path.join(REPO_ROOT, 'dist/apps/api/apps/api/src/main.js');
export const ADMIN_KEY = 'browser-tests-admin-key';

/** Builds the page (a few seconds with Vite), and the API when it was not built yet. */
export function buildPageAndApi(): void {
  const run = (script: string) => {
    const result = spawnSync('npm', ['run', script], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`npm run ${script} failed:\n${result.stdout}\n${result.stderr}`);
  };
  run('build:web');
  if (!existsSync(API_MAIN)) run('build:api');
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
}

export interface RunningApi {
  url: string;
  apiKey: string;
  tenantId: string;
  websiteSandboxId: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts the compiled API in embedded mode and waits (bounded) until it has printed its key. The
 * embedded database migrates and seeds on start, which takes tens of seconds on a busy machine.
 */
export async function startApi(timeoutMs = 180_000): Promise<RunningApi> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'netplay-web-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NETPLAY_PORT: String(port),
    NETPLAY_DATA_DIR: path.join(dataDir, 'pglite'),
    NETPLAY_ADMIN_KEY: ADMIN_KEY,
    NETPLAY_RATE_LIMIT_PER_MINUTE: '100000',
    NO_COLOR: '1',
  };
  // Embedded mode: no PostgreSQL or Redis under either name.
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'NETPLAY_DATABASE_URL', 'NETPLAY_REDIS_URL'])
    delete env[name];
  const child: ChildProcess = spawn(process.execPath, [API_MAIN], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (!/listening on http/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the API did not start within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The API logs JSON lines; what it tells the developer is each line's `msg`.
  const messages = output
    .split('\n')
    .map((line) => {
      try {
        return String((JSON.parse(line) as { msg?: unknown }).msg ?? line);
      } catch {
        return line;
      }
    })
    .join('\n');
  const tenantId = /created the development tenant ([0-9a-f-]{36})/.exec(messages)?.[1];
  const websiteSandboxId = /created the example sandbox "website" \(([0-9a-f-]{36})\)/.exec(
    messages,
  )?.[1];
  if (!tenantId || !websiteSandboxId) {
    await stop();
    throw new Error(`the API did not create its development data:\n${output}`);
  }
  const apiKey = readFileSync(path.join(dataDir, 'development-api-key'), 'utf8').trim();
  return { url: `http://localhost:${port}`, apiKey, tenantId, websiteSandboxId, stop };
}

/** A page on another origin (127.0.0.1 instead of localhost, its own port) that frames `src`. */
export async function startFramingSite(): Promise<{
  origin: string;
  server: Server;
  frame(src: string): string;
}> {
  const server = createServer((request, response) => {
    const src = new URL(request.url ?? '/', 'http://x').searchParams.get('src') ?? '';
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    response.end(
      `<!doctype html><html lang="en"><head><title>A training platform</title></head><body>` +
        `<h1>Course page</h1><iframe title="netplay playground" src="${src.replace(/"/g, '&quot;')}" width="1200" height="760"></iframe></body></html>`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, server, frame: (src) => `${origin}/?src=${encodeURIComponent(src)}` };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical violations on the page (or frame) as it is now. The script is
 * evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
 */
export async function seriousViolations(page: Page | Frame): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } })
      .axe;
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function screenshotPath(name: string): string {
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}
