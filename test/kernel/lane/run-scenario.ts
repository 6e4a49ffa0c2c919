import type { ChildProcess } from 'node:child_process';
import type { ClusterState } from '@netplay/engine';
import { categorizeEndpoints } from '../../../libs/engine/src/kube-proxy/endpoints';
import { engineClaim, probesFor, type EngineClaim, type Probe } from './probes';
import type { Agents } from './agents';
import { loadRules } from './rules';
import { exec, execInNs, startInNs } from './shell';
import { buildCluster, destroyCluster, type KernelCluster } from './topology';
/**
 * A DROP shows as no answer. Where the engine says dropped, an attempt waits 800 ms before calling
 * it so; where it says the connection is answered or refused, up to 3 s, so a loaded machine cannot
 * turn a slow answer into a drop (answers come in milliseconds otherwise).
 */
const DROP_TIMEOUT_MS = 800;
const ANSWER_TIMEOUT_MS = 3000;
/** Attempts of one probe in flight at once. */
const PARALLEL = 8;
/** Attempts of a probe the engine says is dropped. */
const DROPPED_ATTEMPTS = 6;

export interface Attempt {
  outcome: 'answered' | 'refused' | 'timeout';
  pod?: string;
  seen?: string;
  port?: number;
  /** How long the attempt took. */
  ms: number;
}

export interface ProbeResult {
  probe: Probe;
  claim: EngineClaim;
  attempts: Attempt[];
  problems: string[];
}

export interface ScenarioResult {
  name: string;
  mode: string;
  cni: string;
  ruleMismatches: string[];
  probes: ProbeResult[];
  millis: number;
  /** Where the time went, by phase (build, rules, servers, warm-up, probes, retry, teardown). */
  phases: Record<string, number>;
}

/**
 * Where each endpoint address lives and the ports it serves: every endpoint port the engine lists,
 * on the pod's namespace, or the node's for host-network endpoints (the API server on 6443).
 */
function servedPorts(
  cluster: KernelCluster,
): Map<string, { ns: string; name: string; ports: Set<string> }> {
  const { state } = cluster;
  const byIP = new Map<string, { ns: string; name: string }>();
  for (const [ref, ns] of cluster.pods) {
    const pod = [...state.pods.values()].find((p) => `${p.namespace}/${p.name}` === ref);
    if (pod?.ip) byIP.set(pod.ip, { ns, name: ref });
  }
  for (const node of state.nodes.values())
    byIP.set(node.ip, { ns: cluster.nodes.get(node.name) as string, name: `node/${node.name}` });
  const served = new Map<string, { ns: string; name: string; ports: Set<string> }>();
  for (const service of state.services.values())
    for (const port of service.ports)
      for (const node of state.nodes.values())
        for (const ep of categorizeEndpoints(state, service, port, node).allReachable) {
          const where = byIP.get(ep.ip);
          if (!where) continue;
          const entry = served.get(where.ns) ?? { ...where, ports: new Set<string>() };
          entry.ports.add(`${ep.port}/${port.protocol}`);
          served.set(where.ns, entry);
        }
  return served;
}

/** One C pod server per pod (and per node for host-network endpoints), started side by side. */
function startServers(cluster: KernelCluster, agents: Agents): Promise<ChildProcess[]> {
  return Promise.all(
    [...servedPorts(cluster).values()].map(({ ns, name, ports }) =>
      startInNs(ns, agents.podServer, [name, [...ports].join(',')]),
    ),
  );
}

function sourceOf(cluster: KernelCluster, from: string): { ns: string; localAddress?: string } {
  if (from === 'external')
    return { ns: cluster.external, localAddress: cluster.state.config.externalClientIP };
  if (from.startsWith('node/')) return { ns: cluster.nodes.get(from.slice(5)) as string };
  return { ns: cluster.pods.get(from) as string };
}

/** One round of attempts: probes with the engine's claims (the claim sets the timeout). */
interface Round {
  probes: Probe[];
  claims: EngineClaim[];
}

/**
 * Runs rounds of attempts, one client process per source namespace doing its rounds in order
 * (a round starts when the previous one has finished everywhere in that namespace); returns each
 * round's attempts per probe.
 */
