// Crashes at the edges of the transactional outbox, and duplicate submissions (docs/reliability.md,
// "Fault matrix" F5, F6, F17): the API exits through a failpoint (NETPLAY_FAILPOINT, inert unless
// set) exactly between two writes, and the run still completes once.
import { FAILPOINTS } from '@netplay/queue';
import { waitFor } from '@netplay/testing';
import { FaultStack } from './harness/fault-stack';
import { checkInvariants } from './harness/invariants';

describe('crashes between the database and the queue', () => {
  let stack: FaultStack;

  beforeAll(async () => {
    stack = await FaultStack.start({ workers: 0 });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  }, 120_000);

  afterEach(async () => {
    await Promise.all(stack.service.workers.map((worker) => worker.kill()));
    if (!stack.service.api.running) await stack.service.restartApi();
  });

  async function outboxOf(runId: string): Promise<Array<{ dispatched: boolean }>> {
    const { rows } = await stack.service.sql.query<{ dispatched: boolean }>(
      'SELECT dispatched_at IS NOT NULL AS dispatched FROM outbox_event WHERE run_id = $1',
      [runId],
    );
    return rows;
  }

  it('F5: the API killed between the commit and the enqueue; the run completes and a retry with its Idempotency-Key returns it', async () => {
    const tenant = await stack.tenant('f5');
    await stack.service.restartApi({ NETPLAY_FAILPOINT: FAILPOINTS.afterRunCommit });
    const key = 'f5-retry-me';
    // The answer is lost with the process: the client cannot know whether the run was made.
    await expect(stack.submit(tenant, undefined, key)).rejects.toThrow();
    expect(await stack.service.api.whenExited()).toBe(137);
    const { rows } = await stack.service.sql.query<{ id: string }>(
      'SELECT id FROM run WHERE idempotency_key = $1',
      [key],
    );
    expect(rows).toHaveLength(1);
    const runId = rows[0].id;
    expect(await stack.service.queue.getJob(runId)).toBeUndefined();
    expect(await outboxOf(runId)).toEqual([{ dispatched: false }]);

    // The worker needs nothing from the API: both start at once.
    await Promise.all([stack.service.restartApi(), stack.startWorker()]);
    const retried = await stack.submit(tenant, undefined, key);
    expect([200, 202]).toContain(retried.status);
    expect(retried.body.id).toBe(runId);
    await checkInvariants(
      stack.service.sql,
      { byTenant: new Map([[tenant.name, [runId]]]) },
      { terminalWithinMs: 60_000 },
    );
    expect(await stack.service.jobIds()).toContain(runId);
  });

  it('F6: the relay killed after queue.add, before marking the event dispatched; one job, one result', async () => {
    const tenant = await stack.tenant('f6');
    // No worker: the run's job waits, so the relay's later pass resends it and dies right after.
    await stack.service.restartApi({ NETPLAY_FAILPOINT: FAILPOINTS.afterRelayEnqueue });
    const submitted = await stack.submit(tenant);
    expect(submitted.status).toBe(202);
    const runId = submitted.body.id ?? '';
    expect(await stack.service.api.whenExited()).toBe(137);
    expect(await stack.service.queue.getJobState(runId)).toBe('waiting');
    expect(await outboxOf(runId)).toEqual([{ dispatched: false }]);

    await Promise.all([stack.service.restartApi(), stack.startWorker()]);
    await checkInvariants(
      stack.service.sql,
      { byTenant: new Map([[tenant.name, [runId]]]) },
      { terminalWithinMs: 60_000 },
    );
    const jobIds = await stack.service.jobIds();
    expect(jobIds.filter((id) => id === runId)).toHaveLength(1);
    // The claim deleted the event the relay never got to mark.
    await waitFor('the outbox event to be gone', async () => (await outboxOf(runId)).length === 0, {
      timeoutMs: 10_000,
    });
  });

  it('F17: the same Idempotency-Key sent 20 times at once makes one run, and every answer names it', async () => {
    const tenant = await stack.tenant('f17');
    await stack.startWorker();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => stack.submit(tenant, undefined, 'f17-same-key')),
    );
    const accepted = answers.filter((answer) => answer.status === 200 || answer.status === 202);
    // A submit that lost the race while the first was in flight may be told so (409); none is a 5xx.
    expect(answers.filter((answer) => answer.status !== 409 && !accepted.includes(answer))).toEqual(
      [],
    );
    const ids = new Set(accepted.map((answer) => answer.body.id));
    expect(ids.size).toBe(1);
    const { rows } = await stack.service.sql.query<{ id: string }>(
      'SELECT id FROM run WHERE idempotency_key = $1',
      ['f17-same-key'],
    );
    expect(rows.map((row) => row.id)).toEqual([...ids]);
    await checkInvariants(
      stack.service.sql,
      { byTenant: new Map([[tenant.name, rows.map((row) => row.id)]]) },
      { terminalWithinMs: 60_000 },
    );
  });
});
