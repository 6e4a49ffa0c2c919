// BullMQ keeps jobs, their locks and the queue's bookkeeping in Redis keys with no expiry: a Redis
// that evicts keys under memory pressure (any `maxmemory-policy` but `noeviction`) silently drops
// queued runs and the locks of running ones. The worker refuses to start on such a Redis and the
// API's /readyz answers 503 naming it (docs/reliability.md, F9).
import type IORedis from 'ioredis';

export const REQUIRED_EVICTION_POLICY = 'noeviction';

/**
 * The problem with the Redis's eviction policy, as a sentence for a log line or /readyz, or null
 * when it is `noeviction`. Read from `INFO memory` (allowed where `CONFIG` is renamed away, as on
 * managed Redis services).
 */
export async function redisEvictionProblem(redis: Pick<IORedis, 'info'>): Promise<string | null> {
  const policy = evictionPolicyIn(await redis.info('memory'));
  if (policy === REQUIRED_EVICTION_POLICY) return null;
  return policy === undefined
    ? `Redis does not report its maxmemory-policy; BullMQ needs "${REQUIRED_EVICTION_POLICY}"`
    : `Redis maxmemory-policy is "${policy}": it may evict queued runs and job locks; BullMQ needs "${REQUIRED_EVICTION_POLICY}" (set maxmemory-policy noeviction)`;
}

/** `maxmemory_policy` from the text of `INFO memory`. */
export function evictionPolicyIn(info: string): string | undefined {
  return /^maxmemory_policy:(\S+)\s*$/m.exec(info)?.[1];
}
