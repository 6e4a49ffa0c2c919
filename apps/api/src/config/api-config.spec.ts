import { readApiConfig } from './api-config';

describe('readApiConfig: the rate limit', () => {
  it('refills at NETPLAY_RATE_LIMIT_PER_MINUTE with a burst of as many points by default', () => {
    expect(readApiConfig({}).config).toMatchObject({
      rateLimitPerMinute: 1_200,
      rateLimitBurst: 1_200,
    });
    expect(readApiConfig({ NETPLAY_RATE_LIMIT_PER_MINUTE: '600' }).config).toMatchObject({
      rateLimitPerMinute: 600,
      rateLimitBurst: 600,
    });
  });

  it('takes the burst from NETPLAY_RATE_LIMIT_BURST', () => {
    const { config, problems } = readApiConfig({
      NETPLAY_RATE_LIMIT_PER_MINUTE: '600',
      NETPLAY_RATE_LIMIT_BURST: '50',
    });
    expect(problems).toEqual([]);
    expect(config).toMatchObject({ rateLimitPerMinute: 600, rateLimitBurst: 50 });
  });

  it.each(['0', '-5', '2.5', 'lots'])('names a burst of %s as a problem', (burst) => {
    expect(readApiConfig({ NETPLAY_RATE_LIMIT_BURST: burst }).problems).toEqual([
      {
        variable: 'NETPLAY_RATE_LIMIT_BURST',
        message: `must be an integer from 1 to 1000000, got "${burst}"`,
      },
    ]);
  });
});
