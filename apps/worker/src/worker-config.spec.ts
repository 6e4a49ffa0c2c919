import {
  DEFAULT_RECONCILE_INTERVAL_MS,
  DEFAULT_WORKER_CONCURRENCY,
  readWorkerConfig,
} from './worker-config';
import { DEFAULT_RECONCILE_MIN_AGE_MS, DEFAULT_RELAY_INTERVAL_MS } from '@netplay/queue';

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

  it('reads the engine pool settings', () => {
    const { config, problems } = readWorkerConfig({
      ...CONNECTIONS,
      ENGINE_POOL_THREADS: '3',
      ENGINE_TASK_BUDGET_MS: '2500',
      ENGINE_THREAD_MAX_HEAP_MB: '256',
      NETPLAY_ENGINE_THREAD_NICE: '0',
    });
    expect(problems).toEqual([]);
    expect(config.enginePool).toEqual({
      threads: 3,
      budgetMs: 2500,
      maxHeapMb: 256,
      threadNice: 0,
    });
    expect(readWorkerConfig(CONNECTIONS).config.enginePool).toEqual({
      threads: undefined,
      budgetMs: 10_000,
      maxHeapMb: 512,
      threadNice: 10,
    });
  });

  it.each<[string, NodeJS.ProcessEnv, string]>([
    ['no engine threads', { ...CONNECTIONS, ENGINE_POOL_THREADS: '0' }, 'ENGINE_POOL_THREADS'],
    ['a budget of 10 ms', { ...CONNECTIONS, ENGINE_TASK_BUDGET_MS: '10' }, 'ENGINE_TASK_BUDGET_MS'],
    [
      'a niceness past 19',
      { ...CONNECTIONS, NETPLAY_ENGINE_THREAD_NICE: '20' },
      'NETPLAY_ENGINE_THREAD_NICE',
    ],
    ['no database', { REDIS_URL: CONNECTIONS.REDIS_URL }, 'NETPLAY_DATABASE_URL'],
    ['no Redis', { DATABASE_URL: CONNECTIONS.DATABASE_URL }, 'NETPLAY_REDIS_URL'],
    [
      'a database URL of another scheme',
      { ...CONNECTIONS, DATABASE_URL: 'mysql://db/x' },
      'DATABASE_URL',
    ],
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

  it('reads the NETPLAY_ names and reports the old ones as deprecated', () => {
    const canonical = readWorkerConfig({
      NETPLAY_DATABASE_URL: CONNECTIONS.DATABASE_URL,
      NETPLAY_REDIS_URL: CONNECTIONS.REDIS_URL,
      NETPLAY_WORKER_CONCURRENCY: '8',
    });
    expect(canonical.problems).toEqual([]);
    expect(canonical.deprecated).toEqual([]);
    expect(canonical.config.concurrency).toBe(8);
    const old = readWorkerConfig({ ...CONNECTIONS, WORKER_CONCURRENCY: '8' });
    expect(old.config.concurrency).toBe(8);
    expect(old.deprecated.map((entry) => entry.used)).toEqual([
      'DATABASE_URL',
      'REDIS_URL',
      'WORKER_CONCURRENCY',
    ]);
  });

  it('uses the queue library defaults for the relay and reconciler timings', () => {
    const { config } = readWorkerConfig(CONNECTIONS);
    expect(config.relayIntervalMs).toBe(DEFAULT_RELAY_INTERVAL_MS);
    expect(config.reconcileMinAgeMs).toBe(DEFAULT_RECONCILE_MIN_AGE_MS);
  });

  it('passes the secret key and the webhook settings on', () => {
    const key = Buffer.alloc(32, 1).toString('base64');
    const { config } = readWorkerConfig({
      ...CONNECTIONS,
      NETPLAY_SECRET_KEY: key,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1/32',
    });
    expect(config.secretKey).toBe(key);
    expect(config.webhooks.policy.allowedHosts).toEqual(['127.0.0.1/32']);
  });
});
