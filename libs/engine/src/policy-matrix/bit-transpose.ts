/**
 * In-place transpose of a 32×32 bit block (bit k of word j ↔ bit j of word k), in five rounds of
 * block swaps (Hacker's Delight §7-3, for least-significant-bit-first columns). Lets the matrix
 * combine "dst admits src" sets, stored per destination, into rows per source 1,024 cells at a time.
 */
export function transpose32(block: Uint32Array): void {
  let mask = 0x0000ffff;
  for (let width = 16; width !== 0; width >>>= 1, mask = (mask ^ (mask << width)) >>> 0) {
    for (let k = 0; k < 32; k = (k + width + 1) & ~width) {
      const swap = ((block[k] >>> width) ^ block[k + width]) & mask;
      block[k] ^= swap << width;
      block[k + width] ^= swap;
    }
  }
}
