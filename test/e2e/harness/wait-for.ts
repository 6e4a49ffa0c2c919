// Waits for a condition by polling it, with a deadline that names what was awaited: the suites
// never sleep for a fixed time.
import { setTimeout as delay } from 'node:timers/promises';

export interface WaitOptions {
  timeoutMs: number;
  /** Pause between polls. */
  everyMs?: number;
}

/** Resolves with the first truthy value `probe` returns; rejects after the deadline. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}${cause}`);
    }
    await delay(options.everyMs ?? 100);
  }
}
