// A redis-server of the suite's own on a spare port, with AOF (`appendfsync everysec`, as the
// service's compose file runs it) in a temporary folder: a test may SIGKILL it and start it again
// on the same port and data, or flush it. The machine's shared Redis is never touched.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import IORedis from 'ioredis';
import { freePort } from '../../e2e/harness/service-process';
import { waitFor } from '@netplay/testing';
import { OwnedProcess } from './owned-process';

export class ThrowawayRedis {
  private server?: OwnedProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async create(): Promise<ThrowawayRedis> {
    const redis = new ThrowawayRedis(
      await freePort(),
      mkdtempSync(path.join(tmpdir(), 'netplay-fault-redis-')),
    );
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server?.running ?? false;
  }

  async start(): Promise<void> {
    if (this.server?.running) return;
    const server = OwnedProcess.start('redis-server', 'redis-server', [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      // The only policy BullMQ is correct under (docs/architecture.md).
      '--maxmemory-policy',
      'noeviction',
    ]);
    this.server = server;
    await waitFor(
      `the throwaway redis-server on port ${this.port} to answer PING`,
      async () => {
        if (!server.running) throw new Error(`redis-server exited:\n${server.output()}`);
        return (await this.command((client) => client.ping())) === 'PONG';
      },
      { timeoutMs: 30_000, everyMs: 50 },
    );
  }

  async kill(): Promise<void> {
    await this.server?.kill();
  }

  /** Every key of every database gone, as after a failover to an empty replica. */
  async flushAll(): Promise<void> {
    await this.command((client) => client.flushall());
  }

  /** `CONFIG SET maxmemory-policy`, as a misconfigured deployment would have it. */
  async setEvictionPolicy(policy: string): Promise<void> {
    await this.command((client) => client.config('SET', 'maxmemory-policy', policy));
  }

  async destroy(): Promise<void> {
    await this.server?.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async command<T>(run: (client: IORedis) => Promise<T>): Promise<T> {
    const client = new IORedis(this.url, {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await run(client);
    } finally {
      client.disconnect();
    }
  }
}
