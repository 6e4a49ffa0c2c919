import {
  DEFAULT_RETRY_SCHEDULE,
  DEFAULT_RETRY_SCHEDULE_MS,
  maxAttempts,
  retryDelayMs,
} from './retry-schedule';

const HOUR = 3_600_000;

describe('retry schedule', () => {
  it('spreads twelve attempts over about three days', () => {
    const total = DEFAULT_RETRY_SCHEDULE_MS.reduce((sum, delay) => sum + delay, 0);
    expect(maxAttempts(DEFAULT_RETRY_SCHEDULE)).toBe(12);
    expect(total).toBeGreaterThan(60 * HOUR);
    expect(total).toBeLessThan(76 * HOUR);
  });

  it.each([
    [1, 5_000],
    [2, 300_000],
    [3, 1_800_000],
    [4, 2 * HOUR],
    [5, 5 * HOUR],
    [6, 10 * HOUR],
    [11, 10 * HOUR],
  ])('waits the nominal delay after %s failures without jitter', (failures, delay) => {
    expect(retryDelayMs(failures, { ...DEFAULT_RETRY_SCHEDULE, jitter: false })).toBe(delay);
  });

  it('stops after the last scheduled attempt', () => {
    expect(retryDelayMs(12, DEFAULT_RETRY_SCHEDULE)).toBeUndefined();
  });

  it.each([
    [0, 0],
    [0.5, 5_000],
    [0.999, 9_990],
  ])('applies full jitter: a draw of %s waits %s ms after the first failure', (draw, delay) => {
    expect(retryDelayMs(1, { ...DEFAULT_RETRY_SCHEDULE, random: () => draw })).toBe(delay);
  });
});
