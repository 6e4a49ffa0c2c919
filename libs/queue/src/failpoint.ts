// Crash points for the fault suite (test/faults): `NETPLAY_FAILPOINT=after-run-commit` (a comma-
// separated list) makes the process exit at once, with the status of a SIGKILLed process, when it
// reaches the named point — a crash exactly where a real one would be hardest to survive. One
// point is a hold instead: `slow-run` keeps each run between its claim and its engine work for
// SLOW_RUN_HOLD_MS, so the suite can kill, stop or pause a worker while a run is in its hands
// (the engine itself finishes a run of 150 probes over 1,000 pods in about 0.2 s, too fast to
// catch reliably). Unset (always, outside that suite) every point is a no-op.
export const FAILPOINT_ENV = 'NETPLAY_FAILPOINT';

export const FAILPOINTS = {
  /** The API committed a run and its outbox event and has not enqueued it yet. */
  afterRunCommit: 'after-run-commit',
  /** A relay pass put a run on the queue and has not marked its outbox event dispatched yet. */
  afterRelayEnqueue: 'after-relay-enqueue',
  /** A worker claimed a run (`running`) and holds it before the engine (a hold, not a crash). */
  slowRun: 'slow-run',
} as const;

/** How long `slow-run` holds a run: past the fault suite's 5 s lock and 200 ms shutdown timeout. */
export const SLOW_RUN_HOLD_MS = 6_000;

export type Failpoint = (typeof FAILPOINTS)[keyof typeof FAILPOINTS];

const armed = new Set(
  (process.env[FAILPOINT_ENV] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0),
);

/** Exits the process (status 137) when `name` is armed; otherwise does nothing. */
export function failpoint(name: Failpoint): void {
  if (!armed.has(name)) return;
  process.stderr.write(`${FAILPOINT_ENV}: reached ${name}, exiting as if killed\n`);
  process.exit(137);
}

/** Waits `ms` when `name` is armed (a hold point); otherwise resolves at once. */
export async function failpointHold(name: Failpoint, ms: number): Promise<void> {
  if (!armed.has(name)) return;
  process.stderr.write(`${FAILPOINT_ENV}: holding at ${name} for ${ms} ms\n`);
  await new Promise((resolve) => setTimeout(resolve, ms));
}