async function runAttempts(
  cluster: KernelCluster,
  agents: Agents,
  rounds: Round[],
): Promise<Attempt[][][]> {
  const results: Attempt[][][] = rounds.map((r) => r.probes.map(() => []));
  const bySource = new Map<string, string[]>();
  rounds.forEach(({ probes, claims }, round) =>
    probes.forEach((p, i) => {
      const { localAddress } = sourceOf(cluster, p.from);
      const answers = claims[i].verdict === 'delivered' || claims[i].verdict === 'refused';
      // A drop is waited out once for all its attempts, not once per batch of PARALLEL.
      const timeout = answers ? ANSWER_TIMEOUT_MS : DROP_TIMEOUT_MS;
      const parallel = answers ? PARALLEL : p.count;
      const line = `${round} ${i} ${p.protocol} ${p.ip} ${p.port} ${p.count} ${timeout} ${parallel} ${localAddress ?? '-'}`;
      bySource.set(p.from, [...(bySource.get(p.from) ?? []), line]);
    }),
  );
  await Promise.all(
    [...bySource].map(async ([from, lines]) => {
      const out = await execInNs(
        sourceOf(cluster, from).ns,
        agents.client,
        [],
        `${lines.join('\n')}\n`,
        {
          timeoutMs: 60_000,
        },
      );
      for (const line of out.split('\n').filter(Boolean)) {
        const [round, index, ms, outcome, pod, seen, port] = line.split(' ');
        const attempt: Attempt =
          outcome === 'answered'
            ? { outcome, pod, seen, port: Number(port), ms: Number(ms) }
            : { outcome: outcome as Attempt['outcome'], ms: Number(ms) };
        results[Number(round)][Number(index)].push(attempt);
      }
    }),
  );
  return results;
}

const EXPECTED_OUTCOME: Record<string, Attempt['outcome']> = {
  delivered: 'answered',
  refused: 'refused',
  dropped: 'timeout',
  timeout: 'timeout',
};

/**
 * The comparison, attempt by attempt: the kernel's outcome is the engine's verdict; every answer
 * came from an endpoint the engine lists for that node and policy, on the DNATed port; with
 * several candidates, no affinity and at least 10 attempts per candidate, each one answers a share
 * within 5 standard deviations of 1/n (and at least once); with ClientIP affinity one endpoint answers everything; and where the
 * kernel reached the endpoint the engine's trace chose, the backend saw the source the trace shows.
 */
export function compare(
  state: ClusterState,
  probe: Probe,
  claim: EngineClaim,
  attempts: Attempt[],
): string[] {
  const problems: string[] = [];
  const expected = EXPECTED_OUTCOME[claim.verdict];
  const outcomes = new Set(attempts.map((a) => a.outcome));
  if (!expected || outcomes.size !== 1 || !outcomes.has(expected)) {
    const counts = [...outcomes].map(
      (o) => `${o} ×${attempts.filter((a) => a.outcome === o).length}`,
    );
    problems.push(
      `engine says ${claim.verdict} (${claim.trace.reason}); kernel: ${counts.join(', ')}`,
    );
    return problems;
  }
  if (expected !== 'answered') return problems;
  const podIPs = new Map<string, string>([
    ...[...state.pods.values()].map((p): [string, string] => [`${p.namespace}/${p.name}`, p.ip]),
    ...[...state.nodes.values()].map((n): [string, string] => [`node/${n.name}`, n.ip]),
  ]);
  const hits = new Map<string, number>();
  for (const a of attempts) {
    const key = `${podIPs.get(a.pod ?? '')}:${a.port}`;
    hits.set(key, (hits.get(key) ?? 0) + 1);
    if (
      !claim.candidates.has(key) &&
      !problems.some((m) => m.startsWith(`answered by ${a.pod} on`))
    )
      problems.push(
        `answered by ${a.pod} on ${key}, not an endpoint the engine lists (${[...claim.candidates.keys()].join(', ')})`,
      );
  }
  const n = claim.candidates.size;
  if (claim.affinity) {
    if (hits.size !== 1)
      problems.push(`ClientIP affinity, yet ${hits.size} endpoints answered one client`);
  } else if (n > 1 && attempts.length >= 10 * n) {
    // Shares are judged on samples of at least 10 per endpoint; smaller ones check membership only.
    const total = attempts.length;
    const p = 1 / n;
    const bound = 5 * Math.sqrt(total * p * (1 - p)) + 1;
    for (const key of claim.candidates.keys()) {
      const got = hits.get(key) ?? 0;
      if (got === 0 || Math.abs(got - total * p) > bound)
        problems.push(`share of ${key}: ${got}/${total}, engine claims 1/${n}`);
    }
  }
  if (claim.chosen) {
    const chosen = claim.chosen;
    const there = attempts.filter(
      (a) => `${podIPs.get(a.pod ?? '')}:${a.port}` === chosen.endpoint,
    );
    for (const a of there)
      if (a.seen !== chosen.seenSource) {
        problems.push(
          `backend ${chosen.endpoint} saw source ${a.seen}; the trace shows ${chosen.seenSource}`,
        );
        break;
      }
  }
  return problems;
}

