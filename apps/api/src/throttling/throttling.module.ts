// Rate limits per API key: counters in Redis (shared by every API process) or, embedded, in memory.
import { ThrottlerModule } from '@nestjs/throttler';
import type { ApiConfig } from '../config/api-config';
import type { Infrastructure } from '../infra/infrastructure';
import { RedisThrottlerStorage } from './redis-throttler-storage';

const WINDOW_MS = 60_000;

export function throttlingModule(config: ApiConfig, infra: Infrastructure) {
  return ThrottlerModule.forRoot({
    throttlers: [{ name: 'per-key', ttl: WINDOW_MS, limit: config.rateLimitPerMinute }],
    ...(infra.redis
      ? { storage: new RedisThrottlerStorage(infra.redis, `${infra.redisKeyPrefix}:throttle:`) }
      : {}),
    errorMessage: 'too many requests: slow down and retry after the Retry-After seconds',
  });
}
