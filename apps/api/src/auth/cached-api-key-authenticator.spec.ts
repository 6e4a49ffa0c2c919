import type { ApiKeyAuthenticator } from './auth.guard';
import { CachedApiKeyAuthenticator } from './cached-api-key-authenticator';

const KEY = 'np_valid';

/** A key store that counts lookups; `revoked` keys are refused from then on. */
function countingStore() {
  const store = {
    lookups: 0,
    revoked: new Set<string>(),
    authenticate: async (plaintext: string) => {
      store.lookups += 1;
      await Promise.resolve();
      return plaintext === KEY && !store.revoked.has('key-1')
        ? { id: 'key-1', tenantId: 'tenant-1', name: 'ci' }
        : undefined;
    },
  };
  return store satisfies ApiKeyAuthenticator;
}

describe('CachedApiKeyAuthenticator', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 1_000));

  it('asks the store once per key within the TTL, and again after it', async () => {
    const store = countingStore();
    const cache = new CachedApiKeyAuthenticator(store, { ttlMs: 5_000, now });
    expect(await cache.authenticate(KEY)).toEqual({ id: 'key-1', tenantId: 'tenant-1' });
    clock += 4_999;
    expect(await cache.authenticate(KEY)).toEqual({ id: 'key-1', tenantId: 'tenant-1' });
    expect(store.lookups).toBe(1);
    store.revoked.add('key-1');
    clock += 2;
    expect(await cache.authenticate(KEY)).toBeUndefined();
    expect(store.lookups).toBe(2);
  });

  it('shares one lookup between concurrent first requests', async () => {
    const store = countingStore();
    const cache = new CachedApiKeyAuthenticator(store, { ttlMs: 5_000, now });
    const identities = await Promise.all([
      cache.authenticate(KEY),
      cache.authenticate(KEY),
      cache.authenticate(KEY),
    ]);
    expect(identities.every((identity) => identity?.id === 'key-1')).toBe(true);
    expect(store.lookups).toBe(1);
  });

  it('never keeps an unknown key, so every attempt is checked', async () => {
    const store = countingStore();
    const cache = new CachedApiKeyAuthenticator(store, { ttlMs: 5_000, now });
    expect(await cache.authenticate('np_unknown')).toBeUndefined();
    expect(await cache.authenticate('np_unknown')).toBeUndefined();
    expect(store.lookups).toBe(2);
  });

  it('refuses a key forgotten after its revocation at once', async () => {
    const store = countingStore();
    const cache = new CachedApiKeyAuthenticator(store, { ttlMs: 5_000, now });
    await cache.authenticate(KEY);
    store.revoked.add('key-1');
    cache.forget('key-1');
    expect(await cache.authenticate(KEY)).toBeUndefined();
  });

  it('asks the store every time when the TTL is 0', async () => {
    const store = countingStore();
    const cache = new CachedApiKeyAuthenticator(store, { ttlMs: 0, now });
    await cache.authenticate(KEY);
    await cache.authenticate(KEY);
    expect(store.lookups).toBe(2);
  });
});
