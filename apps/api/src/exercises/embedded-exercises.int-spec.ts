// Embedded mode (PGlite + in-process queues): the development tenant gets the shipped exercises,
// and a submission is graded inside the API process, with no worker and no Redis.
import { PGLITE_SKIP_REASON } from '@netplay/db/testing';
import { readExercise } from '@netplay/grading';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types';
import { waitFor } from '../../../../libs/webhooks/src/testing/test-receiver';
import { readApiConfig } from '../config/api-config';
import { createApiApp, type ApiApp } from '../create-app';
import { prepareDevelopmentData } from '../embedded/development-data';

const describeEmbedded = PGLITE_SKIP_REASON ? describe.skip : describe;
const EXERCISES_DIR = path.resolve(__dirname, '../../../../exercises');

describeEmbedded(`exercises in embedded mode${PGLITE_SKIP_REASON ? ` (${PGLITE_SKIP_REASON})` : ''}`, () => {
  let api: ApiApp;
  let folder: string;
  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), 'netplay-api-'));
    const { config } = readApiConfig({}, folder);
    api = await createApiApp({ ...config, dataDir: 'memory://', databaseUrl: undefined, redisUrl: undefined }, { logger: false });
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('publishes the shipped exercises for the development tenant and grades a submission in-process', async () => {
    const http = api.app.getHttpServer() as App;
    const { apiKey } = await prepareDevelopmentData(api.infra, { dataDir: path.join(folder, 'pglite') }, () => undefined);
    const auth = { Authorization: `Bearer ${apiKey}` };
    const shipped = readdirSync(EXERCISES_DIR).filter((name) => name.endsWith('.yaml'));
    const listed = await request(http).get('/v1/exercises').set(auth).expect(200);
    expect(listed.body.items).toHaveLength(shipped.length);

    const first = listed.body.items[0];
    const exercise = readExercise(readFileSync(path.join(EXERCISES_DIR, `${first.slug}.yaml`), 'utf8')).exercise!;
    const submitted = await request(http).post(`/v1/exercises/${first.id}/submissions`).set(auth).send({ learnerRef: 'me', ...exercise.referenceSolution }).expect(202);
    let status = 'queued';
    await waitFor(async () => {
      const read = await request(http).get(`/v1/submissions/${submitted.body.id}`).set(auth).expect(200);
      status = read.body.status;
      return status !== 'queued';
    }, 'the in-process grading', 30_000);
    expect(status).toBe('graded');
  }, 60_000);
});
