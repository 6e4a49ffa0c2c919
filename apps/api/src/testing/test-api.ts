import {
  createMigratedPostgresDatabase,
  type TestPostgresDatabase,
  removeTestQueue,
  uniqueQueuePrefix,
} from '@netplay/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types';
import { startGradingConsumers, webhookPublisher, type WebhookPublish } from '@netplay/jobs';
import { readApiConfig, type ApiConfig } from '../config/api-config';
import { createApiApp, type ApiApp } from '../create-app';

export const DATABASE_URL = process.env.DATABASE_URL;
export const REDIS_URL = process.env.REDIS_URL;
export const SERVICES_SKIP_REASON =
  'skipped: DATABASE_URL and REDIS_URL are not both set (CI sets them)';
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';

/** `describe` with PostgreSQL and Redis, otherwise `describe.skip` with the reason in the name. */
export function describeWithServices(name: string, suite: () => void): void {
  if (DATABASE_URL && REDIS_URL) describe(name, suite);
  else describe.skip(`${name} (${SERVICES_SKIP_REASON})`, suite);
}

export interface TestApi {
  api: ApiApp;
  http: App;
  config: ApiConfig;
  /** A new tenant and its API key, through the admin endpoints. */
  newTenant(): Promise<{ tenantId: string; apiKey: string; auth: { Authorization: string } }>;
  close(): Promise<void>;
}

/**
 * The API on a database and a queue prefix of its own (every queue: runs, grading, deliveries);
 * `close` drops both.
 */
export async function startTestApi(overrides: Partial<ApiConfig> = {}): Promise<TestApi> {
  if (!DATABASE_URL || !REDIS_URL) throw new Error(SERVICES_SKIP_REASON);
  const database: TestPostgresDatabase = await createMigratedPostgresDatabase(DATABASE_URL);
  const queuePrefix = overrides.queuePrefix ?? uniqueQueuePrefix();
  // Suites set webhook settings and NETPLAY_SECRET_KEY in process.env before starting the API.
  const { config: base } = readApiConfig(
    { ...process.env, NETPLAY_ADMIN_KEY: TEST_ADMIN_KEY },
    path.resolve(__dirname, '../../../..'),
  );
  const config: ApiConfig = {
    ...base,
    databaseUrl: database.url,
    redisUrl: REDIS_URL,
    // A rate given alone brings its own burst, as NETPLAY_RATE_LIMIT_PER_MINUTE does.
    rateLimitBurst: overrides.rateLimitPerMinute ?? base.rateLimitBurst,
    ...overrides,
    queuePrefix,
  };
  let api: ApiApp;
  try {
    api = await createApiApp(config, { queuePrefix, logger: false });
  } catch (error) {
    await database.drop();
    throw error;
  }
  const http = api.app.getHttpServer() as App;
  return {
    api,
    http,
    config,
    async newTenant() {
      const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
      const tenant = await request(http)
        .post('/v1/admin/tenants')
        .set(admin)
        .send({ name: `tenant-${randomUUID()}` })
        .expect(201);
      const key = await request(http)
        .post(`/v1/admin/tenants/${tenant.body.id}/api-keys`)
        .set(admin)
        .send({ name: 'test' })
        .expect(201);
      return {
        tenantId: tenant.body.id as string,
        apiKey: key.body.key as string,
        auth: { Authorization: `Bearer ${key.body.key}` },
      };
    },
    async close() {
      await api.close();
      await removeTestQueue(REDIS_URL as string, queuePrefix);
      await database.drop();
    },
  };
}

export interface EmbeddedTestApi {
  api: ApiApp;
  /** A scratch folder for the run's files (development key, data folder). */
  folder: string;
  close(): Promise<void>;
}

/** The API as `npm start` runs it without DATABASE_URL/REDIS_URL: in-memory PGlite and in-process queues. */
export async function startEmbeddedApi(): Promise<EmbeddedTestApi> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'netplay-api-'));
  const { config } = readApiConfig({}, folder);
  const api = await createApiApp(
    { ...config, dataDir: 'memory://', databaseUrl: undefined, redisUrl: undefined },
    { logger: false },
  );
  return {
    api,
    folder,
    close: async () => {
      await api.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

export interface TestGradingWorker {
  /** publishWebhookEvent bound as the worker binds it. */
  publish: WebhookPublish;
  close(): Promise<void>;
}

/**
 * The worker's side of the grading and webhook-delivery queues, in the test process with the API's
 * settings: startGradingConsumers, as the worker process and the embedded API start it, over the
 * API's queues and repositories (a BullMQ consumer opens its own connection, like a worker's).
 */
export async function openTestGradingWorker(
  api: TestApi,
  gradingConcurrency: number,
): Promise<TestGradingWorker> {
  const { grading } = api.api.infra;
  const consumers = startGradingConsumers(grading, {
    settings: api.config.webhooks,
    gradingConcurrency,
  });
  return {
    publish: webhookPublisher(grading),
    // The consumers close with the API's queues, which wait for the jobs in progress.
    close: async () => consumers.stop(),
  };
}

/**
 * What suites that grade, deliver webhooks or launch LTI set before starting the API: receivers
 * and platform stand-ins listen on loopback (allowed past the SSRF guard), and webhooks and LTI
 * need a secret key.
 */
export function setLoopbackTestEnvironment(): void {
  process.env.WEBHOOK_ALLOWED_HOSTS = '127.0.0.1/32';
  process.env.NETPLAY_SECRET_KEY = randomBytes(32).toString('base64');
}

export const EXERCISES_DIR = path.resolve(__dirname, '../../../../exercises');

/** The shipped exercises (`exercises/*.yaml`), in file-name order. */
export const SHIPPED_EXERCISE_FILES = readdirSync(EXERCISES_DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((name) => ({ name, content: readFileSync(path.join(EXERCISES_DIR, name), 'utf8') }));

/** The first shipped exercise: what a suite publishes when any exercise will do. */
export const FIRST_EXERCISE_YAML = SHIPPED_EXERCISE_FILES[0]?.content ?? '';
