// Every request carries its API key, and looking it up in the database on each one makes auth a
// round trip per request. A key's identity is kept here for a few seconds instead. Revocation
// through this process evicts at once; other API processes forget the key when its entry expires,
// so API_KEY_CACHE_TTL_MS bounds how long a revoked key still works anywhere. Unknown keys are
// never kept: a stream of made-up tokens cannot fill the cache or lock a key out after creation.
import { hashBearerToken } from '@netplay/db';
import { LRUCache } from 'lru-cache';
import type { ApiKeyAuthenticator, ApiKeyIdentity } from './auth.guard';

export interface ApiKeyCacheOptions {
  /** How long a looked-up key is trusted without asking the database again; 0 turns caching off. */
  ttlMs: number;
  /** Keys kept at most (least recently used go first). */
  maxKeys?: number;
  /** Milliseconds on a monotonic clock; tests pass their own. */
  now?: () => number;
}

const DEFAULT_MAX_KEYS = 10_000;

export class CachedApiKeyAuthenticator implements ApiKeyAuthenticator {
  private readonly identities?: LRUCache<string, ApiKeyIdentity, string>;

  constructor(
    private readonly keys: ApiKeyAuthenticator,
    options: ApiKeyCacheOptions,
  ) {
    if (options.ttlMs <= 0) return;
    this.identities = new LRUCache<string, ApiKeyIdentity, string>({
      max: options.maxKeys ?? DEFAULT_MAX_KEYS,
      ttl: options.ttlMs,
      // Read the clock on every check: a revoked key must not outlive its TTL by a cached "now".
      ttlResolution: 0,
      ...(options.now && { perf: { now: options.now } }),
      // Concurrent first requests with one key share one lookup.
      fetchMethod: async (_hash, _stale, { context }) => this.lookUp(context),
    });
  }

  async authenticate(plaintext: string): Promise<ApiKeyIdentity | undefined> {
    if (!this.identities) return this.lookUp(plaintext);
    return this.identities.fetch(hashBearerToken(plaintext), { context: plaintext });
  }

  cached(plaintext: string): ApiKeyIdentity | undefined {
    return this.identities?.get(hashBearerToken(plaintext));
  }

  /** Forgets a revoked key in this process, so its next request is refused. */
  forget(apiKeyId: string): void {
    if (!this.identities) return;
    for (const [hash, identity] of this.identities.entries()) {
      if (identity.id === apiKeyId) this.identities.delete(hash);
    }
  }

  private async lookUp(plaintext: string): Promise<ApiKeyIdentity | undefined> {
    const key = await this.keys.authenticate(plaintext);
    return key && { id: key.id, tenantId: key.tenantId };
  }
}
