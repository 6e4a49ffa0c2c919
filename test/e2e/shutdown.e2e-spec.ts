// Graceful shutdown of the compiled API as Kubernetes drives it: SIGTERM while a slow request is
// in flight. /readyz turns 503 at once, the request still gets its answer, and the process exits 0.
// The slow request is a `?wait=true` run with no worker to take it: it holds for
// NETPLAY_RUN_WAIT_MAX_MS and then answers 202 with the run still queued.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './harness/service-process';
import { ServiceStack } from './harness/service-stack';
import { waitFor } from '@netplay/testing';

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;
const SKIP_REASON =
  !DATABASE_URL || !REDIS_URL
    ? 'skipped: DATABASE_URL and REDIS_URL must both be set (CI sets them)'
    : undefined;

const WAIT_MS = 8_000;
// Long enough for a poll of /readyz on a loaded machine; the slow request outlasts it.
const DELAY_MS = 3_000;

(SKIP_REASON ? describe.skip : describe)(
  `graceful shutdown of the API${SKIP_REASON ? ` (${SKIP_REASON})` : ''}`,
  () => {
    let stack: ServiceStack;

    beforeAll(async () => {
      stack = await ServiceStack.start({
        databaseServerUrl: DATABASE_URL ?? '',
        redisUrl: REDIS_URL ?? '',
        workers: 0,
        apiEnv: {
          NETPLAY_RUN_WAIT_MAX_MS: String(WAIT_MS),
          NETPLAY_SHUTDOWN_DELAY_MS: String(DELAY_MS),
          NETPLAY_SHUTDOWN_TIMEOUT_MS: '20000',
        },
      });
    });

    afterAll(async () => {
      await stack?.stop();
    });

    it('answers /readyz 503 after SIGTERM, finishes the request in flight, then exits 0', async () => {
      const key = await stack.createTenantKey('e2e-shutdown');
      const manifests = readFileSync(
        path.join(REPO_ROOT, 'examples/manifests/website.yaml'),
        'utf8',
      );
      const sandbox = await stack.request<{ id: string }>(
        'POST',
        '/v1/sandboxes',
        { name: 'website', manifests },
        key,
      );
      expect(sandbox.status).toBe(201);
      expect((await fetch(`${stack.apiUrl}/readyz`)).status).toBe(200);

      const sentAt = Date.now();
      const slow = stack.request<{ status: string }>(
        'POST',
        `/v1/sandboxes/${sandbox.body.id}/runs?wait=true`,
        { steps: [{ name: 'probe', probe: { from: 'default/client', to: 'http://website/' } }] },
        key,
      );
      // The request is in flight (it waits for a worker there is none of) when the signal comes.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const exited = stack.api.stop(30_000);
      const signalledAt = Date.now();

      const draining = await waitFor(
        '/readyz to answer 503 while draining',
        async () => {
          const response = await fetch(`${stack.apiUrl}/readyz`);
          return response.status === 503 ? ((await response.json()) as { status: string }) : false;
        },
        { timeoutMs: DELAY_MS, everyMs: 50 },
      );
      expect(draining.status).toBe('draining');

      const answer = await slow;
      const answeredAt = Date.now();
      expect(answer.status).toBe(202);
      expect(answer.body.status).toBe('queued');
      expect(answeredAt - sentAt).toBeGreaterThanOrEqual(WAIT_MS - 100);
      expect(answeredAt).toBeGreaterThan(signalledAt);

      expect(await exited).toBe(0);
      expect(stack.api.output()).toContain('"msg":"stopped"');
    });
  },
);
