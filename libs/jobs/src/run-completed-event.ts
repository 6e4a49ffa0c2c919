// The `run.completed` webhook event: published once a run reaches succeeded or failed (after the
// compare-and-set completion), and again, with the same dedupe key, by any later delivery that
// finds the run finished, so a publish that failed after the completion is not lost. The payload is thin
// (docs/webhooks.md): the run and sandbox ids, the status, and counts of the steps and verdicts;
// receivers fetch the traces over the API.
import type { RunOutcome, RunRecord } from '@netplay/db';
import type { WebhookEventData } from '@netplay/webhooks';

export type RunCompletedData = WebhookEventData['run.completed'];

/** Publishes `run.completed`; the dedupe key makes a repeated call send the same message. */
export interface RunCompletedPublisher {
  /** `knownSubscriberIds`: the subscribed endpoints, when the completion read them; looked up otherwise. */
  publishRunCompleted(
    tenantId: string,
    data: RunCompletedData,
    dedupeKey: string,
    knownSubscriberIds?: readonly string[],
  ): Promise<unknown>;
}

export function runCompletedDedupeKey(runId: string): string {
  return `run.completed:${runId}`;
}

/** Adapts the grading runtime's `publish` (which stores the message and fans it out). */
export function runCompletedPublisher(runtime: {
  publish(
    tenantId: string,
    type: 'run.completed',
    data: RunCompletedData,
    dedupeKey?: string,
    knownSubscriberIds?: readonly string[],
  ): Promise<unknown>;
}): RunCompletedPublisher {
  return {
    publishRunCompleted: (tenantId, data, dedupeKey, knownSubscriberIds) =>
      runtime.publish(tenantId, 'run.completed', data, dedupeKey, knownSubscriberIds),
  };
}

export function runCompletedData(
  run: Pick<RunRecord, 'id'>,
  sandboxId: string,
  outcome: RunOutcome,
): RunCompletedData {
  const data: RunCompletedData = {
    runId: run.id,
    sandboxId,
    status: outcome.status,
    summary: summarise(outcome.results),
  };
  if (outcome.status === 'failed') data.error = outcome.error;
  return data;
}

/** A finished run's outcome rebuilt from its row and stored result; undefined while it is not finished. */
export function storedRunOutcome(
  run: Pick<RunRecord, 'status' | 'error'>,
  results: unknown,
): RunOutcome | undefined {
  const stored = (results ?? undefined) as
    Extract<RunOutcome, { status: 'succeeded' }>['results'] | undefined;
  if (run.status === 'succeeded') return { status: 'succeeded', results: stored ?? {} };
  if (run.status === 'failed')
    return {
      status: 'failed',
      error: run.error ?? '',
      ...(stored !== undefined ? { results: stored } : {}),
    };
  return undefined;
}

/** Steps and the verdicts of the steps that have one (probes: delivered, dropped …). */
function summarise(results: unknown): RunCompletedData['summary'] {
  const steps =
    isRecord(results) && Array.isArray(results.steps) ? (results.steps as unknown[]) : [];
  const verdicts: Record<string, number> = {};
  for (const step of steps) {
    const result = isRecord(step) ? step.result : undefined;
    const verdict = isRecord(result) ? result.verdict : undefined;
    if (typeof verdict === 'string') verdicts[verdict] = (verdicts[verdict] ?? 0) + 1;
  }
  return { steps: steps.length, verdicts };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
