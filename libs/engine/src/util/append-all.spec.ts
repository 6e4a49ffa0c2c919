import { appendAll } from './append-all';

describe('appendAll', () => {
  it('appends a list too long to spread into one call', () => {
    const many = Array.from({ length: 500_000 }, (_, i) => i);
    expect(() => [0].push(...many)).toThrow(RangeError);
    const target = [-1];
    appendAll(target, many);
    expect(target).toHaveLength(500_001);
    expect(target[500_000]).toBe(499_999);
  });
});
