import { bearerTokenKind, hashBearerToken } from './bearer-token';

describe('bearer tokens', () => {
  const shares = bearerTokenKind('nsh_');

  it('issues a marked 32-byte token and stores only its sha256', () => {
    const { token, hash } = shares.issue();
    expect(token).toMatch(/^nsh_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    expect(hash).toBe(hashBearerToken(token));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token.slice(4));
  });

  it('issues a different token each time', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => shares.issue().token));
    expect(tokens.size).toBe(50);
  });

  it.each([
    ['another kind of token', `nls_${'a'.repeat(43)}`],
    ['one character short', `nsh_${'a'.repeat(42)}`],
    ['one character long', `nsh_${'a'.repeat(44)}`],
    ['a character outside base64url', `nsh_${'a'.repeat(42)}+`],
    ['padding', `nsh_${'a'.repeat(42)}=`],
    ['a trailing newline', `nsh_${'a'.repeat(43)}\n`],
  ])('refuses %s without looking it up', (_, token) => {
    expect(shares.isWellFormed(token)).toBe(false);
  });

  it('refuses a marker that would change the pattern', () => {
    expect(() => bearerTokenKind('a.b_')).toThrow(/marker/);
  });
});
