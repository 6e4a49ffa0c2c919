// The scenario job on both databases the service runs on (PGlite, and PostgreSQL when DATABASE_URL
// is set); a tenant per test. Events are collected in memory: the Redis transport has its own suite.
import { InProcessJobQueue } from '@netplay/queue';
import { describeEachBackend } from '@netplay/testing';
import type { RunStatusChangedEvent } from '@netplay/contracts';
import {
  RunRepository,
  SandboxRepository,
  SecretCipher,
  TenantRepository,
  WebhookEndpointRepository,
  WebhookEventRepository,
  type DatabaseHandle,
  type RunRecord,
} from '@netplay/db';
import {
  generateWebhookSecret,
  DEFAULT_RETRY_SCHEDULE,
  deliveryRetry,
  publishWebhookEvent,
} from '@netplay/webhooks';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MISSING_REVISION_ERROR } from './engine-pool/scenario-engine';
import { handleScenarioRun, type ScenarioRunDeps } from './handle-scenario-run';
import type { RunCompletedPublisher } from './run-completed-event';

const WEBSITE = readFileSync(
  path.join(__dirname, '../../../examples/manifests/website.yaml'),
  'utf8',
);
const WEBSITE_STEPS = [
  { name: 'kubectl get pods', get: { kind: 'pods' } },
  {
    name: 'wget http://website.default/',
    probe: { from: 'default/client', to: 'http://website.default/' },
  },
];

