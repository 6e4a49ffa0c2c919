// A redis-server of the suite's own on a spare port (no persistence), which the suite may stop and
// start again on the same port: the machine's shared Redis is never touched.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { probeRedis } from '@netplay/queue';
import { withTimeout } from './wait';

export class ThrowawayRedis {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<ThrowawayRedis> {
    const redis = new ThrowawayRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    await withTimeout(this.untilPing(child), 15_000, `redis-server on port ${this.port}`);
  }

  /** SIGKILL, and waits for the process to be gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  private async untilPing(child: ChildProcess): Promise<void> {
    for (;;) {
      if (child.exitCode !== null) throw new Error('redis-server exited');
      const answered = await probeRedis(this.url).then(
        () => true,
        () => false,
      );
      if (answered) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
