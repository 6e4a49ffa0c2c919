import { deprecationWarning, readSettings } from './read-settings';
import { SETTINGS } from './settings';

describe('readSettings', () => {
  it('gives the schema defaults when nothing is set', () => {
    const { values, problems, deprecated } = readSettings(
      ['port', 'workerConcurrency', 'graphqlPublicIntrospection', 'databaseUrl', 'logFormat'],
      {},
    );
    expect(problems).toEqual([]);
    expect(deprecated).toEqual([]);
    expect(values).toEqual({
      port: 3000,
      workerConcurrency: 4,
      graphqlPublicIntrospection: false,
      databaseUrl: undefined,
      logFormat: 'json',
    });
  });

  it('reads a deprecated alias and reports it once, with its replacement', () => {
    const { values, deprecated } = readSettings(['workerConcurrency', 'redisUrl'], {
      WORKER_CONCURRENCY: '16',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(values).toEqual({ workerConcurrency: 16, redisUrl: 'redis://127.0.0.1:6379' });
    expect(deprecated).toEqual([
      { used: 'WORKER_CONCURRENCY', replacement: 'NETPLAY_WORKER_CONCURRENCY' },
      { used: 'REDIS_URL', replacement: 'NETPLAY_REDIS_URL' },
    ]);
    expect(deprecationWarning(deprecated)).toContain(
      'WORKER_CONCURRENCY → NETPLAY_WORKER_CONCURRENCY',
    );
  });

  it('prefers the canonical name over an alias', () => {
    const { values, deprecated } = readSettings(['port'], { NETPLAY_PORT: '8080', PORT: '9090' });
    expect(values.port).toBe(8080);
    expect(deprecated).toEqual([]);
  });

  it('treats an empty value as unset', () => {
    expect(readSettings(['port'], { NETPLAY_PORT: '' }).values.port).toBe(3000);
  });

  it.each([
    ['NETPLAY_PORT', '70000', 'must be an integer from 0 to 65535, got "70000"'],
    ['NETPLAY_WORKER_CONCURRENCY', '2.5', 'must be an integer from 1 to 1024, got "2.5"'],
    ['NETPLAY_GRAPHQL_PUBLIC_INTROSPECTION', 'yes', 'must be true or false, got "yes"'],
    ['NETPLAY_LOG_FORMAT', 'xml', 'must be one of json, pretty, got "xml"'],
    [
      'NETPLAY_WEBHOOK_RETRY_DELAYS_MS',
      '5,soon',
      'must be comma-separated non-negative integers, got "5,soon"',
    ],
  ])('names %s and the expected form when it holds %s', (variable, raw, message) => {
    const key = (Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]).find(
      (candidate) => SETTINGS[candidate].name === variable,
    );
    expect(key).toBeDefined();
    expect(readSettings([key as keyof typeof SETTINGS], { [variable]: raw }).problems).toEqual([
      { variable, message },
    ]);
  });

  it('names the alias that was set when its value is wrong', () => {
    expect(readSettings(['workerConcurrency'], { WORKER_CONCURRENCY: '0' }).problems).toEqual([
      { variable: 'WORKER_CONCURRENCY', message: 'must be an integer from 1 to 1024, got "0"' },
    ]);
  });

  it('never repeats the value of a secret setting', () => {
    const leaked = 'postgres-password-in-a-url';
    const { problems } = readSettings(['databaseUrl', 'secretKey', 'adminKey'], {
      NETPLAY_DATABASE_URL: `mysql://user:${leaked}@db/netplay`,
      NETPLAY_SECRET_KEY: leaked,
      NETPLAY_ADMIN_KEY: 'short',
    });
    expect(problems.map((problem) => problem.variable)).toEqual([
      'NETPLAY_DATABASE_URL',
      'NETPLAY_SECRET_KEY',
      'NETPLAY_ADMIN_KEY',
    ]);
    expect(JSON.stringify(problems)).not.toContain(leaked);
    expect(JSON.stringify(problems)).not.toContain('short');
  });

  it('accepts a 32-byte base64 secret key and refuses a shorter one', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(readSettings(['secretKey'], { NETPLAY_SECRET_KEY: key }).values.secretKey).toBe(key);
    expect(
      readSettings(['secretKey'], { NETPLAY_SECRET_KEY: Buffer.alloc(16).toString('base64') })
        .problems[0]?.message,
    ).toBe('must be 32 bytes in base64 (openssl rand -base64 32)');
  });

  it('gives every setting a NETPLAY_ name, unique across names and aliases', () => {
    const names = Object.values(SETTINGS).flatMap((entry) => [
      entry.name,
      ...(('aliases' in entry && entry.aliases) || []),
    ]);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of Object.values(SETTINGS)) expect(entry.name).toMatch(/^NETPLAY_[A-Z_]+$/);
  });
});
