/** Big-endian byte building for wire formats (network byte order). */

export function u16(value: number): Uint8Array {
  return Uint8Array.of((value >>> 8) & 0xff, value & 0xff);
}

export function u32(value: number): Uint8Array {
  return Uint8Array.of(
    (value >>> 24) & 0xff,
    (value >>> 16) & 0xff,
    (value >>> 8) & 0xff,
    value & 0xff,
  );
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function asciiBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** `10.244.1.2` → its four bytes; anything that is not dotted-quad IPv4 gives 0.0.0.0. */
export function ipv4Bytes(ip: string): Uint8Array {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    return new Uint8Array(4);
  return Uint8Array.from(parts);
}

/** An IPv6 address in RFC 4291 text form (`::` shortening, embedded IPv4 tail) → 16 bytes; unparsable gives ::. */
export function ipv6Bytes(ip: string): Uint8Array {
  const out = new Uint8Array(16);
  const v4Tail = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  const text = v4Tail ? `${v4Tail[1]}0:0` : ip;
  const halves = text.split('::');
  if (halves.length > 2) return out;
  const groups = (part: string) => (part ? part.split(':') : []);
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  const gap = 8 - left.length - right.length;
  if (halves.length === 1 ? gap !== 0 : gap < 1) return out;
  const words = [...left, ...new Array<string>(gap).fill('0'), ...right].map((g) =>
    /^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : -1,
  );
  if (words.some((w) => w < 0)) return out;
  words.forEach((w, i) => out.set(u16(w), i * 2));
  if (v4Tail) out.set(ipv4Bytes(v4Tail[2]), 12);
  return out;
}
