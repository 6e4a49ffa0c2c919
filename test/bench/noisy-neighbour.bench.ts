// A noisy neighbour on the hosted service: one tenant runs the website scenario at 100 runs/s
// (open loop, `?wait=true`, latency from when each run was due), first alone ("quiet") and then
// while another tenant sends the hostile corpus of test/hostile/corpus in a loop, in the same run
// on the same processes, twice: with the neighbour's tenant on the deployment's default work
// budget (NETPLAY_RATE_LIMIT_PER_MINUTE, as every tenant is unless the operator raises it) and
// with its budget raised like the victim's ("unthrottled": the service's own isolation, not the
// rate limiter's). Keyless requests spend a per-address budget, raised for the whole run, so the
// neighbour's keyless cases are never throttled. The victim's p99 beside the neighbour should
// stay within 3× of the quiet figure. Pending corpus cases (limits not landed yet) are not sent.
// The neighbour runs in a process of its own (hostile-attacker.ts), so building its large bodies
// does not stall the event loop that times the victim's runs.
// Needs `npm run build:api && npm run build:worker`.
import { SETTINGS } from '@netplay/config';
import { cpus, loadavg, setPriority } from 'node:os';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { machineDescription, recordBenchmark } from '../../libs/engine/bench/record';
import { REPO_ROOT } from '../e2e/harness/service-process';
import { ServiceStack } from '../e2e/harness/service-stack';
import type { AttackContext } from '../hostile/corpus';
import { benchCases, type AttackerStart, type AttackTally } from './hostile-attacker';
import { closedLoop, openLoop, percentile, type LoadRequest, type LoadResult } from './http-load';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const VICTIM_RATE = 100;
const VICTIM_CLIENTS = 20;
const DURATION_MS = Number(process.env.NOISY_BENCH_SECONDS ?? 20) * 1000;
const WARMUP_MS = 3000;
/** Hostile requests in flight at once. */
const ATTACKERS = 2;
const TARGET_RATIO = 3;
/** What every tenant gets unless the operator gives it more. */
const DEFAULT_POINTS_PER_MINUTE = SETTINGS.rateLimitPerMinute.schema.def.defaultValue;
/** The victim's and the unthrottled neighbour's budget: nothing they send is refused for it. */
const RAISED_BUDGET = { perMinute: 5_000_000, burst: 5_000_000 };
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

const ms = (value: number) => `${value.toFixed(1)} ms`;
const p50p99 = (result: LoadResult) =>
  `${ms(percentile(result.latenciesMs, 50))} / ${ms(percentile(result.latenciesMs, 99))}`;

interface Attacker {
  /** Starts sending the corpus. */
  start(start: AttackerStart): void;
  /** Stops it and reads its tally. */
  stop(): Promise<AttackTally>;
  /** Its tally once it has sent the rounds it was started for. */
  finished(): Promise<AttackTally>;
}

