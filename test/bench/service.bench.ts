// The hosted service under load on this machine: the compiled API and two workers (child
// processes) on the machine's PostgreSQL and Redis, with 50 clients submitting the website
// scenario with `?wait=true` (test/bench/http-load.ts):
// - sustained: every client sends its next run as soon as the last one answered (closed loop);
// - at a fixed rate: the clients send 100, 200 and then the target 300 runs/s between them, evenly
//   spaced (open loop), and the latency of each run counts from when it was due.
// The raw Redis PING and PostgreSQL `SELECT 1` round trips, measured in the same run, are the floor
// any request sits on. Needs `npm run build:api && npm run build:worker`.
// SERVICE_BENCH_TRACE_DIR=dir also runs the API and workers with --trace-gc, writes their output
// there (each line with its arrival time) and each fixed-rate phase's runs as
// `latency-<rate>.csv` (due time in epoch ms, latency in ms): slow runs can then be lined up
// with garbage collections (docs/architecture.md, "Measured on one machine").
import { cpus, loadavg } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { machineDescription, recordBenchmark } from '../../libs/engine/bench/record';
import { REPO_ROOT } from '../e2e/harness/service-process';
import { ServiceStack } from '../e2e/harness/service-stack';
import { closedLoop, openLoop, percentile, type LoadRequest, type LoadResult } from './http-load';
import { cpuMeter, pidsNamed } from './process-cpu';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CLIENTS = 50;
const TARGET_RATE = 300;
/** Lower rates first: how latency grows with load, up to the target. */
const OPEN_LOOP_RATES = [100, 200, TARGET_RATE];
const DURATION_MS = Number(process.env.SERVICE_BENCH_SECONDS ?? 20) * 1000;
const WARMUP_MS = 5000;
const ALONE_MS = 5000;
const FLOOR_SAMPLES = 2000;
const WEBSITE_MANIFESTS = readFileSync(
  path.join(REPO_ROOT, 'examples/manifests/website.yaml'),
  'utf8',
);
const STEPS = {
  steps: [
    {
      name: 'wget -qO - http://website.default/',
      probe: { from: 'default/client', to: 'http://website.default/' },
    },
  ],
};

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
const latency = (result: LoadResult) =>
  `${ms(percentile(result.latenciesMs, 50))} / ${ms(percentile(result.latenciesMs, 99))}`;
const rate = (result: LoadResult) =>
  (result.latenciesMs.length / (result.elapsedMs / 1000)).toFixed(1);

/** CPU per finished run, by process group, while `phase` ran. */
async function withCpu(
  stack: ServiceStack,
  phase: () => Promise<LoadResult>,
): Promise<{ result: LoadResult; cpuPerRun: string }> {
  const meters = {
    api: cpuMeter(() => [stack.api.pid]),
    workers: cpuMeter(() => stack.workers.map((worker) => worker.pid)),
    postgres: cpuMeter(() => pidsNamed('postgres')),
    redis: cpuMeter(() => pidsNamed('redis-server')),
    clients: cpuMeter(() => [process.pid]),
  };
  const result = await phase();
  const runs = Math.max(1, result.latenciesMs.length);
  const parts = Object.entries(meters).map(([group, used]) => [group, used()] as const);
  const total = parts.reduce((sum, [, spent]) => sum + (spent ?? 0), 0);
  const cpuPerRun = [
    ...parts.map(
      ([group, spent]) => `${group} ${spent === undefined ? 'n/a' : (spent / runs).toFixed(2)}`,
    ),
    `all ${(total / runs).toFixed(2)}`,
  ].join(', ');
  return { result, cpuPerRun };
}

