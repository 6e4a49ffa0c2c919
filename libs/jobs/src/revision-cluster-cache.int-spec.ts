// The job handler with a revision cache, on both databases the service runs on: runs of one
// revision share its loaded cluster, and the outcome is the same as without the cache.
import {
  RunRepository,
  SandboxRepository,
  SecretCipher,
  TenantRepository,
  WebhookEndpointRepository,
  type DatabaseHandle,
  type RunRecord,
} from '@netplay/db';
import { describeEachBackend } from '@netplay/db/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  handleScenarioRun,
  MISSING_REVISION_ERROR,
  type ScenarioRunDeps,
} from './handle-scenario-run';
import { RevisionClusterCache } from './revision-cluster-cache';

const WEBSITE = readFileSync(
  path.join(__dirname, '../../../examples/manifests/website.yaml'),
  'utf8',
);
const PROBE = [{ name: 'wget', probe: { from: 'default/client', to: 'http://website.default/' } }];
const BLOCKED_PROBE = [
  { name: 'wget', probe: { from: 'default/client', to: 'http://website.default:81/' } },
];

describeEachBackend('handleScenarioRun with a revision cache', (backend) => {
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
    if (!sandbox.ok) throw new Error(sandbox.code);
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

  function depsWith(
    cache: RevisionClusterCache | undefined,
    revisionReads: string[],
  ): ScenarioRunDeps {
    return {
      runs,
      revisions: {
        getRevisionForWorker: (id) => (revisionReads.push(id), sandboxes.getRevisionForWorker(id)),
      },
      events: { publish: async () => undefined },
      ...(cache ? { clusterCache: cache } : {}),
    };
  }

  it('reads and loads a revision once for all its runs, each run getting its own steps', async () => {
    const [first, second, third] = await submitRuns([PROBE, BLOCKED_PROBE, PROBE]);
    const reads: string[] = [];
    const deps = depsWith(new RevisionClusterCache(), reads);
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
    const deps = { ...depsWith(new RevisionClusterCache(), reads), webhooks };
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
      ...depsWith(new RevisionClusterCache(), []),
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

  it('stores the same result with and without the cache', async () => {
    const [cold, warm, uncached] = await submitRuns([PROBE, PROBE, PROBE]);
    const cache = new RevisionClusterCache();
    for (const run of [cold, warm]) await handleScenarioRun(depsWith(cache, []), run.id);
    await handleScenarioRun(depsWith(undefined, []), uncached.id);
    const results = await Promise.all(
      [cold, warm, uncached].map((run) => runs.getResult(run.tenantId, run.id)),
    );
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  it('fails the run when its revision is gone and the cache does not hold it', async () => {
    const [run] = await submitRuns([PROBE]);
    const deps: ScenarioRunDeps = {
      ...depsWith(new RevisionClusterCache(), []),
      revisions: { getRevisionForWorker: async () => undefined },
    };
    await expect(handleScenarioRun(deps, run.id)).resolves.toEqual({
      kind: 'completed',
      status: 'failed',
      error: MISSING_REVISION_ERROR,
    });
  });
});
