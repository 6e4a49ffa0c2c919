// Everything one fault suite runs against, all its own: a throwaway PostgreSQL cluster and Redis
// (which the tests kill, restart and flush), the compiled API and workers as child processes
// (test/e2e/harness), a webhook receiver on 127.0.0.2 (the one address the SSRF guard is told to
// allow) and a canary on 127.0.0.1 that must never receive a request.
import { FAILPOINT_ENV, FAILPOINTS } from '@netplay/queue';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mapBounded } from '../../e2e/harness/bounded';
import { REPO_ROOT } from '../../e2e/harness/service-process';
import { ServiceStack } from '../../e2e/harness/service-stack';
import { ThrowawayPostgres } from './throwaway-postgres';
import { ThrowawayRedis } from './throwaway-redis';
import { WebhookReceiver } from './webhook-receiver';

export const WEBSITE_MANIFESTS = readFileSync(
  path.join(REPO_ROOT, 'examples/manifests/website.yaml'),
  'utf8',
);
export const PROBE_STEPS = [
  { probe: { from: 'default/client', to: 'http://website.default/' } },
] as const;

/**
 * A run with engine work of its own (scaling the website Deployment to the engine's limit of
 * 1 000 replicas, then probing it 150 times: about 0.2 s). A worker started with SLOW_RUN_ENV
 * holds it for seconds first, so a test can kill, stop or pause the worker while it runs.
 */
export const SLOW_STEPS = [
  { scale: { deployment: 'website', replicas: 1_000 } },
  ...Array.from({ length: 150 }, () => ({
    probe: { from: 'default/client', to: 'http://website.default/' },
  })),
] as const;

/**
 * The input that used to kill workers: a scale step to a billion replicas (the engine built pods
 * until the heap ran out). The engine's creation limits now refuse it.
 */
export const POISON_STEPS = [
  { scale: { deployment: 'website', replicas: 1_000_000_000 } },
] as const;

/** A worker that holds each run it claims for SLOW_RUN_HOLD_MS before the engine (libs/queue failpoint.ts). */
export const SLOW_RUN_ENV: NodeJS.ProcessEnv = { [FAILPOINT_ENV]: FAILPOINTS.slowRun };

/** The worker settings of the fault suite: a dead worker's jobs come back within seconds. */
export const FAULT_WORKER_ENV: NodeJS.ProcessEnv = {
  WORKER_CONCURRENCY: '4',
  WORKER_LOCK_DURATION_MS: '5000',
  WORKER_STALLED_INTERVAL_MS: '1000',
  WORKER_RECONCILE_INTERVAL_MS: '1000',
  WORKER_RECONCILE_MIN_AGE_MS: '3000',
};

/** A heap small enough that the poisonous run exhausts it in seconds, not gigabytes later. */
export const WORKER_HEAP_ARGS = ['--max-old-space-size=160'];

export class FaultStack {
  private constructor(
    readonly postgres: ThrowawayPostgres,
    readonly redis: ThrowawayRedis,
    readonly service: ServiceStack,
    readonly receiver: WebhookReceiver,
    readonly canary: WebhookReceiver,
  ) {}

  static async start(options: { workers: number }): Promise<FaultStack> {
    const postgres = await ThrowawayPostgres.create();
    const redis = await ThrowawayRedis.create().catch(async (error: unknown) => {
      await postgres.destroy();
      throw error;
    });
    const receiver = await WebhookReceiver.start('127.0.0.2');
    const canary = await WebhookReceiver.start('127.0.0.1');
    const shared: NodeJS.ProcessEnv = {
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.2',
      NETPLAY_SECRET_KEY: randomBytes(32).toString('base64'),
      // Failed deliveries come back within a second, not minutes.
      NETPLAY_WEBHOOK_RETRY_DELAYS_MS: '300,300,300,300,300,300,300,300',
    };
    try {
      const service = await ServiceStack.start({
        databaseServerUrl: postgres.url,
        redisUrl: redis.url,
        workers: 0,
        apiEnv: shared,
        workerEnv: { ...FAULT_WORKER_ENV, ...shared },
        nodeArgs: [],
      });
      const stack = new FaultStack(postgres, redis, service, receiver, canary);
      for (let index = 0; index < options.workers; index += 1) await stack.startWorker();
      return stack;
    } catch (error) {
      await Promise.all([receiver.close(), canary.close(), redis.destroy(), postgres.destroy()]);
      throw error;
    }
  }

