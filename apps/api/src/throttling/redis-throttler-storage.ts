// Rate-limit counters in Redis, shared by every API process: a fixed window per key (INCR + PEXPIRE)
// and a block marker once the limit is passed, in one Lua script so concurrent requests cannot
// interleave between the read and the write. (@nest-lab/throttler-storage-redis does not declare
// Nest 12 support, hence this small storage implementing @nestjs/throttler's interface.)
import type { ThrottlerStorage } from '@nestjs/throttler';
import type IORedis from 'ioredis';

const INCREMENT_SCRIPT = `
local blockKey = KEYS[1] .. ':blocked'
local blockTtl = redis.call('PTTL', blockKey)
if blockTtl > 0 then
  local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
  return {hits, redis.call('PTTL', KEYS[1]), 1, blockTtl}
end
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if hits > tonumber(ARGV[2]) then
  redis.call('SET', blockKey, '1', 'PX', ARGV[3])
  return {hits, ttl, 1, tonumber(ARGV[3])}
end
return {hits, ttl, 0, 0}
`;

/** The script as a command of the connection: ioredis sends its SHA (EVALSHA), loading the text once. */
interface ThrottleCommands {
  netplayThrottleIncrement(
    key: string,
    ttlMs: string,
    limit: string,
    blockMs: string,
  ): Promise<[number, number, number, number]>;
}

export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly redis: IORedis & ThrottleCommands;

  constructor(
    redis: IORedis,
    private readonly keyPrefix = 'netplay:throttle:',
  ) {
    redis.defineCommand('netplayThrottleIncrement', { numberOfKeys: 1, lua: INCREMENT_SCRIPT });
    this.redis = redis as IORedis & ThrottleCommands;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ) {
    const reply = await this.redis.netplayThrottleIncrement(
      `${this.keyPrefix}${throttlerName}:${key}`,
      String(Math.max(1, ttl)),
      String(limit),
      String(Math.max(1, blockDuration || ttl)),
    );
    const [totalHits, ttlMs, blocked, blockMs] = reply;
    return {
      totalHits,
      // The throttler reports these in seconds (Retry-After, X-RateLimit-Reset).
      timeToExpire: Math.max(0, Math.ceil(ttlMs / 1000)),
      isBlocked: blocked === 1,
      timeToBlockExpire: Math.max(0, Math.ceil(blockMs / 1000)),
    };
  }
}
