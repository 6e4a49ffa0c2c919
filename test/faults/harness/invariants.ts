// The invariants every fault scenario ends with, written once and read from the throwaway database
// (and the webhook receiver's log): every accepted run terminal, exactly one result per finished
// run, one message — one webhook id — per event, and no tenant starved.
import type { Pool } from 'pg';
import { waitFor } from '@netplay/testing';
import type { WebhookReceiver } from './webhook-receiver';

export interface AcceptedRuns {
  /** Tenant name (for messages) → the ids of the runs the API accepted (2xx) for it. */
  byTenant: Map<string, string[]>;
}

export interface InvariantOptions {
  /** How long after healing every accepted run may take to finish. */
  terminalWithinMs: number;
  /**
   * Tenants (name → receiver path) whose endpoints subscribe to `run.completed`: each of their
   * finished runs has one message, delivered with a 2xx at least once, every request for it
   * under that message's `webhook-id`.
   */
  webhooks?: { receiver: WebhookReceiver; tenants: Map<string, string>; withinMs: number };
  /** Runs that must fail (the poisonous ones), with their error matching. */
  expectedFailures?: Map<string, RegExp>;
  /** Every other run must succeed within this long of its submission (no tenant starved). */
  maxRunLatencyMs?: number;
}

export interface RunRecordRow {
  id: string;
  status: string;
  attempts: number;
  enqueue_count: number;
  error: string | null;
  latency_ms: number;
  results: number;
  events: number;
}

export interface InvariantReport {
  runs: number;
  /** Per tenant: its slowest run, submission to finish. */
  slowestRunMsByTenant: Record<string, number>;
  maxAttempts: number;
}

const TERMINAL = new Set(['succeeded', 'failed']);

/** Waits for every accepted run to finish, then asserts the invariants; returns what it measured. */
export async function checkInvariants(
  sql: Pool,
  accepted: AcceptedRuns,
  options: InvariantOptions,
): Promise<InvariantReport> {
  const ids = [...accepted.byTenant.values()].flat();
  const problems: string[] = [];
  if (new Set(ids).size !== ids.length) problems.push('a run id was answered twice');

  // I1: every accepted run terminal.
  const rows = await waitFor(
    `${ids.length} accepted runs to be terminal`,
    async () => {
      const found = await runRows(sql, ids);
      return found.length === ids.length && found.every((row) => TERMINAL.has(row.status))
        ? found
        : undefined;
    },
    { timeoutMs: options.terminalWithinMs, everyMs: 250 },
  ).catch(async (error: Error) => {
    const found = await runRows(sql, ids);
    const stuck = found.filter((row) => !TERMINAL.has(row.status)).slice(0, 10);
    throw new Error(
      `${error.message}; ${ids.length - found.length} missing, not terminal: ${JSON.stringify(stuck)}`,
    );
  });
  const byId = new Map(rows.map((row) => [row.id, row]));

  // I2: one outcome per run — a finished run has exactly one result row (a run the queue gave up
  // on has none: the engine never finished it), and the expected poison fails with its reason.
  for (const row of rows) {
    const expectedFailure = options.expectedFailures?.get(row.id);
    if (expectedFailure) {
      if (row.status !== 'failed' || !expectedFailure.test(row.error ?? ''))
        problems.push(`run ${row.id} should have failed (${expectedFailure}): ${describe(row)}`);
      if (row.results > 1) problems.push(`run ${row.id} has ${row.results} results`);
      continue;
    }
    if (row.status !== 'succeeded')
      problems.push(`run ${row.id} did not succeed: ${describe(row)}`);
    if (row.results !== 1) problems.push(`run ${row.id} has ${row.results} result rows, not 1`);
  }

  // No tenant starved: every tenant's runs finished, and (when bounded) soon enough.
  const slowestRunMsByTenant: Record<string, number> = {};
  for (const [tenant, tenantIds] of accepted.byTenant) {
    const latencies = tenantIds
      .filter((id) => !options.expectedFailures?.has(id))
      .map((id) => byId.get(id)?.latency_ms ?? Infinity);
    const slowest = latencies.length === 0 ? 0 : Math.max(...latencies);
    slowestRunMsByTenant[tenant] = slowest;
    if (options.maxRunLatencyMs !== undefined && slowest > options.maxRunLatencyMs)
      problems.push(
        `tenant ${tenant} waited ${slowest} ms for a run (bound ${options.maxRunLatencyMs} ms)`,
      );
  }

  // I3: one message per event, and every delivery of it under that message's id.
  if (options.webhooks) {
    const { receiver, tenants, withinMs } = options.webhooks;
    const subscribed = [...tenants.keys()].flatMap((tenant) => accepted.byTenant.get(tenant) ?? []);
    const paths = new Set(tenants.values());
    // At least once: every run's one message has a 2xx attempt in the delivery log.
    await waitFor(
      `run.completed of ${subscribed.length} runs to be delivered (a 2xx attempt each)`,
      async () => (await undelivered(sql, subscribed)).length === 0,
      { timeoutMs: withinMs, everyMs: 200 },
    ).catch(async (error: Error) => {
      const missing = await undelivered(sql, subscribed);
      problems.push(`${error.message}: ${missing.length} not, e.g. ${missing.slice(0, 5)}`);
    });
    const counts = await runRows(sql, subscribed);
    for (const row of counts)
      if (row.events !== 1)
        problems.push(`run ${row.id} has ${row.events} run.completed messages, not 1`);
    const messages = await messageIds(sql, subscribed);
    for (const request of receiver.requests) {
      if (!request.runId || !paths.has(request.path)) continue;
      const expected = messages.get(request.runId);
      if (expected !== undefined && request.webhookId !== expected)
        problems.push(
          `run ${request.runId} was delivered as ${request.webhookId}, its message is ${expected}`,
        );
    }
  }

  if (problems.length > 0)
    throw new Error(`invariants broken:\n${problems.slice(0, 30).join('\n')}`);
  return {
    runs: rows.length,
    slowestRunMsByTenant,
    maxAttempts: Math.max(0, ...rows.map((row) => row.attempts)),
  };
}

