import { parseTarget } from './target';

describe('parseTarget', () => {
  it.each([
    [
      'http://website.default/',
      { host: 'website.default', port: 80, scheme: 'http', path: '/', isIP: false },
    ],
    ['https://website', { host: 'website', port: 443, scheme: 'https', path: '/', isIP: false }],
    [
      'http://10.96.0.1:443/path?q=1',
      { host: '10.96.0.1', port: 443, scheme: 'http', path: '/path?q=1', isIP: true },
    ],
    ['website:8080', { host: 'website', port: 8080, path: '/', isIP: false }],
    ['10.244.1.5', { host: '10.244.1.5', port: 80, path: '/', isIP: true }],
    [
      'Website.Default.svc.cluster.local.',
      { host: 'website.default.svc.cluster.local.', port: 80, path: '/', isIP: false },
    ],
  ])('%s', (to, expected) => {
    expect(parseTarget(to)).toEqual({ ok: true, target: expected });
  });

  it.each([['ftp://x/'], ['x:0'], ['x:65536'], ['http://[::1]/'], ['http:///'], ['bad host!']])(
    'refuses %s with a message',
    (to) => {
      const result = parseTarget(to);
      expect(result.ok).toBe(false);
    },
  );
});