let scenarioCounter = 0;

/** Builds the cluster in namespaces, loads its rules, runs every probe and compares; always tears down. */
export async function runKernelScenario(
  name: string,
  state: ClusterState,
  agents: Agents,
): Promise<ScenarioResult> {
  const started = Date.now();
  const phases: Record<string, number> = {};
  let mark = started;
  const phase = (label: string) => {
    const now = Date.now();
    phases[label] = (phases[label] ?? 0) + now - mark;
    mark = now;
  };
  const tag = `s${(scenarioCounter++).toString(36)}`;
  const cluster = await buildCluster(state, tag);
  phase('build');
  let servers: ChildProcess[] = [];
  try {
    const scratch = `${cluster.external.slice(0, -3)}scr`;
    await exec('ip', ['netns', 'add', scratch]);
    cluster.namespaces.push(scratch);
    const { mismatches } = await loadRules(cluster, scratch);
    phase('rules');
    servers = await startServers(cluster, agents);
    phase('servers');
    const client = pickClient(cluster);
    const probes = client ? probesFor(cluster, client) : [];
    const claims = probes.map((p) => engineClaim(state, p));
    // Where the engine says dropped, a few attempts that all go unanswered say as much as many.
    probes.forEach((p, i) => {
      if (claims[i].verdict !== 'delivered' && claims[i].verdict !== 'refused')
        p.count = Math.min(p.count, DROPPED_ATTEMPTS);
    });
    // An unjudged round first, in the same client processes: the neighbour (ARP) entries the
    // first packets wait for are resolved before any attempt is judged.
    const warm = probes.map((_, i) => i).filter((i) => claims[i].verdict === 'delivered');
    const [, attempts] = await runAttempts(cluster, agents, [
      { probes: warm.map((i) => ({ ...probes[i], count: 1 })), claims: warm.map((i) => claims[i]) },
      { probes, claims },
    ]);
    phase('probes');
    if (process.env.NETPLAY_KERNEL_DEBUG)
      probes.forEach((p, i) => {
        const slow = attempts[i].filter((a) => a.ms > 500);
        if (slow.length)
          console.log(
            `${name}: ${p.name} [${claims[i].verdict}] slow: ${slow.map((a) => `${a.outcome} ${a.ms}`).join(', ')}`,
          );
      });
    const problems = probes.map((p, i) => compare(state, p, claims[i], attempts[i]));
    // A failed probe runs once more: a share is judged on both samples together (a rare draw is
    // not a failure), anything else on the second sample alone (a stall of a loaded machine is not
    // a verdict); a real disagreement fails both times.
    const retry = probes.map((_, i) => i).filter((i) => problems[i].length > 0);
    if (retry.length) {
      const [again] = await runAttempts(cluster, agents, [
        { probes: retry.map((i) => probes[i]), claims: retry.map((i) => claims[i]) },
      ]);
      for (const [k, i] of retry.entries()) {
        const shares = problems[i].every((m) => m.startsWith('share of'));
        attempts[i] = shares ? [...attempts[i], ...again[k]] : again[k];
        problems[i] = compare(state, probes[i], claims[i], attempts[i]);
      }
      phase('retry');
    }
    return {
      name,
      mode: state.config.kubeProxy.mode,
      cni: state.config.cni.plugin,
      ruleMismatches: mismatches,
      probes: probes.map((probe, i) => ({
        probe,
        claim: claims[i],
        attempts: attempts[i],
        problems: problems[i],
      })),
      millis: Date.now() - started,
      phases,
    };
  } finally {
    for (const s of servers) s.kill('SIGKILL');
    // NETPLAY_KERNEL_KEEP=1 leaves the namespaces up to look at by hand (the next run removes them).
    if (!process.env.NETPLAY_KERNEL_KEEP) await destroyCluster(cluster);
    phase('teardown');
  }
}

/** The scenario's client: a pod that serves nothing (the seeds' `client`), else the first pod. */
function pickClient(cluster: KernelCluster): string | undefined {
  const served = new Set([...servedPorts(cluster).values()].map((s) => s.name));
  const refs = [...cluster.pods.keys()];
  return refs.find((r) => !served.has(r)) ?? refs[0];
}
