// At startup the worker reads Redis's eviction policy once: on a Redis that may evict keys it
// refuses to start (docs/reliability.md, F9), so that a misconfigured deployment fails loudly at
// its first worker instead of losing runs under memory pressure weeks later.
import { redisEvictionProblem } from '@netplay/queue';
import IORedis from 'ioredis';

const CHECK_TIMEOUT_MS = 5_000;

/**
 * The problem with Redis's eviction policy, or null when there is none or Redis could not be asked
 * (a Redis that is down at startup is the queue's reconnection's business; `couldNotCheck` hears why).
 */
export async function evictingRedisProblem(
  redisUrl: string,
  couldNotCheck: (reason: string) => void,
): Promise<string | null> {
  const client = new IORedis(redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: CHECK_TIMEOUT_MS,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await redisEvictionProblem(client);
  } catch (error) {
    couldNotCheck(error instanceof Error ? error.message : String(error));
    return null;
  } finally {
    client.disconnect();
  }
}
