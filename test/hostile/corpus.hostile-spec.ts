// Hostile inputs against the service as it runs in production: the compiled API (NODE_ENV=
// production) and a worker as real processes, a fresh PostgreSQL database, the machine's Redis.
// Family by family, two attacking tenants send every case of the corpus (test/hostile/corpus) and
// each answer must carry its exact status and error code within its time bound; meanwhile a
// second tenant reads its sandbox and submits quick runs, and its p99 latency must stay under 1 s.
// Afterwards the API still answers and every run the second tenant submitted has succeeded.
//
// Cases whose limit has not landed yet are listed as pending (by name, with what they wait for)
// and not sent: sending them would take the service down. NETPLAY_HOSTILE_PENDING=run sends them
// too, to check whether they can be turned on.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mapBounded } from '../e2e/harness/bounded';
import { REPO_ROOT } from '../e2e/harness/service-process';
import { ServiceStack } from '../e2e/harness/service-stack';
import { HOSTILE_FAMILIES, type AttackContext, type HostileCase } from './corpus';
import { attack, mismatch } from './harness/attack';
import { Victim, type LatencySummary } from './harness/victim';

const DATABASE_URL = process.env.DATABASE_URL;
const REDIS_URL = process.env.REDIS_URL;
const SKIP_REASON =
  !DATABASE_URL || !REDIS_URL
    ? 'skipped: DATABASE_URL and REDIS_URL must both be set (CI sets them)'
    : undefined;
const RUN_PENDING = process.env.NETPLAY_HOSTILE_PENDING === 'run';

/**
 * The second tenant's p99 bound. With 60–120 victim requests per family the p99 is close to the
 * slowest one, and on the 2-core CI machine the API, a worker, their engine threads, PostgreSQL and
 * Redis share both cores with the attacker: single requests there reach 1.0–1.1 s with no stall of
 * the service (the failures this suite exists for were stalls of 5 to 90 s). 1.5 s keeps the check
 * meaningful without measuring the machine's scheduling instead of the service.
 */
const VICTIM_P99_MS = 1_500;
/** Each family is sent at least this many times over and for at least this long. */
const MIN_ROUNDS = 2;
const MIN_FAMILY_MS = 4_000;
/**
 * Attacking requests in flight at once, each from an attacking tenant of its own: the engine pool
 * takes one tenant's tasks in turn, so a second request of the same tenant would wait behind the
 * first and its time bound would measure the first (docs/architecture.md, "Isolation between
 * tenants").
 */
const ATTACKERS = 2;
const VICTIM_STEPS = [
  {
    name: 'wget -qO - http://website.default/',
    probe: { from: 'default/client', to: 'http://website.default/' },
  },
];

const WEBSITE_MANIFESTS = readFileSync(
  path.join(REPO_ROOT, 'examples/manifests/website.yaml'),
  'utf8',
);

const suite = SKIP_REASON ? describe.skip : describe;

// The root config runs every project in one Jest process, where a project's `testTimeout` is not
// applied; starting the processes and running each family needs the longer limit set here.
jest.setTimeout(180_000);

interface FamilyReport {
  family: string;
  cases: number;
  sent: number;
  victim: LatencySummary;
  slowestCase: string;
}