async function main(): Promise<void> {
  const profileDir = process.env.SERVICE_BENCH_CPU_PROFILE_DIR;
  const traceDir = process.env.SERVICE_BENCH_TRACE_DIR
    ? path.resolve(process.env.SERVICE_BENCH_TRACE_DIR)
    : undefined;
  if (traceDir) mkdirSync(traceDir, { recursive: true });
  const nodeArgs = [
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : []),
    ...(traceDir ? ['--trace-gc'] : []),
  ];
  const stack = await ServiceStack.start({
    databaseServerUrl: DATABASE_URL,
    redisUrl: REDIS_URL,
    workers: 2,
    workerEnv: { NETPLAY_WORKER_CONCURRENCY: '8' },
    nodeArgs,
    logDir: traceDir,
  });
  try {
    const key = await stack.createTenantKey('bench');
    const sandbox = await stack.request<{ id: string }>(
      'POST',
      '/v1/sandboxes',
      { name: 'website', manifests: WEBSITE_MANIFESTS },
      key,
    );
    const submit: LoadRequest = {
      url: `${stack.apiUrl}/v1/sandboxes/${sandbox.body.id}/runs?wait=true`,
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(STEPS),
    };
    const measuredFrom = new Date();
    await closedLoop(submit, { clients: CLIENTS, durationMs: WARMUP_MS, expectStatus: 200 });
    // One client alone: a run's own latency, with no other run queueing for the CPU.
    const alone = await closedLoop(submit, { clients: 1, durationMs: ALONE_MS, expectStatus: 200 });
    const redisFloor = await roundTrips(() => stack.redis.ping());
    const postgresFloor = await roundTrips(() => stack.sql.query('SELECT 1'));

    const sustained = await withCpu(stack, () =>
      closedLoop(submit, { clients: CLIENTS, durationMs: DURATION_MS, expectStatus: 200 }),
    );
    const atRates: Array<{ rate: number; load: Awaited<ReturnType<typeof withCpu>> }> = [];
    for (const ratePerSecond of OPEN_LOOP_RATES) {
      const load = await withCpu(stack, () =>
        openLoop(submit, {
          clients: CLIENTS,
          ratePerSecond,
          durationMs: DURATION_MS,
          expectStatus: 200,
        }),
      );
      atRates.push({ rate: ratePerSecond, load });
      if (traceDir)
        writeFileSync(
          path.join(traceDir, `latency-${ratePerSecond}.csv`),
          [
            'due_epoch_ms,latency_ms',
            ...load.result.timeline.map(
              (run) => `${run.dueAtMs.toFixed(1)},${run.latencyMs.toFixed(2)}`,
            ),
          ].join('\n') + '\n',
        );
    }
    const atTarget = atRates[atRates.length - 1].load;

    // Every run the benchmark made must have succeeded: a 200 only says it finished.
    const statuses = await stack.sql.query<{ status: string; n: string }>(
      'SELECT status, count(*) AS n FROM run WHERE created_at >= $1 GROUP BY status',
      [measuredFrom],
    );
    const notSucceeded = statuses.rows
      .filter((row) => row.status !== 'succeeded')
      .reduce((sum, row) => sum + Number(row.n), 0);
    const phases = [sustained, ...atRates.map((phase) => phase.load)].map((phase) => phase.result);
    const requestErrors = phases.reduce((sum, phase) => sum + phase.errors, 0);
    const answered = phases.reduce((sum, phase) => sum + phase.latenciesMs.length, 0);
    const size = await stack.sql.query<{ runs: string; stored: string; text: string }>(
      'SELECT count(*) AS runs, avg(pg_column_size(results)) AS stored, avg(octet_length(results::text)) AS text FROM run_result',
    );
    const machine = machineDescription();
    const seconds = (DURATION_MS / 1000).toFixed(0);
    const rows: [string, string, string][] = [
      [
        'setup',
        `API + 2 workers (concurrency 8 each), PostgreSQL and Redis on the same ${cpus().length}-CPU machine; ${CLIENTS} clients with a keep-alive connection each; website scenario (one probe), \`?wait=true\``,
        '',
      ],
      [
        `sustained runs/s: ${CLIENTS} clients, each sending its next run when the last one answered, ${seconds} s`,
        rate(sustained.result),
        '≥ 300',
      ],
      [
        '  submit-to-result p50 / p99 in that closed loop (clients ÷ throughput, by Little’s law)',
        latency(sustained.result),
        '',
      ],
      [
        '  CPU ms per run (PostgreSQL: every backend on the machine)',
        sustained.cpuPerRun,
        `≤ ${((cpus().length * 1000) / TARGET_RATE).toFixed(1)} in all for ${TARGET_RATE} runs/s on ${cpus().length} CPUs`,
      ],
      ...atRates
        .slice(0, -1)
        .map(({ rate: offered, load }): [string, string, string] => [
          `at ${offered} runs/s offered by ${CLIENTS} clients, ${seconds} s: submit-to-result p50 / p99 (CPU ms per run: ${load.cpuPerRun})`,
          latency(load.result),
          '',
        ]),
      [
        `at ${TARGET_RATE} runs/s offered by ${CLIENTS} clients (evenly spaced, latency from when each run was due), ${seconds} s: runs/s answered`,
        rate(atTarget.result),
        String(TARGET_RATE),
      ],
      ['  submit-to-result p50', ms(percentile(atTarget.result.latenciesMs, 50)), '≤ 15 ms'],
      ['  submit-to-result p99', ms(percentile(atTarget.result.latenciesMs, 99)), '≤ 60 ms'],
      ['  CPU ms per run', atTarget.cpuPerRun, ''],
      [
        'errors (non-200 answers, failed requests, runs not succeeded)',
        `${requestErrors + notSucceeded} of ${answered + requestErrors}${phases
          .flatMap((phase) => phase.errorSamples)
          .slice(0, 3)
          .map((sample) => `; ${sample}`)
          .join('')}`,
        '0',
      ],
      [
        `one client alone, submit-to-result p50 / p99 (${alone.latenciesMs.length} runs)`,
        latency(alone),
        '',
      ],
      [
        'floor: Redis PING round trip p50 / p99',
        `${ms(percentile(redisFloor, 50))} / ${ms(percentile(redisFloor, 99))}`,
        '',
      ],
      [
        'floor: PostgreSQL SELECT 1 round trip p50 / p99',
        `${ms(percentile(postgresFloor, 50))} / ${ms(percentile(postgresFloor, 99))}`,
        '',
      ],
      [
        'machine load average (1 min) after the run; above the CPU count means other work competed',
        loadavg()[0].toFixed(1),
        '',
      ],
      [
        'run_result per run (one-probe website run): stored / as text',
        `${Number(size.rows[0].stored).toFixed(0)} B / ${Number(size.rows[0].text).toFixed(0)} B over ${size.rows[0].runs} runs`,
        '',
      ],
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
