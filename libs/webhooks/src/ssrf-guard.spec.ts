import type { LookupAddress } from 'node:dns';
import {
  blockedRange,
  checkUrlTarget,
  guardedLookup,
  SsrfBlockedError,
  type SsrfPolicy,
} from './ssrf-guard';

const STRICT: SsrfPolicy = { allowedHosts: [] };

describe('blockedRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.9', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['192.0.2.10', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::', 'unspecified'],
    ['64:ff9b::a9fe:a9fe', 'rfc6052'],
  ])('refuses %s (%s)', (address, range) => {
    expect(blockedRange(address, STRICT)).toBe(range);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows the public address %s',
    (address) => {
      expect(blockedRange(address, STRICT)).toBeUndefined();
    },
  );

  it('allows an address inside an allowlisted CIDR and nothing next to it', () => {
    const policy: SsrfPolicy = { allowedHosts: ['127.0.0.1/32'] };
    expect(blockedRange('127.0.0.1', policy)).toBeUndefined();
    expect(blockedRange('127.0.0.2', policy)).toBe('loopback');
    expect(blockedRange('169.254.169.254', policy)).toBe('linkLocal');
  });
});

describe('checkUrlTarget', () => {
  it.each([
    ['http://127.0.0.1/hook', 'loopback'],
    ['http://169.254.169.254/latest/meta-data/', 'linkLocal'],
    ['http://2130706433/', 'loopback'],
    ['http://0x7f.1/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::1]:8080/', 'loopback'],
    ['ftp://example.com/', 'scheme ftp:'],
    ['http://user:pass@example.com/', 'credentials in URL'],
  ])('refuses %s before connecting', (url, range) => {
    const refused = checkUrlTarget(new URL(url), STRICT);
    expect(refused).toBeInstanceOf(SsrfBlockedError);
    expect(refused?.range).toBe(range);
  });

  it('leaves host names to the connect-time lookup', () => {
    expect(checkUrlTarget(new URL('https://hooks.example.com/x'), STRICT)).toBeUndefined();
  });
});

describe('guardedLookup', () => {
  const lookupWith = (answers: LookupAddress[], policy: Partial<SsrfPolicy> = {}) =>
    new Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[] }>(
      (resolve) =>
        guardedLookup({ allowedHosts: [], resolve: async () => answers, ...policy })(
          'hooks.example.com',
          { all: true },
          (error, address) => resolve({ error, address }),
        ),
    );

  it('passes a public answer through', async () => {
    const { error, address } = await lookupWith([{ address: '93.184.215.14', family: 4 }]);
    expect(error).toBeNull();
    expect(address).toEqual([{ address: '93.184.215.14', family: 4 }]);
  });

  it.each([
    ['the metadata address', [{ address: '169.254.169.254', family: 4 }]],
    [
      'a rebinding answer mixing public and private addresses',
      [
        { address: '93.184.215.14', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ],
    ],
    ['an IPv6 loopback', [{ address: '::1', family: 6 }]],
  ])('refuses %s', async (_name, answers) => {
    const { error } = await lookupWith(answers);
    expect(error).toBeInstanceOf(SsrfBlockedError);
  });

  it('skips address checks for an allowlisted host name', async () => {
    const { error } = await lookupWith([{ address: '127.0.0.1', family: 4 }], {
      allowedHosts: ['hooks.example.com'],
    });
    expect(error).toBeNull();
  });
});