suite(
  `hostile inputs against the production service${SKIP_REASON ? ` (${SKIP_REASON})` : ''}`,
  () => {
    let stack: ServiceStack;
    /** The attacking tenants not sending right now. */
    let idleAttackers: AttackContext[];
    let victimKey: string;
    let victimSandboxId: string;
    const reports: FamilyReport[] = [];

    beforeAll(async () => {
      stack = await ServiceStack.start({
        databaseServerUrl: DATABASE_URL ?? '',
        redisUrl: REDIS_URL ?? '',
        workers: 1,
        apiEnv: {
          NODE_ENV: 'production',
          // The forged-key cases are sent for seconds on end; each must reach the authentication
          // check (401), not the per-address failure limit, which has its own tests
          // (apps/api/src/throttling) and would answer 429 once 30 a minute have failed.
          NETPLAY_AUTH_FAILURES_PER_MINUTE: '100000',
        },
        workerEnv: { NODE_ENV: 'production' },
      });
      idleAttackers = [];
      for (let n = 1; n <= ATTACKERS; n += 1) {
        const key = await stack.createTenantKey(`hostile-attacker-${n}`);
        idleAttackers.push({ key, sandboxId: await websiteSandbox(key) });
      }
      victimKey = await stack.createTenantKey('hostile-victim');
      victimSandboxId = await websiteSandbox(victimKey);
    }, 90_000);

    afterAll(async () => {
      if (reports.length > 0) console.log(reportTable(reports));
      await stack?.stop();
    }, 90_000);

    async function websiteSandbox(key: string): Promise<string> {
      const created = await stack.request<{ id: string }>(
        'POST',
        '/v1/sandboxes',
        { name: 'website', manifests: WEBSITE_MANIFESTS },
        key,
      );
      if (created.status !== 201) throw new Error(`website sandbox: ${created.status}`);
      return created.body.id;
    }

    const families = Object.entries(HOSTILE_FAMILIES) as Array<[string, HostileCase[]]>;
    const pending = families.flatMap(([, cases]) =>
      cases.filter((hostile) => hostile.pendingUntil),
    );
    if (pending.length > 0)
      console.log(
        `${RUN_PENDING ? 'Sending' : 'Not sending'} ${pending.length} pending hostile case(s):\n${pending
          .map(
            (hostile) =>
              `  ${hostile.family} / ${hostile.name} — waits for ${hostile.pendingUntil}`,
          )
          .join('\n')}`,
      );

    for (const [family, cases] of families) {
      const active = cases.filter((hostile) => RUN_PENDING || !hostile.pendingUntil);
      if (active.length === 0) continue;
      it(`answers each of the ${active.length} ${family} case(s) with its status and code in time, another tenant's p99 under ${VICTIM_P99_MS} ms`, async () => {
        const victim = new Victim({
          apiUrl: stack.apiUrl,
          key: victimKey,
          sandboxId: victimSandboxId,
          steps: VICTIM_STEPS,
          pauseMs: 50,
          lanes: 2,
        });
        victim.start();
        const problems = new Set<string>();
        const slowest = { ms: 0, name: '' };
        const started = Date.now();
        let sent = 0;
        try {
          for (
            let round = 0;
            round < MIN_ROUNDS || Date.now() - started < MIN_FAMILY_MS;
            round += 1
          ) {
            await mapBounded(active, ATTACKERS, async (hostile) => {
              const attacker = idleAttackers.pop() as AttackContext;
              const outcome = await attack(stack.apiUrl, hostile, attacker)
                .catch((error) => {
                  problems.add(
                    `${hostile.name}: ${error instanceof Error ? error.message : error}`,
                  );
                  return undefined;
                })
                .finally(() => idleAttackers.push(attacker));
              sent += 1;
              if (!outcome) return;
              if (outcome.ms > slowest.ms)
                Object.assign(slowest, { ms: outcome.ms, name: hostile.name });
              const problem = mismatch(hostile, outcome);
              if (problem) problems.add(problem);
            });
          }
        } finally {
          const summary = await victim.stop();
          reports.push({
            family,
            cases: active.length,
            sent,
            victim: summary,
            slowestCase: `${slowest.name} (${Math.round(slowest.ms)} ms)`,
          });
        }
        const summary = reports[reports.length - 1].victim;
        expect([...problems]).toEqual([]);
        expect(victim.failures).toEqual([]);
        expect(summary.count).toBeGreaterThan(0);
        expect(summary.p99).toBeLessThan(VICTIM_P99_MS);
        // The service is still whole: the API answers and the worker finished the victim's runs.
        expect((await fetch(`${stack.apiUrl}/healthz`)).status).toBe(200);
        const runs = await stack.waitUntilTerminal(victim.runIds, 60_000);
        expect(runs.filter((run) => run.status !== 'succeeded')).toEqual([]);
      });
    }
  },
);

function reportTable(reports: readonly FamilyReport[]): string {
  const lines = reports.map(
    ({ family, cases, sent, victim, slowestCase }) =>
      `${family.padEnd(10)} ${String(cases).padStart(5)} ${String(sent).padStart(5)} ` +
      `${String(victim.count).padStart(7)} ${victim.p50.toFixed(1).padStart(7)} ` +
      `${victim.p99.toFixed(1).padStart(7)} ${victim.max.toFixed(1).padStart(7)}  ${slowestCase}`,
  );
  return [
    "Hostile inputs: the other tenant's latency (ms) while each family was sent",
    'family     cases  sent  victim     p50     p99     max  slowest hostile answer',
    ...lines,
  ].join('\n');
}
