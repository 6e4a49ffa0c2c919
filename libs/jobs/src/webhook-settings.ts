// Webhook and grading settings, shared by the API and the worker so both sides of the queues agree.
// `NETPLAY_WEBHOOK_ALLOWED_HOSTS` relaxes the SSRF guard for development and tests only
// (docs/webhooks.md); the retry delays and the disable threshold default to the production schedule
// and are shortened by test suites. The variables themselves are defined in libs/config.
import { readSettings, type Environment, type SettingProblem } from '@netplay/config';
import { DEFAULT_RETRY_SCHEDULE, type RetrySchedule, type SsrfPolicy } from '@netplay/webhooks';

export interface WebhookSettings {
  policy: SsrfPolicy;
  schedule: RetrySchedule;
  disableAfterFailures: number;
}

export const WEBHOOK_SETTING_KEYS = [
  'webhookAllowedHosts',
  'webhookRetryDelaysMs',
  'webhookDisableAfterFailures',
] as const;

/** The settings from already validated values (a process's config). */
export function webhookSettingsFrom(values: {
  webhookAllowedHosts: readonly string[];
  webhookRetryDelaysMs?: readonly number[];
  webhookDisableAfterFailures: number;
}): WebhookSettings {
  return {
    policy: { allowedHosts: [...values.webhookAllowedHosts] },
    schedule: values.webhookRetryDelaysMs
      ? { delaysMs: [...values.webhookRetryDelaysMs], jitter: false }
      : DEFAULT_RETRY_SCHEDULE,
    disableAfterFailures: values.webhookDisableAfterFailures,
  };
}

export function readWebhookSettings(env: Environment): {
  settings: WebhookSettings;
  problems: SettingProblem[];
} {
  const { values, problems } = readSettings(WEBHOOK_SETTING_KEYS, env);
  return { settings: webhookSettingsFrom(values), problems };
}
