// The API's logs as an operator reads them: JSON lines, one access line per request, the request's
// id on every line logged while it runs, and no API key anywhere. Embedded mode (in-memory PGlite),
// so it runs without PostgreSQL or Redis.
import { collectingDestination } from '@netplay/logging';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types';
import { readApiConfig } from '../config/api-config';
import { createApiApp, type ApiApp } from '../create-app';
import { REQUEST_ID_HEADER, REQUEST_ID_KEY } from './request-logging';

const ADMIN_KEY = 'log-test-admin-key-0123456789';

describe('request logging', () => {
  const destination = collectingDestination();
  let api: ApiApp;
  let http: App;
  let folder: string;
  let apiKey: string;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'netplay-logs-'));
    const { config } = readApiConfig(
      { NETPLAY_ADMIN_KEY: ADMIN_KEY, NETPLAY_LOG_LEVEL: 'debug' },
      folder,
    );
    api = await createApiApp(
      { ...config, dataDir: 'memory://', databaseUrl: undefined, redisUrl: undefined },
      { logDestination: destination, webRoot: null },
    );
    http = api.app.getHttpServer() as App;
    const admin = { Authorization: `Bearer ${ADMIN_KEY}` };
    const tenant = await request(http)
      .post('/v1/admin/tenants')
      .set(admin)
      .send({ name: 'logs' })
      .expect(201);
    const key = await request(http)
      .post(`/v1/admin/tenants/${tenant.body.id}/api-keys`)
      .set(admin)
      .send({ name: 'logs' })
      .expect(201);
    apiKey = key.body.key as string;
    // Opening a migrated in-memory PGlite and the engine threads takes long on a loaded machine.
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const linesOf = (id: string) => destination.lines.filter((line) => line[REQUEST_ID_KEY] === id);

  it("puts the caller's X-Request-Id on the request's lines, its access line included, and echoes it", async () => {
    const response = await request(http)
      .get('/v1/sandboxes')
      .set('Authorization', `Bearer ${apiKey}`)
      .set(REQUEST_ID_HEADER, 'trace-7f3a.1')
      .expect(200);
    expect(response.headers['x-request-id']).toBe('trace-7f3a.1');
    const lines = linesOf('trace-7f3a.1');
    const access = lines.find((line) => typeof line.responseTime === 'number');
    expect(access).toMatchObject({
      level: 'info',
      service: 'api',
      msg: expect.stringMatching(/^GET \/v1\/sandboxes 200 \d+ ms$/),
      res: { statusCode: 200 },
    });
    expect(access?.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // The guard's line was logged by Nest's Logger inside the request: it carries the same id.
    expect(lines).toContainEqual(
      expect.objectContaining({ context: 'Auth', msg: expect.stringMatching(/^tenant /) }),
    );
    expect(lines.length).toBeGreaterThanOrEqual(2);
  });

  it('gives a request without an id (or with an unusable one) a fresh UUID', async () => {
    const plain = await request(http).get('/healthz').expect(200);
    const unusable = await request(http)
      .get('/healthz')
      .set(REQUEST_ID_HEADER, 'x'.repeat(500))
      .expect(200);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    expect(plain.headers['x-request-id']).toMatch(uuid);
    expect(unusable.headers['x-request-id']).toMatch(uuid);
    expect(plain.headers['x-request-id']).not.toBe(unusable.headers['x-request-id']);
    expect(linesOf(plain.headers['x-request-id'] as string)).toHaveLength(1);
  });

  it('logs a request refused before routing (body too large) with its id', async () => {
    await request(http)
      .post('/v1/sandboxes')
      .set('Authorization', `Bearer ${apiKey}`)
      .set(REQUEST_ID_HEADER, 'too-large-1')
      .set('Content-Type', 'application/json')
      .send(`{"name":"x","manifests":"${'a'.repeat(3 * 1024 * 1024)}"}`)
      .expect(413);
    expect(linesOf('too-large-1')).toContainEqual(
      expect.objectContaining({ res: expect.objectContaining({ statusCode: 413 }) }),
    );
  });

  it('never writes an API key or the admin key, whatever was logged', () => {
    const text = JSON.stringify(destination.lines);
    expect(destination.lines.length).toBeGreaterThan(0);
    expect(text).not.toContain(apiKey);
    expect(text).not.toContain(ADMIN_KEY);
    expect(text).toContain('[redacted]');
  });
});
