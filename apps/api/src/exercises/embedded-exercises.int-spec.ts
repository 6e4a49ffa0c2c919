import { PGLITE_SKIP_REASON, waitFor } from '@netplay/testing';
import { readExercise } from '@netplay/grading';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types';
import type { ApiApp } from '../create-app';
import { startEmbeddedApi, type EmbeddedTestApi } from '../testing/test-api';
import { prepareDevelopmentData } from '../embedded/development-data';

const describeEmbedded = PGLITE_SKIP_REASON ? describe.skip : describe;
const EXERCISES_DIR = path.resolve(__dirname, '../../../../exercises');

describeEmbedded(
  `exercises in embedded mode${PGLITE_SKIP_REASON ? ` (${PGLITE_SKIP_REASON})` : ''}`,
  () => {
    let embedded: EmbeddedTestApi;
    let api: ApiApp;
    let folder: string;
    beforeAll(async () => {
      embedded = await startEmbeddedApi();
      ({ api, folder } = embedded);
    }, 60_000);
    afterAll(async () => {
      await embedded?.close();
    });

    it('publishes the shipped exercises for the development tenant and grades a submission in-process', async () => {
      const http = api.app.getHttpServer() as App;
      const { apiKey } = await prepareDevelopmentData(
        api.infra,
        { dataDir: path.join(folder, 'pglite') },
        () => undefined,
      );
      const auth = { Authorization: `Bearer ${apiKey}` };
      const shipped = readdirSync(EXERCISES_DIR).filter((name) => name.endsWith('.yaml'));
      const listed = await request(http).get('/v1/exercises').set(auth).expect(200);
      expect(listed.body.items).toHaveLength(shipped.length);

      const first = listed.body.items[0];
      const exercise = readExercise(
        readFileSync(path.join(EXERCISES_DIR, `${first.slug}.yaml`), 'utf8'),
      ).exercise!;
      const submitted = await request(http)
        .post(`/v1/exercises/${first.id}/submissions`)
        .set(auth)
        .send({ learnerRef: 'me', ...exercise.referenceSolution })
        .expect(202);
      let status = 'queued';
      await waitFor(
        'the in-process grading',
        async () => {
          const read = await request(http)
            .get(`/v1/submissions/${submitted.body.id}`)
            .set(auth)
            .expect(200);
          status = read.body.status;
          return status !== 'queued';
        },
        { timeoutMs: 30_000 },
      );
      expect(status).toBe('graded');

      // The results page's queries (learner reference order, array parameters) on PGlite too.
      const results = await request(http)
        .get(`/v1/exercises/${first.id}/results?limit=1`)
        .set(auth)
        .expect(200);
      expect(results.body).toMatchObject({
        items: [{ learnerRef: 'me', attempts: 1, passed: true }],
        summary: { learners: 1, attempted: 1, passed: 1, instructors: 0 },
        roster: { status: 'none' },
      });
      expect(results.body.nextCursor).toBeUndefined();
    }, 60_000);
  },
);
