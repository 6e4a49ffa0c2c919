// A compiled service (API or worker) as a child process: its output is kept for the failure
// message (and, when asked, written to a file), and it can be stopped gracefully (SIGTERM) or
// killed (SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const API_MAIN = path.join(REPO_ROOT, 'dist/apps/api/apps/api/src/main.js');
export const WORKER_MAIN = path.join(REPO_ROOT, 'dist/apps/worker/apps/worker/src/main.js');

/** Output lines kept per process: enough to explain a failure without flooding the report. */
const KEPT_LINES = 200;

export class ServiceProcess {
  private readonly lines: string[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    logFile?: string,
  ) {
    // Each line prefixed with the time it arrived (epoch ms), to line it up with other timelines.
    const log = logFile === undefined ? undefined : createWriteStream(logFile, { flags: 'a' });
    const keep = (chunk: Buffer) => {
      const arrived = Date.now();
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        this.lines.push(line);
        log?.write(`${arrived} ${line}\n`);
      }
      this.lines.splice(0, Math.max(0, this.lines.length - KEPT_LINES));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    // 'close' comes after the last output, where 'exit' may come before it.
    if (log) child.once('close', () => log.end());
  }

  /**
   * `nodeArgs` go to Node itself, e.g. `--cpu-prof`, which NODE_OPTIONS does not accept;
   * `logFile` receives all the process's output.
   */
  static start(
    name: string,
    main: string,
    env: NodeJS.ProcessEnv,
    nodeArgs: readonly string[] = [],
    logFile?: string,
  ): ServiceProcess {
    if (!existsSync(main))
      throw new Error(
        `${main} is missing: build it first (npm run build:api && npm run build:worker)`,
      );
    const child = spawn(process.execPath, [...nodeArgs, main], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(name, child, logFile);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    return this.lines.join('\n');
  }

  /** SIGTERM and wait for the exit (the worker finishes its jobs in progress first). */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (!this.running) return this.child.exitCode;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a signal without waiting (SIGSTOP/SIGCONT pause and resume it, as a long stall would). */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** Resolves with the exit code (null after a signal) once the process has exited. */
  whenExited(): Promise<number | null> {
    return this.exited;
  }

  /** SIGKILL: the process dies at once, its jobs in progress are abandoned. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
