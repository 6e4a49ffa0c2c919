// The platforms' public keys (their JWKS), fetched through the SSRF guard and kept for a while:
// launches verify against the cached set, and a token signed with a key id the set does not hold
// makes one refetch (the platform rotated its keys), at most once per `refetchCooldownMs` per URL,
// so a stream of tokens with made-up key ids cannot turn the tool into a JWKS fetching loop.
import type { JSONWebKeySet } from 'jose';
import { sendGuardedRequest } from '../guarded-http';
import type { SsrfPolicy } from '../ssrf-guard';

/** A JWKS of a few keys is a few KiB; 64 KiB leaves room for platforms that publish many. */
const JWKS_MAX_BYTES = 64 * 1024;

export interface PlatformKeyCacheOptions {
  policy: SsrfPolicy;
  now?: () => number;
  /** How long a fetched set is used without asking again (default 10 minutes). */
  ttlMs?: number;
  /** Least time between two refetches of one URL for unknown key ids (default 30 s). */
  refetchCooldownMs?: number;
}

export type KeySetResult = { ok: true; keys: JSONWebKeySet } | { ok: false; message: string };

interface Entry {
  keys: JSONWebKeySet;
  fetchedAt: number;
}

export class PlatformKeyCache {
  private readonly entries = new Map<string, Entry>();
  /** Fetches made, for tests and metrics. */
  fetches = 0;

  constructor(private readonly options: PlatformKeyCacheOptions) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The cached set, or a fresh one when none is cached or the cached one is older than the TTL. */
  async get(url: string): Promise<KeySetResult> {
    const entry = this.entries.get(url);
    if (entry && this.now() - entry.fetchedAt < (this.options.ttlMs ?? 600_000))
      return { ok: true, keys: entry.keys };
    return this.fetch(url);
  }

  /**
   * A fresh set after a token named a key id the cached set lacks; undefined when the cached set
   * was fetched within the cooldown (the refetch would most likely say the same).
   */
  async refetchForUnknownKey(url: string): Promise<KeySetResult | undefined> {
    const entry = this.entries.get(url);
    if (entry && this.now() - entry.fetchedAt < (this.options.refetchCooldownMs ?? 30_000))
      return undefined;
    return this.fetch(url);
  }

  private async fetch(url: string): Promise<KeySetResult> {
    this.fetches++;
    const response = await sendGuardedRequest({
      url,
      method: 'GET',
      headers: { accept: 'application/json' },
      policy: this.options.policy,
      maxBodyBytes: JWKS_MAX_BYTES,
    });
    if (response.errorClass)
      return {
        ok: false,
        message: `the platform's JWKS ${url} could not be read: ${response.message ?? response.errorClass}`,
      };
    const keys = parseKeySet(response.body);
    if (!keys) return { ok: false, message: `the platform's JWKS ${url} is not a JWK Set` };
    this.entries.set(url, { keys, fetchedAt: this.now() });
    return { ok: true, keys };
  }
}

function parseKeySet(body: Buffer): JSONWebKeySet | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'keys' in parsed &&
      Array.isArray(parsed.keys) &&
      parsed.keys.every((key: unknown) => typeof key === 'object' && key !== null)
    )
      return parsed as JSONWebKeySet;
  } catch {
    // Not JSON: reported by the caller.
  }
  return undefined;
}
