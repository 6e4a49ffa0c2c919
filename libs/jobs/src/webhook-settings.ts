// Webhook and grading settings from the environment, shared by the API and the worker so both
// sides of the queues agree. `WEBHOOK_ALLOWED_HOSTS` relaxes the SSRF guard for development and
// tests only (docs/webhooks.md); the retry delays and the disable threshold default to the
// production schedule and are shortened by test suites.
import {
  DEFAULT_DISABLE_AFTER_FAILURES,
  DEFAULT_RETRY_SCHEDULE,
  ssrfPolicyFromEnv,
  type RetrySchedule,
  type SsrfPolicy,
} from '@netplay/webhooks';

export const RETRY_DELAYS_ENV = 'NETPLAY_WEBHOOK_RETRY_DELAYS_MS';
export const DISABLE_AFTER_ENV = 'NETPLAY_WEBHOOK_DISABLE_AFTER_FAILURES';

export interface WebhookSettings {
  policy: SsrfPolicy;
  schedule: RetrySchedule;
  disableAfterFailures: number;
}

export interface SettingsProblem {
  variable: string;
  message: string;
}

export function readWebhookSettings(env: Record<string, string | undefined>): {
  settings: WebhookSettings;
  problems: SettingsProblem[];
} {
  const problems: SettingsProblem[] = [];
  let schedule = DEFAULT_RETRY_SCHEDULE;
  const delays = env[RETRY_DELAYS_ENV];
  if (delays) {
    const parsed = delays.split(',').map((entry) => Number(entry.trim()));
    if (parsed.every((delay) => Number.isInteger(delay) && delay >= 0))
      schedule = { delaysMs: parsed, jitter: false };
    else
      problems.push({
        variable: RETRY_DELAYS_ENV,
        message: `must be comma-separated non-negative integers, got "${delays}"`,
      });
  }
  let disableAfterFailures = DEFAULT_DISABLE_AFTER_FAILURES;
  const disableAfter = env[DISABLE_AFTER_ENV];
  if (disableAfter) {
    const value = Number(disableAfter);
    if (Number.isInteger(value) && value >= 1) disableAfterFailures = value;
    else
      problems.push({
        variable: DISABLE_AFTER_ENV,
        message: `must be a positive integer, got "${disableAfter}"`,
      });
  }
  return { settings: { policy: ssrfPolicyFromEnv(env), schedule, disableAfterFailures }, problems };
}
