// The hosted service as it runs in production, on this machine: a fresh PostgreSQL database, a
// unique BullMQ prefix in the machine's Redis, the API and N workers as compiled child processes.
// Tests talk to it over REST and check the database and Redis directly.
import {
  createMigratedPostgresDatabase,
  type TestPostgresDatabase,
  waitFor,
} from '@netplay/testing';
import { QUEUE_NAMES } from '@netplay/contracts';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Pool } from 'pg';
import { API_MAIN, freePort, ServiceProcess, WORKER_MAIN } from './service-process';

const ADMIN_KEY = `e2e-admin-${randomBytes(12).toString('hex')}`;
// Starting Nest takes seconds; on a loaded 2-core machine running other suites, tens of them.
const READY_TIMEOUT_MS = 90_000;

export interface StackOptions {
  databaseServerUrl: string;
  redisUrl: string;
  workers: number;
  /** Extra environment for every worker (e.g. short lock and reconcile intervals). */
  workerEnv?: NodeJS.ProcessEnv;
  /** Extra environment for the API (e.g. NODE_ENV=production, shutdown timings, the SSRF allowlist of a test's webhook receiver). */
  apiEnv?: NodeJS.ProcessEnv;
  /** Extra environment for the API and every worker (e.g. the webhook settings). */
  env?: NodeJS.ProcessEnv;
  /** Node options for the API and every worker (the bench's CPU profiles). */
  nodeArgs?: readonly string[];
  /** A folder for each process's whole output (`api.log`, `worker-1.log`, …). */
  logDir?: string;
}

export interface RunRow {
  id: string;
  status: string;
  attempts: number;
  enqueue_count: number;
  error: string | null;
}

export class ServiceStack {
  readonly workers: ServiceProcess[] = [];
  private constructor(
    readonly options: StackOptions,
    readonly database: TestPostgresDatabase,
    readonly prefix: string,
    public api: ServiceProcess,
    readonly apiUrl: string,
    readonly sql: Pool,
    readonly redis: IORedis,
    readonly queue: Queue,
  ) {}

