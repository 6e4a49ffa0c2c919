import { concatBytes, u16 } from './bytes';

/** The Internet checksum (RFC 1071): ones' complement of the ones' complement sum of 16-bit words. */
export function internetChecksum(...parts: Uint8Array[]): number {
  const data = concatBytes(...parts);
  let sum = 0;
  for (let i = 0; i < data.length; i += 2) {
    sum += (data[i] << 8) | (i + 1 < data.length ? data[i + 1] : 0);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  return ~sum & 0xffff;
}

/**
 * TCP/UDP checksum over the IPv4 pseudo-header (RFC 793 §3.1, RFC 768): source, destination, zero,
 * protocol, segment length, then the segment with its checksum field zeroed. UDP sends 0xffff for a
 * computed 0 because 0 means "no checksum" (RFC 768).
 */
export function transportChecksum(
  src: Uint8Array,
  dst: Uint8Array,
  protocol: number,
  segment: Uint8Array,
): number {
  const pseudo = concatBytes(src, dst, Uint8Array.of(0, protocol), u16(segment.length));
  const sum = internetChecksum(pseudo, segment);
  return protocol === 17 && sum === 0 ? 0xffff : sum;
}
