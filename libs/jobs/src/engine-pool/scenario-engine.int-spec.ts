// The job handler with a ScenarioEngine kept across runs, on both databases the service runs on:
// runs of one revision share its text and loaded cluster, the result is the same whichever way the
// engine ran (inline, in the pool, inline after the pool found the cluster small), and a pool
// thread is sent a revision's text only when it lacks it.
import { describeEachBackend } from '@netplay/testing';
import {
  RunRepository,
  SandboxRepository,
  SecretCipher,
  TenantRepository,
  WebhookEndpointRepository,
  type DatabaseHandle,
  type RunRecord,
} from '@netplay/db';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { handleScenarioRun, type ScenarioRunDeps } from '../handle-scenario-run';
import { EnginePool } from './engine-pool';
import type { AnswerOf, EngineTask } from './engine-tasks';
import { MISSING_REVISION_ERROR, ScenarioEngine, type EngineTaskRunner } from './scenario-engine';

const WEBSITE = readFileSync(
  path.join(__dirname, '../../../../examples/manifests/website.yaml'),
  'utf8',
);
const PROBE = [{ name: 'wget', probe: { from: 'default/client', to: 'http://website.default/' } }];
const BLOCKED_PROBE = [
  { name: 'wget', probe: { from: 'default/client', to: 'http://website.default:81/' } },
];

