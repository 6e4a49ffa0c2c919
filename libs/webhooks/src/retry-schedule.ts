// When a failed delivery is tried again. The table follows the Standard Webhooks example schedule
// and Svix's (docs.svix.com/retries), stretched with more 10 h steps to cover about three days:
//
// | attempt | delay after the previous failure | elapsed (nominal) |
// |---------|----------------------------------|-------------------|
// | 1       | immediately                      | 0                 |
// | 2       | 5 s                              | 5 s               |
// | 3       | 5 min                            | ~5 min            |
// | 4       | 30 min                           | ~35 min           |
// | 5       | 2 h                              | ~2.6 h            |
// | 6       | 5 h                              | ~7.6 h            |
// | 7–12    | 10 h each                        | ~17.6 h … ~67.6 h |
//
// Each delay gets full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): a uniform
// draw from [0, 2 × nominal), so the mean stays at the table value while endpoints that failed
// together (a receiver outage) spread their retries instead of returning as a thundering herd.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Nominal delays before attempts 2, 3, …; attempt 1 is immediate. */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
  10 * HOUR,
  10 * HOUR,
  10 * HOUR,
  10 * HOUR,
];

export interface RetrySchedule {
  /** Nominal delays before attempts 2, 3, … (tests pass a few milliseconds). */
  delaysMs: readonly number[];
  /** Applies full jitter; off in tests that want exact delays. */
  jitter: boolean;
  random?: () => number;
}

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  delaysMs: DEFAULT_RETRY_SCHEDULE_MS,
  jitter: true,
};

/** Total attempts the schedule allows (the first plus one per delay). */
export function maxAttempts(schedule: RetrySchedule): number {
  return schedule.delaysMs.length + 1;
}

/**
 * The wait after `failedAttempts` failures (1 = the first attempt failed), or undefined when the
 * schedule is exhausted.
 */
export function retryDelayMs(failedAttempts: number, schedule: RetrySchedule): number | undefined {
  const nominal = schedule.delaysMs[failedAttempts - 1];
  if (nominal === undefined) return undefined;
  if (!schedule.jitter) return nominal;
  return Math.floor((schedule.random ?? Math.random)() * 2 * nominal);
}
