// The hosted service under load on this machine: the compiled API and two workers (child
// processes) on the machine's PostgreSQL and Redis. 50 clients each submit the website scenario
// with `?wait=true` in a loop; the raw Redis PING and PostgreSQL `SELECT 1` round trips, measured
// in the same run, are the floor any request sits on. Needs `npm run build:api build:worker`.
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { recordBenchmark } from '../../libs/engine/bench/record';
import { mapBounded } from '../e2e/harness/bounded';
import { REPO_ROOT } from '../e2e/harness/service-process';
import { ServiceStack } from '../e2e/harness/service-stack';
import { cpuMeter, pidsNamed } from './process-cpu';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CLIENTS = 50;
const DURATION_MS = Number(process.env.SERVICE_BENCH_SECONDS ?? 20) * 1000;
const WARMUP_RUNS = 200;
const SINGLE_CLIENT_RUNS = 200;
const FLOOR_SAMPLES = 2000;
const WEBSITE_MANIFESTS = readFileSync(path.join(REPO_ROOT, 'examples/manifests/website.yaml'), 'utf8');
const STEPS = { steps: [{ name: 'wget -qO - http://website.default/', probe: { from: 'default/client', to: 'http://website.default/' } }] };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function roundTrips(sample: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < FLOOR_SAMPLES; i += 1) {
    const start = performance.now();
    await sample();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

const ms = (value: number) => `${value.toFixed(value < 1 ? 3 : 1)} ms`;

async function main(): Promise<void> {
  const profileDir = process.env.SERVICE_BENCH_CPU_PROFILE_DIR;
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
  const stack = await ServiceStack.start({ databaseServerUrl: DATABASE_URL, redisUrl: REDIS_URL, workers: 2, workerEnv: { WORKER_CONCURRENCY: '8' }, nodeArgs });
  try {
    const key = await stack.createTenantKey('bench');
    const sandbox = await stack.request<{ id: string }>('POST', '/v1/sandboxes', { name: 'website', manifests: WEBSITE_MANIFESTS }, key);
    const submit = async (): Promise<{ ok: boolean; ms: number }> => {
      const start = performance.now();
      try {
        const response = await stack.request<{ status: string }>('POST', `/v1/sandboxes/${sandbox.body.id}/runs?wait=true`, STEPS, key);
        return { ok: response.status === 200 && response.body.status === 'succeeded', ms: performance.now() - start };
      } catch {
        return { ok: false, ms: performance.now() - start };
      }
    };
    await mapBounded(Array.from({ length: WARMUP_RUNS }), CLIENTS, submit);

    // One client alone: a run's own latency, with no other run queueing for the CPU.
    const alone: number[] = [];
    for (let i = 0; i < SINGLE_CLIENT_RUNS; i += 1) {
      const result = await submit();
      if (result.ok) alone.push(result.ms);
    }
    alone.sort((a, b) => a - b);

    const redisFloor = await roundTrips(() => stack.redis.ping());
    const postgresFloor = await roundTrips(() => stack.sql.query('SELECT 1'));

    const latencies: number[] = [];
    let errors = 0;
    // Where the cores went during the measured phase, per finished run.
    const cpu = {
      api: cpuMeter(() => [stack.api.pid]),
      workers: cpuMeter(() => stack.workers.map((worker) => worker.pid)),
      postgres: cpuMeter(() => pidsNamed('postgres')),
      redis: cpuMeter(() => pidsNamed('redis-server')),
      clients: cpuMeter(() => [process.pid]),
    };
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() - started < DURATION_MS) {
          const result = await submit();
          if (result.ok) latencies.push(result.ms);
          else errors += 1;
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const cpuPerRun = Object.entries(cpu)
      .map(([group, used]) => {
        const spentMs = used();
        return `${group} ${spentMs === undefined ? 'n/a' : (spentMs / Math.max(1, latencies.length)).toFixed(1)}`;
      })
      .join(', ');
    latencies.sort((a, b) => a - b);
    const size = await stack.sql.query<{ runs: string; stored: string; text: string }>(
      'SELECT count(*) AS runs, avg(pg_column_size(results)) AS stored, avg(octet_length(results::text)) AS text FROM run_result',
    );
    const runsPerSecond = latencies.length / elapsedS;
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
    const rows: [string, string, string][] = [
      ['setup', `API + 2 workers (concurrency 8 each), PostgreSQL and Redis on the same ${cpus().length}-CPU machine; ${CLIENTS} clients, ${(DURATION_MS / 1000).toFixed(0)} s`, ''],
      ['sustained runs/s (website scenario, one probe, `?wait=true`)', runsPerSecond.toFixed(1), '≥ 300'],
      ['submit-to-result p50', ms(percentile(latencies, 50)), '≤ 15 ms'],
      ['submit-to-result p99', ms(percentile(latencies, 99)), '≤ 60 ms'],
      ['errors', `${errors} of ${latencies.length + errors}`, '0'],
      [`one client alone, submit-to-result p50 / p99 (${SINGLE_CLIENT_RUNS} runs)`, `${ms(percentile(alone, 50))} / ${ms(percentile(alone, 99))}`, ''],
      ['floor: Redis PING round trip p50 / p99', `${ms(percentile(redisFloor, 50))} / ${ms(percentile(redisFloor, 99))}`, ''],
      ['floor: PostgreSQL SELECT 1 round trip p50 / p99', `${ms(percentile(postgresFloor, 50))} / ${ms(percentile(postgresFloor, 99))}`, ''],
      ['CPU ms per run during the measured phase (PostgreSQL: every backend on the machine)', cpuPerRun, `≤ ${((cpus().length * 1000) / 300).toFixed(1)} in all for 300 runs/s on ${cpus().length} CPUs`],
      ['machine load average (1 min) after the run; above the CPU count means other work competed', loadavg()[0].toFixed(1), ''],
      ['run_result JSONB per run (one-probe website run): stored / as text', `${Number(size.rows[0].stored).toFixed(0)} B / ${Number(size.rows[0].text).toFixed(0)} B over ${size.rows[0].runs} runs`, ''],
    ];
    recordBenchmark('Service: API + workers, website runs', machine, rows);
    for (const [measure, result] of rows) console.log(`${measure}: ${result}`);
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
