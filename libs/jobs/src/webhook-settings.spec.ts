import { DEFAULT_DISABLE_AFTER_FAILURES, DEFAULT_RETRY_SCHEDULE } from '@netplay/webhooks';
import { readWebhookSettings } from './webhook-settings';

describe('readWebhookSettings', () => {
  it('defaults to the production schedule, threshold and an empty allowlist', () => {
    expect(readWebhookSettings({})).toEqual({
      settings: {
        policy: { allowedHosts: [] },
        schedule: DEFAULT_RETRY_SCHEDULE,
        disableAfterFailures: DEFAULT_DISABLE_AFTER_FAILURES,
      },
      problems: [],
    });
  });

  it('reads the allowlist, exact delays without jitter and the threshold', () => {
    const { settings, problems } = readWebhookSettings({
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1/32, hooks.test',
      NETPLAY_WEBHOOK_RETRY_DELAYS_MS: '10,20',
      NETPLAY_WEBHOOK_DISABLE_AFTER_FAILURES: '3',
    });
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      policy: { allowedHosts: ['127.0.0.1/32', 'hooks.test'] },
      schedule: { delaysMs: [10, 20], jitter: false },
      disableAfterFailures: 3,
    });
  });

  it.each([
    ['NETPLAY_WEBHOOK_RETRY_DELAYS_MS', '5,soon'],
    ['NETPLAY_WEBHOOK_DISABLE_AFTER_FAILURES', '0'],
  ])('names %s when it holds %s', (variable, value) => {
    expect(readWebhookSettings({ [variable]: value }).problems).toEqual([
      expect.objectContaining({ variable }),
    ]);
  });
});
