// The scenario job with the engine in the pool, on PGlite and PostgreSQL (DATABASE_URL): a
// poisonous run fails on its first delivery with its reason while another run completes, and the
// pool answers what the engine answers inline.
import type { RunStatusChangedEvent } from '@netplay/contracts';
import {
  RunRepository,
  SandboxRepository,
  TenantRepository,
  type DatabaseHandle,
  type RunRecord,
} from '@netplay/db';
import { describeEachBackend } from '@netplay/testing';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { handleScenarioRun, type ScenarioRunDeps } from '../handle-scenario-run';
import { EnginePool } from './engine-pool';
import { ScenarioEngine } from './scenario-engine';

const WEBSITE = readFileSync(
  path.join(__dirname, '../../../../examples/manifests/website.yaml'),
  'utf8',
);
const WEBSITE_STEPS = [
  { name: 'kubectl get pods', get: { kind: 'pods' } },
  { name: 'wget', probe: { from: 'default/client', to: 'http://website.default/' } },
];
const THREAD_FILE = path.join(__dirname, 'engine-thread');

/**
 * Within the limits it is handed, but far more work than the budget allows on any machine: a
 * quiet one built 60,000 replicas within the 1.5 s and then failed on the result's size instead.
 */
const POISON = `apiVersion: apps/v1
kind: Deployment
metadata: {name: heavy}
spec:
  replicas: 5000000
  selector: {matchLabels: {app: heavy}}
  template:
    metadata: {labels: {app: heavy}}
    spec: {containers: [{name: c, image: nginx}]}
`;
const RAISED = { maxReplicas: 10_000_000, maxPods: 10_000_000, maxEndpoints: 100_000_000 };

describeEachBackend('handleScenarioRun with the engine pool', (backend) => {
  let handle: DatabaseHandle;
  let cleanup: () => Promise<void>;
  let runs: RunRepository;
  let pool: EnginePool;
  let events: RunStatusChangedEvent[];

  beforeAll(async () => {
    ({ handle, cleanup } = await backend.open());
    runs = new RunRepository(handle);
    // Heap to spare, so only the time budget can stop the poison here: the pods it builds within
    // 1.5 s hold a few hundred MiB at most (the heap budget has its own spec, grading-pool.int-spec.ts).
    pool = new EnginePool({
      threadFile: THREAD_FILE,
      threads: 2,
      budgetMs: 1_500,
      maxHeapMb: 4_096,
    });
  });
  afterAll(async () => {
    await pool.close();
    await cleanup();
  });

  function deps(extra: Partial<ScenarioRunDeps> = {}): ScenarioRunDeps {
    events = [];
    return {
      runs,
      revisions: new SandboxRepository(handle),
      events: { publish: async (changes) => void events.push(...[changes].flat()) },
      engine: new ScenarioEngine({ pool }),
      ...extra,
    };
  }

  async function submit(manifests: string, steps: unknown): Promise<RunRecord> {
    const tenant = await new TenantRepository(handle.prisma).create(`pool-${randomUUID()}`);
    const sandbox = await new SandboxRepository(handle).create(tenant.id, {
      name: 'sandbox',
      manifests,
      clusterSettings: {},
    });
    return (
      await runs.create(tenant.id, {
        sandboxRevisionId: sandbox.revision.id,
        steps: steps as never,
      })
    ).run;
  }

  it('answers the result the engine gives inline, byte for byte', async () => {
    const pooled = await submit(WEBSITE, WEBSITE_STEPS);
    const inline = await submit(WEBSITE, WEBSITE_STEPS);
    expect(await handleScenarioRun(deps(), pooled.id)).toEqual({
      kind: 'completed',
      status: 'succeeded',
    });
    expect(await handleScenarioRun(deps({ engine: undefined }), inline.id)).toEqual({
      kind: 'completed',
      status: 'succeeded',
    });
    const [a, b] = await Promise.all([
      runs.getResult(pooled.tenantId, pooled.id),
      runs.getResult(inline.tenantId, inline.id),
    ]);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).toContain('"verdict"');
  });

  it('fails a poisonous run on its first delivery with its reason while another run completes', async () => {
    const poison = await submit(POISON, [{ get: { kind: 'pods' } }]);
    const normal = await submit(WEBSITE, WEBSITE_STEPS);
    const started = Date.now();
    const [poisoned, completed] = await Promise.all([
      handleScenarioRun(deps({ engine: new ScenarioEngine({ pool, limits: RAISED }) }), poison.id),
      handleScenarioRun(deps(), normal.id),
    ]);
    expect(poisoned).toEqual({
      kind: 'completed',
      status: 'failed',
      error: 'engine-budget-exceeded: the engine did not finish within 1.5 s',
    });
    expect(completed).toEqual({ kind: 'completed', status: 'succeeded' });
    expect(Date.now() - started).toBeLessThan(15_000);
    const stored = await runs.getForWorker(poison.id);
    expect(stored).toEqual(
      expect.objectContaining({
        status: 'failed',
        attempts: 1,
        error: poisoned.kind === 'completed' ? poisoned.error : '',
      }),
    );
    // The thread was replaced: the pool still runs the engine.
    const after = await submit(WEBSITE, WEBSITE_STEPS);
    expect(await handleScenarioRun(deps(), after.id)).toEqual({
      kind: 'completed',
      status: 'succeeded',
    });
  });

  it('fails a run refused by a creation limit with the field and the limit', async () => {
    const run = await submit(POISON, [{ get: { kind: 'pods' } }]);
    const outcome = await handleScenarioRun(deps(), run.id);
    expect(outcome).toEqual({
      kind: 'completed',
      status: 'failed',
      error: expect.stringContaining(
        'Deployment default/heavy: spec.replicas: 5000000 is more than the limit of 1000 replicas per workload',
      ),
    });
  });
});