/** The neighbour in its own process, loaded (TypeScript compiled) before it is started. */
async function forkAttacker(): Promise<Attacker> {
  // fork() keeps this process's execArgv: the child runs TypeScript through tsx like the bench.
  const child = fork(path.join(REPO_ROOT, 'test/bench/hostile-attacker.ts'), [], {
    stdio: 'inherit',
  });
  // The neighbour's own CPU (building 3 MiB bodies a round) is its machine's in production, not
  // the service's: on this shared 2-CPU machine it yields to the service's processes.
  if (child.pid !== undefined) setPriority(child.pid, 19);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the attacker exited with ${code}`))),
  );
  exited.catch(() => undefined);
  const nextMessage = () =>
    Promise.race([new Promise<unknown>((resolve) => child.once('message', resolve)), exited]);
  if ((await nextMessage()) !== 'ready') throw new Error('the attacker did not say ready');
  return {
    start: (start) => child.send(start),
    stop: async () => {
      const tally = nextMessage();
      child.send('stop');
      return (await tally) as AttackTally;
    },
    finished: async () => (await nextMessage()) as AttackTally,
  };
}

async function main(): Promise<void> {
  // A folder for CPU profiles of the API and the workers (`--cpu-prof`, one file per thread).
  const profileDir = process.env.NOISY_BENCH_CPU_PROFILE_DIR;
  const stack = await ServiceStack.start({
    databaseServerUrl: DATABASE_URL,
    redisUrl: REDIS_URL,
    workers: 2,
    workerEnv: { WORKER_CONCURRENCY: '8', NODE_ENV: 'production' },
    // Forged keys are part of the corpus: the failed-authentication limit per address (30 a
    // minute) would answer them 429 after a few rounds, as the hostile suite raises it too.
    apiEnv: { NODE_ENV: 'production', NETPLAY_AUTH_FAILURES_PER_MINUTE: '100000' },
    nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [],
  });
  try {
    const sandboxOf = async (key: string) =>
      (
        await stack.request<{ id: string }>(
          'POST',
          '/v1/sandboxes',
          { name: 'website', manifests: WEBSITE_MANIFESTS },
          key,
        )
      ).body.id;
    const victim = await stack.createTenant('bench-victim');
    const neighbour = await stack.createTenant('bench-attacker');
    await stack.setTenantRateLimit(victim.tenantId, RAISED_BUDGET);
    await stack.setTenantRateLimit(neighbour.tenantId, RAISED_BUDGET);
    const attacker: AttackContext = {
      key: neighbour.key,
      sandboxId: await sandboxOf(neighbour.key),
    };
    const submit: LoadRequest = {
      url: `${stack.apiUrl}/v1/sandboxes/${await sandboxOf(victim.key)}/runs?wait=true`,
      method: 'POST',
      headers: { authorization: `Bearer ${victim.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(STEPS),
    };
    const cases = benchCases();
    const victimLoad = () =>
      openLoop(submit, {
        clients: VICTIM_CLIENTS,
        ratePerSecond: VICTIM_RATE,
        durationMs: DURATION_MS,
        expectStatus: 200,
      });
    const besideNeighbour = async () => {
      const sender = await forkAttacker();
      sender.start({ apiUrl: stack.apiUrl, context: attacker, inFlight: ATTACKERS });
      const result = await victimLoad();
      return { result, tally: await sender.stop() };
    };

    await closedLoop(submit, { clients: VICTIM_CLIENTS, durationMs: WARMUP_MS, expectStatus: 200 });
    // One round of the corpus before anything is measured, as the victim warms up too: the first
    // hostile requests a fresh process sees compile their refusal paths and grow its heaps, once
    // in its life, which is not what an attack costs while it lasts.
    const warmUp = await forkAttacker();
    warmUp.start({ apiUrl: stack.apiUrl, context: attacker, inFlight: ATTACKERS, rounds: 1 });
    await warmUp.finished();
    await stack.setTenantRateLimit(neighbour.tenantId, {
      perMinute: DEFAULT_POINTS_PER_MINUTE,
      burst: null,
    });
    const quiet = await victimLoad();
    const metered = await besideNeighbour();
    await stack.setTenantRateLimit(neighbour.tenantId, RAISED_BUDGET);
    const unthrottled = await besideNeighbour();

    const quietP99 = percentile(quiet.latenciesMs, 99);
    const ratio = (result: LoadResult) => percentile(result.latenciesMs, 99) / quietP99;
    const perSecond = (result: LoadResult) =>
      (result.latenciesMs.length / (result.elapsedMs / 1000)).toFixed(1);
    const errors = (result: LoadResult) =>
      `${result.errors}${result.errorSamples
        .slice(0, 1)
        .map((sample) => ` (${sample})`)
        .join('')}`;
    const hostile = (tally: AttackTally) =>
      `${tally.sent} / ${tally.throttled} / ${tally.unexpected}${tally.samples.map((sample) => `; ${sample}`).join('')}`;
    const seconds = (DURATION_MS / 1000).toFixed(0);
    const machine = machineDescription();
    const rows: [string, string, string][] = [
      [
        'setup',
        `API (NODE_ENV=production) + 2 workers (concurrency 8 each), PostgreSQL and Redis on the same ${cpus().length}-CPU machine; the victim runs the website scenario (one probe, \`?wait=true\`) at ${VICTIM_RATE} runs/s from ${VICTIM_CLIENTS} clients, ${seconds} s a phase; the neighbour, from a process of its own, sends the ${cases.length} hostile cases of test/hostile/corpus in a loop, ${ATTACKERS} at a time, after one round sent before the quiet phase as its warm-up, first on the default budget (${DEFAULT_POINTS_PER_MINUTE} points a minute), then with its budget raised like the victim's`,
        '',
      ],
      ['victim quiet: submit-to-result p50 / p99', p50p99(quiet), ''],
      ['victim beside the neighbour on the default budget: p50 / p99', p50p99(metered.result), ''],
      [
        'victim p99 beside the neighbour on the default budget ÷ quiet p99',
        `${ratio(metered.result).toFixed(2)}×`,
        `≤ ${TARGET_RATIO}×`,
      ],
      ['victim beside the unthrottled neighbour: p50 / p99', p50p99(unthrottled.result), ''],
      [
        'victim p99 beside the unthrottled neighbour ÷ quiet p99',
        `${ratio(unthrottled.result).toFixed(2)}×`,
        '',
      ],
      [
        'victim runs answered per second: quiet / default budget / unthrottled',
        `${perSecond(quiet)} / ${perSecond(metered.result)} / ${perSecond(unthrottled.result)}`,
        String(VICTIM_RATE),
      ],
      [
        'victim errors (non-200 answers, failed requests): quiet / default budget / unthrottled',
        `${errors(quiet)} / ${errors(metered.result)} / ${errors(unthrottled.result)}`,
        '0',
      ],
      [
        'hostile requests on the default budget: sent / refused 429 for the budget / answered otherwise than the corpus expects',
        hostile(metered.tally),
        '— / — / 0',
      ],
      [
        'hostile requests unthrottled: sent / refused 429 / answered otherwise than expected',
        hostile(unthrottled.tally),
        '— / 0 / 0',
      ],
      [
        'machine load average (1 min) after the run; above the CPU count means other work competed',
        loadavg()[0].toFixed(1),
        '',
      ],
    ];
    recordBenchmark('Service: noisy neighbour (hostile corpus beside website runs)', machine, rows);
    for (const [measure, result] of rows) console.log(`${measure}: ${result}`);
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
