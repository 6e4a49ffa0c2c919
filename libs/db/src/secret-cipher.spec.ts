import { randomBytes } from 'node:crypto';
import { SecretCipher, secretCipherFromKey } from './secret-cipher';

describe('SecretCipher', () => {
  const cipher = SecretCipher.fromKey(randomBytes(32));

  it('round-trips a secret without the plaintext in the stored form', () => {
    const stored = cipher.encrypt('whsec_c2VjcmV0LXZhbHVl', 'row-1');
    expect(stored).not.toContain('whsec_');
    expect(stored).not.toContain('c2VjcmV0LXZhbHVl');
    expect(cipher.decrypt(stored, 'row-1')).toBe('whsec_c2VjcmV0LXZhbHVl');
  });

  it('uses a fresh IV per encryption', () => {
    expect(cipher.encrypt('same', 'row')).not.toBe(cipher.encrypt('same', 'row'));
  });

  it.each([
    ['another row', (stored: string) => cipher.decrypt(stored, 'row-2')],
    [
      'another key',
      (stored: string) => SecretCipher.fromKey(randomBytes(32)).decrypt(stored, 'row-1'),
    ],
    [
      'a flipped byte',
      (stored: string) =>
        cipher.decrypt(stored.slice(0, -2) + (stored.endsWith('A') ? 'BA' : 'AA'), 'row-1'),
    ],
  ])('refuses a ciphertext moved to %s', (_name, decrypt) => {
    expect(() => decrypt(cipher.encrypt('whsec_x', 'row-1'))).toThrow();
  });
});

describe('secretCipherFromKey', () => {
  it('uses NETPLAY_SECRET_KEY when set', () => {
    const key = randomBytes(32);
    const fromEnv = secretCipherFromKey({
      key: key.toString('base64'),
      embedded: false,
    });
    expect(SecretCipher.fromKey(key).decrypt(fromEnv.encrypt('s', 'c'), 'c')).toBe('s');
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() =>
      secretCipherFromKey({
        key: randomBytes(16).toString('base64'),
        embedded: true,
      }),
    ).toThrow(/32 bytes/);
  });

  it('requires the key outside embedded mode', () => {
    expect(() => secretCipherFromKey({ key: undefined, embedded: false })).toThrow(
      /NETPLAY_SECRET_KEY is not set/,
    );
  });

  it('falls back to the development key in embedded mode with a warning that holds no key material', () => {
    const warnings: string[] = [];
    const cipher = secretCipherFromKey({
      key: undefined,
      embedded: true,
      warn: (message) => warnings.push(message),
    });
    expect(cipher.decrypt(cipher.encrypt('s', 'c'), 'c')).toBe('s');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/development key/);
  });
});
