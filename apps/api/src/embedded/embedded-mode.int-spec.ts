import { PGLITE_SKIP_REASON } from '@netplay/testing';
import path from 'node:path';
import request from 'supertest';
import type { App } from 'supertest/types';
import type { ApiApp } from '../create-app';
import { startEmbeddedApi, type EmbeddedTestApi } from '../testing/test-api';
import { prepareDevelopmentData } from './development-data';

const describeEmbedded = PGLITE_SKIP_REASON ? describe.skip : describe;

describeEmbedded(
  `embedded mode (PGlite + in-process queue)${PGLITE_SKIP_REASON ? ` (${PGLITE_SKIP_REASON})` : ''}`,
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

    it('reports what it uses in /readyz', async () => {
      const ready = await request(api.app.getHttpServer() as App)
        .get('/readyz')
        .expect(200);
      expect(ready.body).toEqual({
        status: 'ok',
        mode: 'embedded',
        checks: [
          { name: 'database', ok: true, uses: 'pglite (embedded)' },
          { name: 'queue', ok: true, uses: 'in-process (embedded)' },
        ],
      });
    });

    it('creates a development key and the website sandbox once, and prints the same key on the next start', async () => {
      const lines: string[] = [];
      const first = await prepareDevelopmentData(
        api.infra,
        { dataDir: path.join(folder, 'pglite') },
        (line) => lines.push(line),
      );
      expect(first.created).toBe(true);
      expect(lines.join('\n')).toContain(first.apiKey);
      const sandboxes = await request(api.app.getHttpServer() as App)
        .get('/v1/sandboxes')
        .set('Authorization', `Bearer ${first.apiKey}`)
        .expect(200);
      expect(sandboxes.body.items.map((item: { name: string }) => item.name)).toEqual(['website']);
      const second = await prepareDevelopmentData(
        api.infra,
        { dataDir: path.join(folder, 'pglite') },
        () => undefined,
      );
      expect(second).toEqual({ apiKey: first.apiKey, created: false });
    });
  },
);
