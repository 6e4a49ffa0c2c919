// Runs finish asynchronously: these helpers hold on (the API's own `wait=true`, repeated) until a
// run is finished, and pick the traces out of its result.
import { dataOf, type NetplayClient } from './client';
import type { DnsTrace, ProbeTrace, RunWithResult, ScenarioResult, Step } from './types';

export interface WaitOptions {
  /** Give up after this long (default 60 s); each request itself waits up to the server's limit. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export function isFinished(run: { status: string }): boolean {
  return run.status === 'succeeded' || run.status === 'failed';
}

/** The run once it has succeeded or failed, with its result. */
export async function waitForRun(
  client: NetplayClient,
  runId: string,
  options: WaitOptions = {},
): Promise<RunWithResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = dataOf(
      await client.GET('/v1/runs/{id}', {
        params: { path: { id: runId }, query: { wait: 'true', format: 'json' } },
        signal: options.signal,
      }),
    );
    if (isFinished(run)) return run;
    if (Date.now() >= deadline)
      throw new Error(`run ${runId} was still ${run.status} after ${timeoutMs} ms`);
  }
}

/** Submits steps against a sandbox's current revision and waits for the finished run. */
export async function runAndWait(
  client: NetplayClient,
  sandboxId: string,
  steps: Step[],
  options: WaitOptions & { idempotencyKey?: string } = {},
): Promise<RunWithResult> {
  const submitted = dataOf(
    await client.POST('/v1/sandboxes/{id}/runs', {
      params: {
        path: { id: sandboxId },
        query: { wait: 'true', format: 'json' },
        header: options.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {},
      },
      body: { steps },
      signal: options.signal,
    }),
  );
  if (isFinished(submitted) && 'result' in submitted) return submitted;
  return waitForRun(client, submitted.id, options);
}

/** The probe traces of a result, in step order. */
export function probeTraces(result: ScenarioResult | null): ProbeTrace[] {
  return (result?.steps ?? []).flatMap((step) =>
    step.kind === 'probe' ? [step.result as ProbeTrace] : [],
  );
}

/** The DNS lookups of a result, in step order. */
export function dnsTraces(result: ScenarioResult | null): DnsTrace[] {
  return (result?.steps ?? []).flatMap((step) =>
    step.kind === 'dns' ? [step.result as DnsTrace] : [],
  );
}
