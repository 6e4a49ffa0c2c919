// Redis for integration suites: every suite gets its own key prefix, so suites running in parallel
// (and earlier runs) never see each other's jobs. Suites skip, saying why, without REDIS_URL.
import { QUEUE_NAMES } from '@netplay/contracts';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';

export const REDIS_URL = process.env.REDIS_URL;
export const REDIS_SKIP_REASON = 'skipped: REDIS_URL is not set (CI sets it)';

export function uniqueQueuePrefix(): string {
  return `netplay-test-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key of the suite's queues (every queue name under its prefix). */
export async function removeTestQueue(redisUrl: string, prefix: string): Promise<void> {
  for (const name of Object.values(QUEUE_NAMES)) {
    const queue = new Queue(name, { connection: { url: redisUrl }, prefix });
    try {
      await queue.obliterate({ force: true });
    } finally {
      await queue.close();
    }
  }
}
