import { transpose32 } from './bit-transpose';

describe('transpose32', () => {
  it.each([1, 2, 3, 42])('swaps rows and columns of a 32×32 bit block (seed %i)', (seed) => {
    const block = new Uint32Array(32);
    let x = seed;
    for (let i = 0; i < 32; i++) block[i] = x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const expected = new Uint32Array(32);
    for (let j = 0; j < 32; j++)
      for (let k = 0; k < 32; k++) if ((block[k] >>> j) & 1) expected[j] |= 1 << k;
    transpose32(block);
    expect(block).toEqual(expected);
  });
});
