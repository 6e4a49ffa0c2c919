import {
  DEFAULT_RECONCILE_INTERVAL_MS,
  DEFAULT_WORKER_CONCURRENCY,
  readWorkerConfig,
} from './worker-config';

const CONNECTIONS = {
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/netplay',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

describe('readWorkerConfig', () => {
  it('uses the documented defaults', () => {
    const { config, problems } = readWorkerConfig(CONNECTIONS);
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      concurrency: DEFAULT_WORKER_CONCURRENCY,
      reconcileIntervalMs: DEFAULT_RECONCILE_INTERVAL_MS,
      relayIntervalMs: 200,
    });
    expect(config.metricsPort).toBeUndefined();
    expect(config.queuePrefix).toBeUndefined();
  });

  it('reads concurrency, metrics port and queue prefix', () => {
    const { config } = readWorkerConfig({
      ...CONNECTIONS,
      WORKER_CONCURRENCY: '16',
      WORKER_METRICS_PORT: '9464',
      NETPLAY_QUEUE_PREFIX: 'staging',
    });
    expect(config).toMatchObject({ concurrency: 16, metricsPort: 9464, queuePrefix: 'staging' });
  });

  it.each<[string, NodeJS.ProcessEnv, string]>([
    ['no database', { REDIS_URL: CONNECTIONS.REDIS_URL }, 'DATABASE_URL'],
    ['no Redis', { DATABASE_URL: CONNECTIONS.DATABASE_URL }, 'REDIS_URL'],
    ['a concurrency of zero', { ...CONNECTIONS, WORKER_CONCURRENCY: '0' }, 'WORKER_CONCURRENCY'],
    [
      'a fractional concurrency',
      { ...CONNECTIONS, WORKER_CONCURRENCY: '2.5' },
      'WORKER_CONCURRENCY',
    ],
    [
      'a port that is not a number',
      { ...CONNECTIONS, WORKER_METRICS_PORT: 'http' },
      'WORKER_METRICS_PORT',
    ],
  ])('names the variable for %s', (_, env, variable) => {
    expect(readWorkerConfig(env).problems.map((problem) => problem.variable)).toEqual([variable]);
  });
});