  startWorker(env: NodeJS.ProcessEnv = {}, nodeArgs: readonly string[] = []) {
    return this.service.startWorker(env, [...WORKER_HEAP_ARGS, ...nodeArgs]);
  }

  /** A tenant with its key and a sandbox of the website example. */
  async tenant(name: string): Promise<Tenant> {
    const key = await this.service.createTenantKey(`${name}-${randomBytes(3).toString('hex')}`);
    const created = await this.service.request<{ id: string }>(
      'POST',
      '/v1/sandboxes',
      { name: 'website', manifests: WEBSITE_MANIFESTS },
      key,
    );
    if (created.status !== 201)
      throw new Error(`sandbox answered ${created.status}: ${JSON.stringify(created.body)}`);
    return { name, key, sandboxId: created.body.id };
  }

  /** Subscribes the tenant to `run.completed` at `url`; answers the endpoint's id. */
  async subscribe(tenant: Tenant, url: string): Promise<string> {
    const created = await this.service.request<{ id: string }>(
      'POST',
      '/v1/webhook-endpoints',
      { url, eventTypes: ['run.completed'] },
      tenant.key,
    );
    if (created.status !== 201)
      throw new Error(
        `webhook endpoint answered ${created.status}: ${JSON.stringify(created.body)}`,
      );
    return created.body.id;
  }

  async submit(
    tenant: Tenant,
    steps: readonly unknown[] = PROBE_STEPS,
    idempotencyKey?: string,
  ): Promise<{ status: number; body: { id?: string; code?: string } }> {
    const response = await fetch(`${this.service.apiUrl}/v1/sandboxes/${tenant.sandboxId}/runs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tenant.key}`,
        'content-type': 'application/json',
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body: JSON.stringify({ steps }),
    });
    const text = await response.text();
    let body: { id?: string; code?: string } = {};
    try {
      body = text ? (JSON.parse(text) as typeof body) : {};
    } catch {
      body = { code: `not JSON: ${text.slice(0, 200)}` };
    }
    return { status: response.status, body };
  }

  /** Submits `count` runs, `concurrency` at a time; every one must be accepted (202). */
  async submitMany(
    tenant: Tenant,
    count: number,
    steps: readonly unknown[] = PROBE_STEPS,
    concurrency = 10,
  ): Promise<string[]> {
    return mapBounded(Array.from({ length: count }), concurrency, async () => {
      const submitted = await this.submit(tenant, steps);
      if (submitted.status !== 202 || !submitted.body.id)
        throw new Error(`submit answered ${submitted.status}: ${JSON.stringify(submitted.body)}`);
      return submitted.body.id;
    });
  }

  async runStatus(id: string): Promise<string | undefined> {
    const { rows } = await this.service.sql.query<{ status: string }>(
      'SELECT status FROM run WHERE id = $1',
      [id],
    );
    return rows[0]?.status;
  }

  diagnostics(): string {
    return `${this.service.diagnostics()}\n--- postgres ---\n${this.postgres.output()}`;
  }

  async stop(): Promise<void> {
    // The databases must answer for the stack to drop its own; bring them back if a test left
    // them down.
    await this.redis.start().catch(() => undefined);
    await this.postgres.start().catch(() => undefined);
    await this.service.stop().catch(() => undefined);
    await Promise.all([this.receiver.close(), this.canary.close()]);
    await this.redis.destroy();
    await this.postgres.destroy();
  }
}

export interface Tenant {
  name: string;
  key: string;
  sandboxId: string;
}
