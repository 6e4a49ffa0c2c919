import { isTerminalRunStatus, JOBS, QUEUE_NAMES, RUN_STATUSES, type RunStatus } from './index';

describe('contracts', () => {
  it.each<[RunStatus, boolean]>([
    ['queued', false],
    ['running', false],
    ['succeeded', true],
    ['failed', true],
  ])('a %s run is terminal: %s', (status, terminal) => {
    expect(isTerminalRunStatus(status)).toBe(terminal);
  });

  it('lists every run status once', () => {
    expect(new Set(RUN_STATUSES).size).toBe(RUN_STATUSES.length);
  });

  it('keeps the persisted queue and job names', () => {
    // Renaming these strands jobs already in Redis: change them only with a migration plan.
    expect(QUEUE_NAMES.scenario).toBe('scenario');
    expect(JOBS['simulate-run'].queue).toBe('scenario');
  });
});