  static async start(options: StackOptions): Promise<ServiceStack> {
    const database = await createMigratedPostgresDatabase(options.databaseServerUrl);
    const prefix = `netplay-e2e-${process.pid}-${randomBytes(4).toString('hex')}`;
    const port = await freePort();
    const api = startApi(options, database.url, prefix, port);
    const stack = new ServiceStack(
      options,
      database,
      prefix,
      api,
      `http://127.0.0.1:${port}`,
      new Pool({ connectionString: database.url, max: 4 }),
      new IORedis(options.redisUrl, { maxRetriesPerRequest: 1 }),
      new Queue(QUEUE_NAMES.scenario, { connection: { url: options.redisUrl }, prefix }),
    );
    // Fault suites kill PostgreSQL and Redis under these clients: the next query fails and says
    // so, and an idle connection's error must not become an uncaught exception.
    stack.sql.on('error', () => undefined);
    stack.redis.on('error', () => undefined);
    stack.queue.on('error', () => undefined);
    try {
      await waitFor(
        'the API to answer /readyz with 200',
        async () => (await fetch(`${stack.apiUrl}/readyz`)).status === 200,
        { timeoutMs: READY_TIMEOUT_MS, everyMs: 200 },
      );
      for (let index = 0; index < options.workers; index += 1) await stack.startWorker();
    } catch (error) {
      const output = [api, ...stack.workers]
        .map((service) => `--- ${service.name} ---\n${service.output()}`)
        .join('\n');
      await stack.stop();
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${output}`);
    }
    return stack;
  }

  /**
   * Starts a new API process on the same port (the last one must have exited: killed, or ended
   * by a failpoint) and waits for /readyz; `env` is added to the stack's API environment.
   */
  async restartApi(
    env: NodeJS.ProcessEnv = {},
    options: { waitReady?: boolean } = {},
  ): Promise<ServiceProcess> {
    await this.api.kill();
    const port = Number(new URL(this.apiUrl).port);
    this.api = startApi(
      { ...this.options, apiEnv: { ...this.options.apiEnv, ...env } },
      this.database.url,
      this.prefix,
      port,
    );
    if (options.waitReady === false) return this.api;
    await waitFor(
      'the restarted API to answer /readyz with 200',
      async () => (await fetch(`${this.apiUrl}/readyz`)).status === 200,
      { timeoutMs: READY_TIMEOUT_MS, everyMs: 200 },
    );
    return this.api;
  }

  /**
   * Starts one more worker and waits until it serves /healthz (it is consuming by then); `env` and
   * `nodeArgs` are added to the stack's worker settings for this one.
   */
  async startWorker(
    env: NodeJS.ProcessEnv = {},
    nodeArgs: readonly string[] = [],
  ): Promise<ServiceProcess> {
    const metricsPort = await freePort();
    const name = `worker-${this.workers.length + 1}`;
    const worker = ServiceProcess.start(
      name,
      WORKER_MAIN,
      {
        NETPLAY_DATABASE_URL: this.database.url,
        NETPLAY_REDIS_URL: this.options.redisUrl,
        NETPLAY_QUEUE_PREFIX: this.prefix,
        NETPLAY_WORKER_METRICS_PORT: String(metricsPort),
        ...this.options.env,
        ...this.options.workerEnv,
        ...env,
      },
      [...(this.options.nodeArgs ?? []), ...nodeArgs],
      logFileIn(this.options.logDir, name),
    );
    this.workers.push(worker);
    // A worker that refuses to start fails this at once, with its last lines.
    const exited = worker.whenExited().then((code) => {
      throw new Error(
        `${worker.name} exited with ${code} before serving /healthz:\n${worker.output().slice(-2_000)}`,
      );
    });
    await Promise.race([
      waitFor(
        `${worker.name} to serve /healthz`,
        async () => (await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).ok,
        { timeoutMs: READY_TIMEOUT_MS, everyMs: 200 },
      ),
      exited,
    ]);
    return worker;
  }

  /** A tenant of its own and an API key for it, through the admin endpoints. */
  async createTenantKey(name: string): Promise<string> {
    return (await this.createTenant(name)).key;
  }

  /** A tenant of its own, its id and an API key for it, through the admin endpoints. */
  async createTenant(name: string): Promise<{ tenantId: string; key: string }> {
    const tenant = await this.request<{ id: string }>(
      'POST',
      '/v1/admin/tenants',
      { name },
      ADMIN_KEY,
    );
    const key = await this.request<{ key: string }>(
      'POST',
      `/v1/admin/tenants/${tenant.body.id}/api-keys`,
      { name: 'e2e' },
      ADMIN_KEY,
    );
    return { tenantId: tenant.body.id, key: key.body.key };
  }

  /** Gives a tenant its own work budget (null: the deployment's), as an operator would. */
  async setTenantRateLimit(
    tenantId: string,
    budget: { perMinute: number | null; burst: number | null },
  ): Promise<void> {
    const answer = await this.request(
      'PUT',
      `/v1/admin/tenants/${tenantId}/rate-limit`,
      budget,
      ADMIN_KEY,
    );
    if (answer.status !== 200)
      throw new Error(`setting the rate limit of ${tenantId} answered ${answer.status}`);
  }

  async request<T>(
    method: string,
    path: string,
    body: unknown,
    key: string,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async runs(ids: readonly string[]): Promise<RunRow[]> {
    const { rows } = await this.sql.query<RunRow>(
      'SELECT id, status, attempts, enqueue_count, error FROM run WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return rows;
  }

  /** Result rows per run id (the primary key makes more than one impossible; counted anyway). */
  async resultCounts(ids: readonly string[]): Promise<Map<string, number>> {
    const { rows } = await this.sql.query<{ run_id: string; n: string }>(
      'SELECT run_id, count(*) AS n FROM run_result WHERE run_id = ANY($1::uuid[]) GROUP BY run_id',
      [ids],
    );
    return new Map(rows.map((row) => [row.run_id, Number(row.n)]));
  }

  async waitUntilTerminal(ids: readonly string[], timeoutMs: number): Promise<RunRow[]> {
    return waitFor(
      `${ids.length} runs to be terminal`,
      async () => {
        const rows = await this.runs(ids);
        return rows.length === ids.length &&
          rows.every((row) => row.status === 'succeeded' || row.status === 'failed')
          ? rows
          : undefined;
      },
      { timeoutMs, everyMs: 250 },
    );
  }

  /** Deletes every Redis key of this deployment's queue, as if Redis had lost its data. */
  async flushQueueKeys(): Promise<number> {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(
        cursor,
        'MATCH',
        `${this.prefix}:*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length > 0) deleted += await this.redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  }

  /** Every job id the queue holds, in any state. */
  async jobIds(): Promise<string[]> {
    const jobs = await this.queue.getJobs([
      'completed',
      'failed',
      'active',
      'waiting',
      'delayed',
      'prioritized',
    ]);
    return jobs.map((job) => job.id ?? '');
  }

  diagnostics(): string {
    return [this.api, ...this.workers]
      .map((service) => `--- ${service.name} (pid ${service.pid}) ---\n${service.output()}`)
      .join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all([this.api, ...this.workers].map((service) => service.stop()));
    await this.queue.obliterate({ force: true }).catch(() => undefined);
    await this.queue.close();
    await this.flushQueueKeys().catch(() => undefined);
    this.redis.disconnect();
    await this.sql.end();
    await this.database.drop();
  }
}

function startApi(
  options: StackOptions,
  databaseUrl: string,
  prefix: string,
  port: number,
): ServiceProcess {
  return ServiceProcess.start(
    'api',
    API_MAIN,
    {
      NETPLAY_PORT: String(port),
      NETPLAY_DATABASE_URL: databaseUrl,
      NETPLAY_REDIS_URL: options.redisUrl,
      NETPLAY_QUEUE_PREFIX: prefix,
      NETPLAY_ADMIN_KEY: ADMIN_KEY,
      // The burst comes from one API key; rate limiting has its own tests.
      NETPLAY_RATE_LIMIT_PER_MINUTE: '1000000',
      ...options.env,
      ...options.apiEnv,
    },
    options.nodeArgs,
    logFileIn(options.logDir, 'api'),
  );
}

function logFileIn(dir: string | undefined, name: string): string | undefined {
  return dir === undefined ? undefined : path.join(dir, `${name}.log`);
}
