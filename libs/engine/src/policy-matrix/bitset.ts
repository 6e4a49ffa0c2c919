/**
 * Fixed-size bitsets over the matrix's peers (pods, then external address pieces). Every policy
 * construct compiles to one of these, so a whole direction is decided with word-wide AND/OR
 * instead of pair-by-pair checks.
 */
export type Bitset = Uint32Array;

export function emptySet(size: number): Bitset {
  return new Uint32Array((size + 31) >>> 5);
}

export function fullSet(size: number): Bitset {
  const set = emptySet(size);
  set.fill(0xffffffff);
  const tail = size & 31;
  if (tail) set[set.length - 1] = (1 << tail) - 1;
  return set;
}

export function hasBit(set: Bitset, index: number): boolean {
  return (set[index >>> 5] & (1 << (index & 31))) !== 0;
}

export function setBit(set: Bitset, index: number): void {
  set[index >>> 5] |= 1 << (index & 31);
}

export function orInto(target: Bitset, source: Bitset): void {
  for (let i = 0; i < target.length; i++) target[i] |= source[i];
}

export function andInto(target: Bitset, source: Bitset): void {
  for (let i = 0; i < target.length; i++) target[i] &= source[i];
}

export function and(a: Bitset, b: Bitset): Bitset {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] & b[i];
  return out;
}

/** `universe AND NOT set`: complements stay inside the peers that exist. */
export function andNot(universe: Bitset, set: Bitset): Bitset {
  const out = new Uint32Array(universe.length);
  for (let i = 0; i < universe.length; i++) out[i] = universe[i] & ~set[i];
  return out;
}

export function isSubset(small: Bitset, big: Bitset): boolean {
  for (let i = 0; i < small.length; i++) if (small[i] & ~big[i]) return false;
  return true;
}

export function isEmpty(set: Bitset): boolean {
  for (let i = 0; i < set.length; i++) if (set[i]) return false;
  return true;
}

export function countBits(set: Bitset): number {
  let count = 0;
  for (let i = 0; i < set.length; i++) {
    let v = set[i] - ((set[i] >>> 1) & 0x55555555);
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    count += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return count;
}

/** Calls `visit` for every set bit, in increasing order. */
export function forEachBit(set: Bitset, visit: (index: number) => void): void {
  for (let w = 0; w < set.length; w++) {
    let word = set[w];
    while (word) {
      const low = word & -word;
      visit((w << 5) + 31 - Math.clz32(low));
      word ^= low;
    }
  }
}

export function sameBits(a: Bitset, b: Bitset): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
