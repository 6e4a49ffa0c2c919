import {
  cidrContains,
  intToIp,
  ipFromReverseName,
  ipToInt,
  isIPv4,
  parseCidr,
  reverseName,
  subnet,
} from './ip';

describe('isIPv4', () => {
  it.each(['10.96.0.1', '0.0.0.0', '255.255.255.255', '172.18.0.3'])('accepts %s', (text) => {
    expect(isIPv4(text)).toBe(true);
  });
  it.each([
    '256.1.1.1',
    '10.96.0',
    '10.96.0.1.5',
    'website.default',
    '01.2.3.4',
    '1.2.3.4 ',
    'a.b.c.d',
    '',
    '::1',
  ])('rejects %s (Kubernetes accepts only strict dotted quads)', (text) => {
    expect(isIPv4(text)).toBe(false);
  });
});

describe('IPv4 arithmetic', () => {
  it('round-trips addresses through integers, including the top of the range', () => {
    for (const ip of ['0.0.0.0', '10.244.1.7', '255.255.255.255'])
      expect(intToIp(ipToInt(ip))).toBe(ip);
  });

  it('normalises a CIDR to its network address and checks containment at both edges', () => {
    const cidr = parseCidr('10.96.3.7/16');
    expect(cidr).toEqual({ base: ipToInt('10.96.0.0'), prefix: 16, size: 65536 });
    expect(cidrContains(cidr!, '10.96.0.0')).toBe(true);
    expect(cidrContains(cidr!, '10.96.255.255')).toBe(true);
    expect(cidrContains(cidr!, '10.97.0.0')).toBe(false);
  });

  it('carves node pod ranges out of the cluster pod CIDR and refuses ranges past its end', () => {
    const pods = parseCidr('10.244.0.0/16')!;
    expect(intToIp(subnet(pods, 24, 2)!.base)).toBe('10.244.2.0');
    expect(subnet(pods, 24, 256)).toBeNull();
  });

  it('builds and parses reverse names', () => {
    expect(reverseName('10.96.0.10')).toBe('10.0.96.10.in-addr.arpa');
    expect(ipFromReverseName('10.0.96.10.in-addr.arpa.')).toBe('10.96.0.10');
    expect(ipFromReverseName('10.0.96.in-addr.arpa')).toBeNull();
  });
});
