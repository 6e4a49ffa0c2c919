// A PostgreSQL cluster of the suite's own (initdb in a temporary folder, a spare port), which a test
// may SIGKILL — postmaster and backends at once — and start again on the same port and data. The
// machine's shared server is never touched. PostgreSQL refuses to run as root, so when the suite
// runs as root the cluster belongs to the `postgres` user.
import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../e2e/harness/service-process';
import { waitFor } from '@netplay/testing';
import { OwnedProcess } from './owned-process';

const BIN_DIR = process.env.NETPLAY_POSTGRES_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
const START_TIMEOUT_MS = 60_000;

interface RunAs {
  uid: number;
  gid: number;
}

export class ThrowawayPostgres {
  private server?: OwnedProcess;

  private constructor(
    readonly port: number,
    private readonly dataDir: string,
    private readonly baseDir: string,
    private readonly runAs: RunAs | undefined,
  ) {}

  /** initdb, then start; the folder is removed by destroy(). */
  static async create(): Promise<ThrowawayPostgres> {
    const baseDir = mkdtempSync(path.join(tmpdir(), 'netplay-fault-pg-'));
    const runAs = process.getuid?.() === 0 ? postgresUser() : undefined;
    if (runAs) chownSync(baseDir, runAs.uid, runAs.gid);
    const dataDir = path.join(baseDir, 'data');
    const initdb = spawnSync(
      path.join(BIN_DIR, 'initdb'),
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
      { ...runAs, encoding: 'utf8' },
    );
    if (initdb.status !== 0)
      throw new Error(`initdb failed (${initdb.status}): ${initdb.stderr || initdb.error}`);
    const postgres = new ThrowawayPostgres(await freePort(), dataDir, baseDir, runAs);
    await postgres.start();
    return postgres;
  }

  /** The server's maintenance database; tests create their own databases next to it. */
  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get running(): boolean {
    return this.server?.running ?? false;
  }

  async start(): Promise<void> {
    if (this.server?.running) return;
    this.server = OwnedProcess.start(
      'postgres',
      path.join(BIN_DIR, 'postgres'),
      [
        '-D',
        this.dataDir,
        '-p',
        String(this.port),
        '-k',
        this.baseDir,
        '-c',
        'listen_addresses=127.0.0.1',
        // A crash of the processes, not of the machine, is what the suite injects: the operating
        // system keeps what was written, so fsync buys nothing here. Commits stay synchronous,
        // so nothing the API acknowledged is lost when the processes die.
        '-c',
        'fsync=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'shared_buffers=32MB',
        '-c',
        'max_connections=200',
      ],
      this.runAs ?? {},
    );
    const server = this.server;
    await waitFor(
      `the throwaway PostgreSQL on port ${this.port} to accept connections`,
      async () => {
        if (!server.running) throw new Error(`postgres exited:\n${server.output()}`);
        const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 2_000 });
        client.on('error', () => undefined);
        try {
          await client.connect();
          await client.query('SELECT 1');
          return true;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      { timeoutMs: START_TIMEOUT_MS, everyMs: 100 },
    );
  }

  /** SIGKILL to the postmaster and every backend: a crash, recovered from the WAL on start(). */
  async kill(): Promise<void> {
    await this.server?.kill();
  }

  /** Fast shutdown and the data folder removed. */
  async destroy(): Promise<void> {
    await this.server?.stop('SIGINT');
    rmSync(this.baseDir, { recursive: true, force: true });
  }

  output(): string {
    return this.server?.output() ?? '';
  }
}

function postgresUser(): RunAs {
  const id = (flag: string) => {
    const result = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error('running as root needs a `postgres` user to own the throwaway cluster');
    return Number(result.stdout.trim());
  };
  return { uid: id('-u'), gid: id('-g') };
}
