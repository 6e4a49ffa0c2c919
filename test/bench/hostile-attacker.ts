// The noisy neighbour of test/bench/noisy-neighbour.bench.ts, in a process of its own: it builds
// and sends the hostile corpus (3 MiB bodies, a 1.9 MB scalar …) round after round until told to
// stop, then reports its tally. In the bench's own process, building those bodies stalled the
// event loop that times the victim's runs, and the stalls counted as the service's latency.
import { mapBounded } from '../e2e/harness/bounded';
import { HOSTILE_FAMILIES, type AttackContext } from '../hostile/corpus';
import { attack, mismatch } from '../hostile/harness/attack';

export interface AttackerStart {
  apiUrl: string;
  context: AttackContext;
  /** Hostile requests in flight at once. */
  inFlight: number;
  /** Rounds of the corpus to send; absent: until told to stop. */
  rounds?: number;
}

export interface AttackTally {
  sent: number;
  /** Answered 429 for the tenant's spent budget, where the case expects another answer. */
  throttled: number;
  unexpected: number;
  samples: string[];
}

/** The cases the bench sends: pending ones (limits not landed yet) are left out. */
export function benchCases() {
  return Object.values(HOSTILE_FAMILIES)
    .flat()
    .filter((hostile) => !hostile.pendingUntil);
}

async function attackLoop(
  start: AttackerStart,
  stop: { requested: boolean },
): Promise<AttackTally> {
  const tally: AttackTally = { sent: 0, throttled: 0, unexpected: 0, samples: [] };
  const cases = benchCases();
  for (let round = 0; !stop.requested && round < (start.rounds ?? Infinity); round += 1)
    await mapBounded(cases, start.inFlight, async (hostile) => {
      if (stop.requested) return;
      tally.sent += 1;
      const problem = await attack(start.apiUrl, hostile, start.context)
        .then((outcome) => {
          if (outcome.status === 429 && hostile.expect.status !== 429) {
            tally.throttled += 1;
            return undefined;
          }
          return mismatch(hostile, outcome);
        })
        .catch((error: unknown) => `${hostile.name}: ${String(error)}`);
      if (problem) {
        tally.unexpected += 1;
        if (tally.samples.length < 3) tally.samples.push(problem.slice(0, 200));
      }
    });
  return tally;
}

// Forked by the bench: says `ready` once loaded; the start arrives as the next message, `stop`
// (or the last of the rounds asked for) ends the loop and the tally goes back.
if (process.send) {
  const stop = { requested: false };
  process.once('message', (start: AttackerStart) => {
    process.on('message', (message) => {
      if (message === 'stop') stop.requested = true;
    });
    void attackLoop(start, stop).then((tally) => {
      process.send?.(tally, () => process.exit(0));
    });
  });
  // The bench ended without stopping it (it failed): nothing is left to report to.
  process.once('disconnect', () => process.exit(0));
  process.send('ready');
}
