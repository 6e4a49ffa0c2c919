import { runCompletedData, runCompletedDedupeKey } from './run-completed-event';

const probe = (verdict: string) => ({
  index: 0,
  kind: 'probe',
  result: { kind: 'probe', verdict, hops: [] },
});

describe('runCompletedData', () => {
  it.each([
    [
      'counts steps and probe verdicts',
      {
        status: 'succeeded' as const,
        results: { issues: [], steps: [probe('delivered'), probe('dropped'), probe('delivered')] },
      },
      { steps: 3, verdicts: { delivered: 2, dropped: 1 } },
    ],
    [
      'counts steps without a verdict (views, mutations) but no verdict for them',
      {
        status: 'succeeded' as const,
        results: {
          issues: [],
          steps: [{ index: 0, kind: 'get', result: { view: 'x', issues: [] } }],
        },
      },
      { steps: 1, verdicts: {} },
    ],
    [
      'summarises a failed run without results as empty',
      { status: 'failed' as const, error: 'internal: boom' },
      { steps: 0, verdicts: {} },
    ],
  ])('%s', (_, outcome, summary) => {
    const data = runCompletedData({ id: 'run-1' }, 'sandbox-1', outcome);
    expect(data).toMatchObject({
      runId: 'run-1',
      sandboxId: 'sandbox-1',
      status: outcome.status,
      summary,
    });
    expect(data.error).toBe(outcome.status === 'failed' ? 'internal: boom' : undefined);
  });

  it('keys the event by run, so a repeated publish is one message', () => {
    expect(runCompletedDedupeKey('run-1')).toBe('run.completed:run-1');
  });
});
