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

/** Deletes every key of the suite's queue. */
export async function removeTestQueue(redisUrl: string, prefix: string): Promise<void> {
  const queue = new Queue(QUEUE_NAMES.scenario, { connection: { url: redisUrl }, prefix });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}

/** Rejects after `ms` so a wait on a queue can never hang a suite. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