async function runRows(sql: Pool, ids: readonly string[]): Promise<RunRecordRow[]> {
  const { rows } = await sql.query<RunRecordRow>(
    `SELECT r.id, r.status, r.attempts, r.enqueue_count, r.error,
            coalesce(extract(epoch FROM (r.finished_at - r.created_at)) * 1000, 0)::int AS latency_ms,
            (SELECT count(*) FROM run_result x WHERE x.run_id = r.id)::int AS results,
            (SELECT count(*) FROM webhook_event e
              WHERE e.tenant_id = r.tenant_id AND e.dedupe_key = 'run.completed:' || r.id)::int AS events
       FROM run r WHERE r.id = ANY($1::uuid[])`,
    [ids],
  );
  return rows;
}

/** Runs without a 2xx delivery of their `run.completed` message (or without a message). */
async function undelivered(sql: Pool, runIds: readonly string[]): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `SELECT r.id FROM run r
      WHERE r.id = ANY($1::uuid[])
        AND NOT EXISTS (
          SELECT 1 FROM webhook_event e JOIN webhook_delivery d ON d.event_id = e.id
           WHERE e.tenant_id = r.tenant_id AND e.dedupe_key = 'run.completed:' || r.id
             AND d.status_code BETWEEN 200 AND 299)`,
    [runIds],
  );
  return rows.map((row) => row.id);
}

async function messageIds(sql: Pool, runIds: readonly string[]): Promise<Map<string, string>> {
  const { rows } = await sql.query<{ id: string; dedupe_key: string }>(
    `SELECT id, dedupe_key FROM webhook_event WHERE dedupe_key = ANY($1::text[])`,
    [runIds.map((id) => `run.completed:${id}`)],
  );
  return new Map(rows.map((row) => [row.dedupe_key.slice('run.completed:'.length), row.id]));
}

function describe(row: RunRecordRow): string {
  return `${row.status} after ${row.attempts} attempt(s): ${row.error ?? 'no error'}`;
}
