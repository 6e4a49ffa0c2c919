import { collectingDestination, createLogger, REDACTED } from './create-logger';

describe('createLogger', () => {
  it('writes JSON lines with a UTC ISO timestamp, the level as a word and the service', () => {
    const destination = collectingDestination();
    const logger = createLogger({ level: 'info', format: 'json' }, { service: 'api', destination });
    logger.info('ready');
    logger.debug('not at this level');
    expect(destination.lines).toHaveLength(1);
    const [line] = destination.lines;
    expect(line).toMatchObject({ level: 'info', msg: 'ready', service: 'api' });
    expect(line?.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('redacts credentials and secrets wherever the configured paths find them', () => {
    const destination = collectingDestination();
    const logger = createLogger(
      { level: 'info', format: 'json' },
      { service: 'worker', destination },
    );
    const apiKey = 'np_live_0123456789abcdef0123456789abcdef';
    logger.info(
      {
        req: { headers: { authorization: `Bearer ${apiKey}`, 'x-api-key': apiKey } },
        endpoint: { url: 'https://hooks.example.com/', secret: 'whsec_abcdef' },
        lti: { privateKey: '-----BEGIN PRIVATE KEY-----' },
        NETPLAY_SECRET_KEY: 'c2VjcmV0',
      },
      'delivery',
    );
    const text = JSON.stringify(destination.lines);
    for (const secret of [apiKey, 'whsec_abcdef', 'BEGIN PRIVATE KEY', 'c2VjcmV0'])
      expect(text).not.toContain(secret);
    expect(destination.lines[0]).toMatchObject({
      req: { headers: { authorization: REDACTED } },
      endpoint: { url: 'https://hooks.example.com/', secret: REDACTED },
    });
  });
});
