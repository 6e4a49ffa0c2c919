// The API booted in-process for integration suites: a fresh migrated PostgreSQL database per suite,
// a unique BullMQ prefix on the real Redis, and helpers to make a tenant (with its key) per test.
import { createMigratedPostgresDatabase, type TestPostgresDatabase } from '@netplay/db/testing';
import { removeTestQueue, uniqueQueuePrefix } from '../../../../libs/queue/src/testing/redis';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types';
import { openGradingRuntime, type GradingRuntime } from '@netplay/jobs';
import { readApiConfig, type ApiConfig } from '../config/api-config';
import { GRADING_RUNTIME } from '../webhooks/grading-runtime.module';
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

export async function startTestApi(overrides: Partial<ApiConfig> = {}): Promise<TestApi> {
  if (!DATABASE_URL || !REDIS_URL) throw new Error(SERVICES_SKIP_REASON);
  const database: TestPostgresDatabase = await createMigratedPostgresDatabase(DATABASE_URL);
  const queuePrefix = uniqueQueuePrefix();
  const { config: base } = readApiConfig(
    { NETPLAY_ADMIN_KEY: TEST_ADMIN_KEY },
    path.resolve(__dirname, '../../../..'),
  );
  const config: ApiConfig = {
    ...base,
    databaseUrl: database.url,
    redisUrl: REDIS_URL,
    ...overrides,
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

/**
 * The worker's side of the grading and webhook-delivery queues, opened in the test process with the
 * API's settings: the same runtime the worker process opens and wires.
 */
export async function openTestGradingWorker(
  api: TestApi,
  queuePrefix: string,
  gradingConcurrency: number,
): Promise<GradingRuntime> {
  const apiRuntime = api.api.app.get<GradingRuntime>(GRADING_RUNTIME);
  const worker = await openGradingRuntime({
    database: api.api.infra.database,
    redisUrl: REDIS_URL,
    queuePrefix,
    settings: apiRuntime.settings,
  });
  worker.startConsumers({ gradingConcurrency });
  return worker;
}
