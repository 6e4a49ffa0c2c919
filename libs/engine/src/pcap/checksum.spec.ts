import { concatBytes, ipv4Bytes, ipv6Bytes, u16 } from './bytes';
import { internetChecksum, transportChecksum } from './checksum';
import { ipv4Packet, tcpSegment, udpDatagram } from './headers';

const hex = (text: string) =>
  Uint8Array.from(text.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));

describe('internetChecksum', () => {
  it.each([
    // RFC 1071 §3 numerical example: the sum is ddf2, so the checksum is its complement.
    ['RFC 1071 example', '0001 f203 f4f5 f6f7', 0x220d],
    // The IPv4 header example on Wikipedia's "Internet checksum" page (checksum field zeroed).
    [
      'IPv4 header 192.168.0.1 → 192.168.0.199',
      '4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7',
      0xb861,
    ],
    ['odd length pads with a zero byte', '0102 03', ~(0x0102 + 0x0300) & 0xffff],
  ])('%s', (_name, bytes, expected) => {
    expect(internetChecksum(hex(bytes))).toBe(expected);
  });

  it('sums to zero over a header that carries its own checksum', () => {
    const packet = ipv4Packet(
      { src: '10.244.1.2', dst: '10.96.0.10', protocol: 17, id: 0x0300, ttl: 64 },
      new Uint8Array(8),
    );
    expect(internetChecksum(packet.slice(0, 20))).toBe(0);
  });
});

describe('transportChecksum', () => {
  const src = ipv4Bytes('10.244.1.2');
  const dst = ipv4Bytes('10.244.2.2');

  it.each([
    ['UDP', udpDatagram('10.244.1.2', '10.244.2.2', 44679, 53, Uint8Array.of(1, 2, 3)), 17],
    [
      'TCP',
      tcpSegment(
        '10.244.1.2',
        '10.244.2.2',
        { srcPort: 45431, dstPort: 80, seq: 1, ack: 0, flags: 2, window: 64240, mss: 1460 },
        new Uint8Array(0),
      ),
      6,
    ],
  ])('a %s segment verifies to zero with the pseudo-header', (_name, segment, protocol) => {
    const pseudo = concatBytes(src, dst, Uint8Array.of(0, protocol), u16(segment.length));
    expect(internetChecksum(pseudo, segment)).toBe(0);
  });

  it('sends a computed zero UDP checksum as 0xffff (0 means "no checksum", RFC 768)', () => {
    // Pseudo-header plus segment summing to 0xffff makes the complement 0.
    const segment = Uint8Array.of(0, 0, 0, 0, 0, 8, 0, 0);
    const zeroAddress = new Uint8Array(4);
    const pseudoSum = 17 + 8 + 8;
    const filler = u16(0xffff - pseudoSum);
    expect(
      transportChecksum(zeroAddress, zeroAddress, 17, concatBytes(segment.slice(0, 6), filler)),
    ).toBe(0xffff);
  });
});

describe('address bytes', () => {
  it.each([
    ['2606:2800:21f:cb07:6820:80da:af6b:8b2c', '26062800021fcb07682080daaf6b8b2c'],
    ['fd00::1', 'fd000000000000000000000000000001'],
    ['::ffff:10.0.0.1', '00000000000000000000ffff0a000001'],
    ['not-an-address', '00000000000000000000000000000000'],
  ])('IPv6 %s', (text, expected) => {
    expect(Buffer.from(ipv6Bytes(text)).toString('hex')).toBe(expected);
  });

  it('IPv4 dotted quad, and 0.0.0.0 for anything else', () => {
    expect(Array.from(ipv4Bytes('172.18.0.3'))).toEqual([172, 18, 0, 3]);
    expect(Array.from(ipv4Bytes('300.1.1.1'))).toEqual([0, 0, 0, 0]);
  });
});
