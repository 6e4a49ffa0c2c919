// The integrator journey with the published SDK (`@netplay/sdk`, built to libs/sdk/dist by
// `npm run build:sdk`) against the API and a worker as real processes: the journey file is first
// compiled by tsc as a consumer's strict project would compile it, then run. Webhooks arrive at a
// receiver on loopback (allowlisted) and are verified with the SDK's helper.
import { readExercise } from '@netplay/grading';
import { startTestReceiver, waitFor, type TestReceiver } from '@netplay/testing';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './harness/service-process';
import { ServiceStack } from './harness/service-stack';
import { integratorJourney, type Delivery } from './sdk-journey/journey';

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;
const SKIP_REASON =
  !DATABASE_URL || !REDIS_URL
    ? 'skipped: DATABASE_URL and REDIS_URL must both be set (CI sets them)'
    : undefined;
const suite = SKIP_REASON ? describe.skip : describe;
const SDK_BUILD = path.join(REPO_ROOT, 'libs/sdk/dist/index.js');
const DELIVERY_TIMEOUT_MS = 30_000;

jest.setTimeout(240_000);

suite(`the SDK journey against real processes${SKIP_REASON ? ` (${SKIP_REASON})` : ''}`, () => {
  let stack: ServiceStack;
  let receiver: TestReceiver;

  beforeAll(async () => {
    if (!existsSync(SDK_BUILD))
      throw new Error(`${SDK_BUILD} is missing: run npm run build:sdk first (.ci/run does)`);
    receiver = await startTestReceiver(() => ({ status: 204 }));
    stack = await ServiceStack.start({
      databaseServerUrl: DATABASE_URL ?? '',
      redisUrl: REDIS_URL ?? '',
      workers: 1,
      env: {
        NETPLAY_SECRET_KEY: randomBytes(32).toString('base64'),
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1/32',
      },
    });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await receiver?.close();
  }, 90_000);

  it('compiles the journey with tsc against the built package, as a consumer would', async () => {
    const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    const project = path.join(REPO_ROOT, 'test/e2e/sdk-journey/tsconfig.json');
    await expect(
      promisify(execFile)(process.execPath, [tsc, '-p', project], { timeout: 120_000 }),
    ).resolves.toEqual(expect.objectContaining({ stdout: '' }));
  });

  it('creates a sandbox, runs a probe, reads its trace, pages runs, grades a submission and verifies the webhooks', async () => {
    const exerciseYaml = readFileSync(
      path.join(REPO_ROOT, 'exercises/clusterip-vs-nodeport.yaml'),
      'utf8',
    );
    const solution = readExercise(exerciseYaml).exercise?.referenceSolution;
    if (!solution) throw new Error('the exercise has no reference solution');
    const taken = new Set<number>();
    const nextDelivery = async (type: string): Promise<Delivery> => {
      let found: Delivery | undefined;
      await waitFor(
        `a ${type} webhook delivery`,
        async () => {
          const index = receiver.requests.findIndex(
            (hook, at) => !taken.has(at) && hook.body.includes(`"type":"${type}"`),
          );
          if (index < 0) return false;
          taken.add(index);
          found = receiver.requests[index];
          return true;
        },
        { timeoutMs: DELIVERY_TIMEOUT_MS, everyMs: 100 },
      );
      return found as Delivery;
    };

    const outcome = await integratorJourney({
      baseUrl: stack.apiUrl,
      apiKey: await stack.createTenantKey('sdk-journey'),
      receiverUrl: receiver.url,
      nextDelivery,
      manifests: readFileSync(path.join(REPO_ROOT, 'examples/manifests/website.yaml'), 'utf8'),
      exercise: { yaml: exerciseYaml, solution: solution.manifests, mode: solution.mode },
    });

    expect(outcome.trace).toMatchObject({
      kind: 'probe',
      verdict: 'delivered',
      request: { from: 'default/client', to: 'http://website.default/' },
    });
    expect(outcome.hopComponents).toEqual(
      expect.arrayContaining(['resolver', 'kube-proxy', 'application']),
    );
    expect(outcome.completed.data).toMatchObject({
      runId: outcome.submittedRunIds[0],
      status: 'succeeded',
      summary: { steps: 1, verdicts: { delivered: 1 } },
    });
    // Newest first, every run once, across pages of two.
    expect(outcome.pagedRunIds).toEqual([...outcome.submittedRunIds].reverse());
    expect(outcome.submission).toMatchObject({ status: 'graded', learnerRef: 'learner-1' });
    expect(outcome.submission.score).toBe(outcome.submission.maxScore);
    expect(outcome.graded.data).toMatchObject({
      submissionId: outcome.submission.id,
      status: 'graded',
      score: outcome.submission.score,
    });
    expect(outcome.ping.data.url).toBe(receiver.url);
    const pingDelivery = receiver.requests.find((hook) => hook.body.includes('endpoint.ping'));
    expect(pingDelivery?.headers['webhook-id']).toBe(outcome.pingEventId);
  });
});
