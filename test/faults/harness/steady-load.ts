// Submits runs at a steady pace while a fault happens, and records every answer: the suites then
// check which statuses came back (never a 500) and that every accepted run finished.
import type { FaultStack, Tenant } from './fault-stack';

export interface LoadResult {
  accepted: string[];
  /** Status → how many answers had it (`error` for a connection that failed). */
  statuses: Record<string, number>;
  /** Answers that were neither accepted nor an expected refusal, for the failure message. */
  unexpected: string[];
}

/**
 * `clients` loops each submit a run, then wait `pauseMs`, until stop(). Answers with a status in
 * `tolerated` (e.g. 503 while PostgreSQL is down) are counted, any other non-202 is `unexpected`.
 */
export function steadyLoad(
  stack: FaultStack,
  tenant: Tenant,
  options: { clients: number; pauseMs: number; tolerated?: readonly number[] },
): { stop(): Promise<LoadResult> } {
  let stopped = false;
  const result: LoadResult = { accepted: [], statuses: {}, unexpected: [] };
  const count = (status: string) => (result.statuses[status] = (result.statuses[status] ?? 0) + 1);
  const loops = Array.from({ length: options.clients }, async () => {
    while (!stopped) {
      try {
        const answer = await stack.submit(tenant);
        count(String(answer.status));
        if (answer.status === 202 && answer.body.id) result.accepted.push(answer.body.id);
        else if (!options.tolerated?.includes(answer.status))
          result.unexpected.push(`${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
      } catch (error) {
        count('error');
        result.unexpected.push(`request failed: ${String(error)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  });
  return {
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      return result;
    },
  };
}
