// A server process the fault suite starts in a process group of its own, so that a SIGKILL reaches
// the server and every child it forked (PostgreSQL's backends) at once, by the group's id, as a
// crash of the machine would. Output is kept for failure messages.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const KEPT_LINES = 100;

export class OwnedProcess {
  private readonly lines: string[] = [];
  private readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line) this.lines.push(line);
      this.lines.splice(0, Math.max(0, this.lines.length - KEPT_LINES));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  static start(
    name: string,
    command: string,
    args: readonly string[],
    options: Pick<SpawnOptions, 'uid' | 'gid' | 'env' | 'cwd'> = {},
  ): OwnedProcess {
    const child = spawn(command, args, {
      ...options,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new OwnedProcess(name, child);
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

  /** Sends `signal` to the whole process group (the server and what it forked). */
  signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch (error) {
      // ESRCH: the group is already gone.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  /** SIGKILL to the group; resolves once the group's leader has exited. */
  async kill(): Promise<void> {
    this.signalGroup('SIGKILL');
    await this.exited;
  }

  /** A graceful signal to the leader, then SIGKILL to the group after `graceMs`. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (!this.running) {
      this.signalGroup('SIGKILL');
      return;
    }
    this.child.kill(signal);
    const timer = setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
    // Children a crash left behind (none after a clean stop).
    this.signalGroup('SIGKILL');
  }
}