describeEachBackend('handleScenarioRun', (backend) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  let runs: RunRepository;
  let events: RunStatusChangedEvent[];
  let deps: ScenarioRunDeps;

  beforeAll(async () => {
    ({ handle, cleanup } = await backend.open());
    runs = new RunRepository(handle);
  });
  afterAll(() => cleanup());
  beforeEach(() => {
    events = [];
    deps = {
      runs,
      revisions: new SandboxRepository(handle),
      events: { publish: async (changes) => void events.push(...[changes].flat()) },
    };
  });

  async function submit(
    manifests: string,
    steps: unknown,
    clusterSettings: object = {},
  ): Promise<RunRecord> {
    const tenant = await new TenantRepository(handle.prisma).create(`handler-${randomUUID()}`);
    const sandbox = await new SandboxRepository(handle).create(tenant.id, {
      name: 'website',
      manifests,
      clusterSettings,
    });
    const created = await runs.create(tenant.id, {
      sandboxRevisionId: sandbox.revision.id,
      steps: steps as never,
    });
    return created.run;
  }

  async function resultRows(runId: string): Promise<number> {
    return handle.prisma.runResult.count({ where: { runId } });
  }

  it('runs the website scenario and stores the trace as the one result', async () => {
    const run = await submit(WEBSITE, WEBSITE_STEPS);
    await expect(handleScenarioRun(deps, run.id)).resolves.toEqual({
      kind: 'completed',
      status: 'succeeded',
    });
    const stored = await runs.getForWorker(run.id);
    expect(stored).toMatchObject({ status: 'succeeded', attempts: 1, error: null });
    const result = (await runs.getResult(run.tenantId, run.id)) as {
      steps: Array<{ kind: string; result: { verdict?: string } }>;
    };
    expect(result.steps.map((step) => step.kind)).toEqual(['get', 'probe']);
    expect(result.steps[1].result.verdict).toBe('delivered');
    expect(events.map((event) => event.status)).toEqual(['running', 'succeeded']);
    expect(events.every((event) => event.runId === run.id && event.tenantId === run.tenantId)).toBe(
      true,
    );
  });

  it.each<[string, string, unknown, object, string]>([
    [
      'manifests with errors',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 99999\n',
      [],
      {},
      'manifests.yaml doc 1 Service default/web: spec.ports[0].port: must be between 1 and 65535',
    ],
    ['invalid cluster settings', WEBSITE, [], { podCIDR: 'not-a-cidr' }, 'cluster-settings doc 1'],
    [
      'an unknown step action',
      WEBSITE,
      [{ teleport: 'x' }],
      {},
      'steps[0].teleport: unknown step action',
    ],
  ])(
    'fails a run with %s, with the precise message as its error',
    async (_, manifests, steps, clusterSettings, message) => {
      const run = await submit(manifests, steps, clusterSettings);
      const outcome = await handleScenarioRun(deps, run.id);
      expect(outcome).toMatchObject({ kind: 'completed', status: 'failed' });
      const stored = await runs.getForWorker(run.id);
      expect(stored?.status).toBe('failed');
      expect(stored?.error).toContain(message);
      expect(await resultRows(run.id)).toBe(1);
      expect(events.map((event) => event.status)).toEqual(['running', 'failed']);
    },
  );

  it('leaves a finished run alone on a repeated delivery, announcing its status again', async () => {
    const run = await submit(WEBSITE, WEBSITE_STEPS);
    await handleScenarioRun(deps, run.id);
    events = [];
    await expect(handleScenarioRun(deps, run.id)).resolves.toEqual({
      kind: 'already-finished',
      status: 'succeeded',
    });
    expect(await runs.getForWorker(run.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(await resultRows(run.id)).toBe(1);
    expect(events.map((event) => event.status)).toEqual(['succeeded']);
  });

  it('lets exactly one of two concurrent deliveries finish the run', async () => {
    const run = await submit(WEBSITE, WEBSITE_STEPS);
    const outcomes = await Promise.all([
      handleScenarioRun(deps, run.id),
      handleScenarioRun(deps, run.id),
    ]);
    expect(outcomes.filter((outcome) => outcome.kind === 'completed')).toHaveLength(1);
    expect(await runs.getForWorker(run.id)).toMatchObject({ status: 'succeeded' });
    expect(await resultRows(run.id)).toBe(1);
    // The delivery that loses the race re-announces the final status (status events are
    // at-least-once; subscribers skip repeats), but never a different one.
    const finalEvents = events.filter((event) => event.status !== 'running');
    expect(finalEvents.length).toBeGreaterThanOrEqual(1);
    expect(new Set(finalEvents.map((event) => event.status))).toEqual(new Set(['succeeded']));
  });

  it('takes over a run left running by a delivery whose worker died', async () => {
    const run = await submit(WEBSITE, WEBSITE_STEPS);
    await runs.claim(run.id);
    await expect(handleScenarioRun(deps, run.id)).resolves.toEqual({
      kind: 'completed',
      status: 'succeeded',
    });
    expect(await runs.getForWorker(run.id)).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(await resultRows(run.id)).toBe(1);
  });

  it('discards its outcome when another delivery finished the run while the engine ran', async () => {
    const run = await submit(WEBSITE, WEBSITE_STEPS);
    const racing: ScenarioRunDeps = {
      ...deps,
      revisions: {
        getRevisionForWorker: async (id) => {
          // The other delivery completes between this one's claim and its completion.
          await runs.complete(run.id, { status: 'failed', error: 'finished elsewhere' });
          return deps.revisions.getRevisionForWorker(id);
        },
      },
    };
    await expect(handleScenarioRun(racing, run.id)).resolves.toEqual({ kind: 'superseded' });
    expect(await runs.getForWorker(run.id)).toMatchObject({
      status: 'failed',
      error: 'finished elsewhere',
    });
    expect(events.map((event) => event.status)).toEqual(['running']);
  });

  it('fails the run when its sandbox revision is gone', async () => {
    const run = await submit(WEBSITE, WEBSITE_STEPS);
    const orphaned: ScenarioRunDeps = {
      ...deps,
      revisions: { getRevisionForWorker: async () => undefined },
    };
    await expect(handleScenarioRun(orphaned, run.id)).resolves.toEqual({
      kind: 'completed',
      status: 'failed',
      error: MISSING_REVISION_ERROR,
    });
  });

  it.each(['00000000-0000-4000-8000-000000000000', 'not-a-uuid'])(
    'answers missing for the unknown run id %s',
    async (runId) => {
      await expect(handleScenarioRun(deps, runId)).resolves.toEqual({ kind: 'missing' });
    },
  );

  it('rejects, for the queue to retry, when publishing fails', async () => {
    const run = await submit(WEBSITE, WEBSITE_STEPS);
    const unreachable: ScenarioRunDeps = {
      ...deps,
      events: { publish: async () => Promise.reject(new Error('connect ECONNREFUSED')) },
    };
    await expect(handleScenarioRun(unreachable, run.id)).rejects.toThrow('ECONNREFUSED');
    // The retry takes the run over and finishes it.
    await expect(handleScenarioRun(deps, run.id)).resolves.toEqual({
      kind: 'completed',
      status: 'succeeded',
    });
  });

  it('leaves the run unfinished when announcing it as running fails, for the retry to take over', async () => {
    const run = await submit(WEBSITE, WEBSITE_STEPS);
    const runningFails: ScenarioRunDeps = {
      ...deps,
      events: {
        publish: async (changes) =>
          [changes].flat().some((event) => event.status === 'running')
            ? Promise.reject(new Error('connect ECONNREFUSED'))
            : void events.push(...[changes].flat()),
      },
    };
    await expect(handleScenarioRun(runningFails, run.id)).rejects.toThrow('ECONNREFUSED');
    expect(await runs.getForWorker(run.id)).toMatchObject({ status: 'running' });
    expect(await resultRows(run.id)).toBe(0);
  });

  it('publishes run.completed only to a tenant with a subscribed endpoint', async () => {
    const published: string[] = [];
    const webhooks: RunCompletedPublisher = {
      publishRunCompleted: async (_tenantId, data, _key, subscribers) =>
        void published.push(`${data.runId} to ${subscribers?.length}`),
    };
    const unsubscribed = await submit(WEBSITE, WEBSITE_STEPS);
    await handleScenarioRun({ ...deps, webhooks }, unsubscribed.id);
    expect(published).toEqual([]);

    const subscribed = await submit(WEBSITE, WEBSITE_STEPS);
    await new WebhookEndpointRepository(handle, SecretCipher.fromKey(randomBytes(32))).create(
      subscribed.tenantId,
      {
        url: 'https://hooks.example.com/',
        eventTypes: ['run.completed'],
        secret: generateWebhookSecret(),
      },
    );
    await handleScenarioRun({ ...deps, webhooks }, subscribed.id);
    expect(published).toEqual([`${subscribed.id} to 1`]);
  });

  describe('run.completed after a failed publish', () => {
    const queues: InProcessJobQueue<'deliver-webhook'>[] = [];
    afterEach(async () => {
      await Promise.all(queues.splice(0).map((queue) => queue.close()));
    });

    /** The real publish (stored message + fan-out); the first `failures` calls fail at the chosen point. */
    function flakyPublisher(
      failures: number,
      failAfterStoring: boolean,
    ): RunCompletedPublisher & { calls: number } {
      const queue = new InProcessJobQueue('deliver-webhook', {
        retry: deliveryRetry(DEFAULT_RETRY_SCHEDULE),
      });
      queues.push(queue);
      const publishDeps = {
        endpoints: endpoints(),
        events: new WebhookEventRepository(handle),
        queue,
      };
      const publisher = {
        calls: 0,
        async publishRunCompleted(
          tenantId: string,
          data: Parameters<RunCompletedPublisher['publishRunCompleted']>[1],
          dedupeKey: string,
        ) {
          publisher.calls += 1;
          const failing = publisher.calls <= failures;
          if (failing && !failAfterStoring) throw new Error('connect ECONNREFUSED (database)');
          const published = await publishWebhookEvent(
            tenantId,
            'run.completed',
            data,
            publishDeps,
            dedupeKey,
          );
          if (failing) throw new Error('connect ECONNREFUSED (redis)');
          return published;
        },
      };
      return publisher;
    }

    function endpoints(): WebhookEndpointRepository {
      return new WebhookEndpointRepository(handle, SecretCipher.fromKey(randomBytes(32)));
    }

    /** A run of a tenant with an endpoint for `run.completed` (messages are stored for subscribers only). */
    async function submitSubscribed(steps: unknown): Promise<RunRecord> {
      const run = await submit(WEBSITE, steps);
      await endpoints().create(run.tenantId, {
        url: 'https://hooks.example.com/netplay',
        eventTypes: ['run.completed'],
        secret: generateWebhookSecret(),
      });
      return run;
    }

    async function completedEvents(tenantId: string) {
      return handle.prisma.webhookEvent.findMany({ where: { tenantId, type: 'run.completed' } });
    }

    it.each([
      ['before the message was stored', false],
      ['after the message was stored', true],
    ])(
      'publishes it on the retry when the first publish failed %s, as one event',
      async (_, failAfterStoring) => {
        const run = await submitSubscribed(WEBSITE_STEPS);
        const webhooks = flakyPublisher(1, failAfterStoring);
        await expect(handleScenarioRun({ ...deps, webhooks }, run.id)).rejects.toThrow(
          'ECONNREFUSED',
        );
        expect(await runs.getForWorker(run.id)).toMatchObject({ status: 'succeeded' });

        await expect(handleScenarioRun({ ...deps, webhooks }, run.id)).resolves.toEqual({
          kind: 'already-finished',
          status: 'succeeded',
        });
        const stored = await completedEvents(run.tenantId);
        expect(stored).toHaveLength(1);
        expect(stored[0].dedupeKey).toBe(`run.completed:${run.id}`);
        // Rebuilt from the stored result: the same summary the completing delivery would have sent.
        expect(JSON.parse(stored[0].payload)).toMatchObject({
          type: 'run.completed',
          data: {
            runId: run.id,
            status: 'succeeded',
            summary: { steps: 2, verdicts: { delivered: 1 } },
          },
        });

        // A further delivery publishes again under the same key: still one event, same id.
        await handleScenarioRun({ ...deps, webhooks }, run.id);
        const again = await completedEvents(run.tenantId);
        expect(again.map((event) => event.id)).toEqual([stored[0].id]);
      },
    );

    it("rebuilds a failed run's event with its stored error", async () => {
      const run = await submitSubscribed([{ teleport: 'x' }]);
      const webhooks = flakyPublisher(1, false);
      await expect(handleScenarioRun({ ...deps, webhooks }, run.id)).rejects.toThrow(
        'ECONNREFUSED',
      );
      await handleScenarioRun({ ...deps, webhooks }, run.id);
      const [event] = await completedEvents(run.tenantId);
      expect(JSON.parse(event.payload)).toMatchObject({
        data: {
          runId: run.id,
          status: 'failed',
          error: expect.stringContaining('steps[0].teleport'),
        },
      });
    });
  });
});