describeEachBackend('handleScenarioRun with a ScenarioEngine', (backend) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  let runs: RunRepository;
  let sandboxes: SandboxRepository;

  beforeAll(async () => {
    ({ handle, cleanup } = await backend.open());
    runs = new RunRepository(handle);
    sandboxes = new SandboxRepository(handle);
  });
  afterAll(() => cleanup());

  /** A tenant and sandbox of its own, and one run per steps list on its first revision. */
  async function submitRuns(stepsOfRuns: unknown[]): Promise<RunRecord[]> {
    const tenant = await new TenantRepository(handle.prisma).create(`cache-${randomUUID()}`);
    const sandbox = await sandboxes.create(tenant.id, {
      name: 'website',
      manifests: WEBSITE,
      clusterSettings: {},
    });
    const created: RunRecord[] = [];
    for (const steps of stepsOfRuns)
      created.push(
        (
          await runs.create(tenant.id, {
            sandboxRevisionId: sandbox.revision.id,
            steps: steps as never,
          })
        ).run,
      );
    return created;
  }

  function depsWith(engine: ScenarioEngine | undefined, revisionReads: string[]): ScenarioRunDeps {
    return {
      runs,
      revisions: {
        getRevisionForWorker: (id) => (revisionReads.push(id), sandboxes.getRevisionForWorker(id)),
      },
      events: { publish: async () => undefined },
      ...(engine ? { engine } : {}),
    };
  }

  it('reads and loads a revision once for all its runs, each run getting its own steps', async () => {
    const [first, second, third] = await submitRuns([PROBE, BLOCKED_PROBE, PROBE]);
    const reads: string[] = [];
    const deps = depsWith(new ScenarioEngine(), reads);
    for (const run of [first, second, third])
      await expect(handleScenarioRun(deps, run.id)).resolves.toMatchObject({
        kind: 'completed',
        status: 'succeeded',
      });
    expect(reads).toEqual([first.sandboxRevisionId]);
    const verdicts = await Promise.all(
      [first, second, third].map(
        async (run) =>
          (
            (await runs.getResult(run.tenantId, run.id)) as {
              steps: Array<{ result: { verdict: string } }>;
            }
          ).steps[0].result.verdict,
      ),
    );
    expect(verdicts[0]).toBe('delivered');
    expect(verdicts[1]).not.toBe('delivered');
    expect(verdicts[2]).toBe('delivered');
  });

  it('names the sandbox in run.completed without reading the revision again', async () => {
    const [first, second] = await submitRuns([PROBE, PROBE]);
    // run.completed is published for subscribed tenants only.
    await new WebhookEndpointRepository(handle, SecretCipher.fromKey(randomBytes(32))).create(
      first.tenantId,
      { url: 'https://hooks.example.com/', eventTypes: ['run.completed'], secret: 'whsec_test' },
    );
    const reads: string[] = [];
    const published: Array<{ runId: string; sandboxId: string }> = [];
    const webhooks = {
      publishRunCompleted: async (_tenantId: string, data: { runId: string; sandboxId: string }) =>
        void published.push(data),
    };
    const deps = { ...depsWith(new ScenarioEngine(), reads), webhooks };
    for (const run of [first, second]) await handleScenarioRun(deps, run.id);
    expect(reads).toEqual([first.sandboxRevisionId]);
    const sandboxId = (await sandboxes.getRevisionForWorker(first.sandboxRevisionId))?.sandboxId;
    expect(published).toEqual([
      expect.objectContaining({ runId: first.id, sandboxId }),
      expect.objectContaining({ runId: second.id, sandboxId }),
    ]);
  });

  it("announces a quick run's 'running' with its outcome, and a run of an unloaded revision's before its engine", async () => {
    const [cold, warm] = await submitRuns([PROBE, PROBE]);
    const publishes: string[][] = [];
    const deps: ScenarioRunDeps = {
      ...depsWith(new ScenarioEngine(), []),
      events: {
        publish: async (changes) =>
          void publishes.push([changes].flat().map((event) => event.status)),
      },
    };
    await handleScenarioRun(deps, cold.id);
    expect(publishes).toEqual([['running'], ['succeeded']]);
    publishes.length = 0;
    await handleScenarioRun(deps, warm.id);
    expect(publishes).toEqual([['running', 'succeeded']]);
  });

  it('stores the same result with and without a kept engine', async () => {
    const [cold, warm, uncached] = await submitRuns([PROBE, PROBE, PROBE]);
    const engine = new ScenarioEngine();
    for (const run of [cold, warm]) await handleScenarioRun(depsWith(engine, []), run.id);
    await handleScenarioRun(depsWith(undefined, []), uncached.id);
    const results = await Promise.all(
      [cold, warm, uncached].map((run) => runs.getResult(run.tenantId, run.id)),
    );
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  describe('with the engine pool', () => {
    let pool: EnginePool;
    /** The tasks the pool was handed, and whether each carried the revision's files. */
    let tasks: Array<{ withFiles: boolean }>;
    const counted: EngineTaskRunner = {
      run: <T extends EngineTask>(task: T): Promise<AnswerOf<T>> => {
        tasks.push({ withFiles: task.kind === 'scenario' && task.files !== undefined });
        return pool.run(task);
      },
    };
    beforeAll(() => {
      pool = new EnginePool({ threadFile: path.join(__dirname, 'engine-thread'), threads: 2 });
    });
    afterAll(() => pool.close());
    beforeEach(() => {
      tasks = [];
    });

    it('sends the text once, then runs quick runs of the small cluster inline, with the same result', async () => {
      const [first, second, third, inline] = await submitRuns([PROBE, PROBE, BLOCKED_PROBE, PROBE]);
      const engine = new ScenarioEngine({ pool: counted });
      await handleScenarioRun(depsWith(engine, []), first.id);
      // The thread did not have the revision: asked without the text, then sent it.
      expect(tasks).toEqual([{ withFiles: false }, { withFiles: true }]);
      for (const run of [second, third]) await handleScenarioRun(depsWith(engine, []), run.id);
      expect(tasks).toHaveLength(2);
      await handleScenarioRun(depsWith(undefined, []), inline.id);
      const results = await Promise.all(
        [first, second, third, inline].map((run) => runs.getResult(run.tenantId, run.id)),
      );
      expect(results[1]).toEqual(results[0]);
      expect(results[3]).toEqual(results[0]);
      expect(JSON.stringify(results[2])).not.toEqual(JSON.stringify(results[0]));
    });

    it('keeps even quick runs of a small cluster in the pool when inline runs are off (the API thread)', async () => {
      const submitted = await submitRuns([PROBE, PROBE, PROBE]);
      const engine = new ScenarioEngine({ pool: counted, inlineQuickRuns: false });
      for (const run of submitted) await handleScenarioRun(depsWith(engine, []), run.id);
      // The first run asked without the text and then sent it; every later run went to the pool.
      expect(tasks.filter((task) => !task.withFiles)).toHaveLength(submitted.length);
      expect(tasks.filter((task) => task.withFiles).length).toBeLessThanOrEqual(2);
    });

    it('keeps a run that changes the cluster in the pool, sending the text only to threads that lack it', async () => {
      const scaling = [{ scale: { deployment: 'website', replicas: 2 } }, ...PROBE];
      const submitted = await submitRuns([PROBE, ...Array.from({ length: 6 }, () => scaling)]);
      const engine = new ScenarioEngine({ pool: counted });
      for (const run of submitted)
        await expect(handleScenarioRun(depsWith(engine, []), run.id)).resolves.toEqual({
          kind: 'completed',
          status: 'succeeded',
        });
      // Every run went to the pool; the text went at most once to each of its two threads.
      expect(tasks.filter((task) => !task.withFiles)).toHaveLength(submitted.length);
      expect(tasks.filter((task) => task.withFiles).length).toBeLessThanOrEqual(2);
    });
  });

  it('fails the run when its revision is gone and the engine does not hold it', async () => {
    const [run] = await submitRuns([PROBE]);
    const deps: ScenarioRunDeps = {
      ...depsWith(new ScenarioEngine(), []),
      revisions: { getRevisionForWorker: async () => undefined },
    };
    await expect(handleScenarioRun(deps, run.id)).resolves.toEqual({
      kind: 'completed',
      status: 'failed',
      error: MISSING_REVISION_ERROR,
    });
  });
});
