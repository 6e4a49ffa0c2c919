import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { ClusterState } from '@netplay/engine';
import { categorizeEndpoints } from '../../../libs/engine/src/kube-proxy/endpoints';
import { engineClaim, probesFor, type EngineClaim, type Probe } from './probes';
import { flushScratch, loadRules } from './rules';
import { run, runInNsAsync, startInNs } from './shell';
import { buildCluster, destroyCluster, view, type KernelCluster } from './topology';

const AGENTS = join(__dirname, '..', 'agents');
/**
 * A DROP shows as no answer. Where the engine says dropped, an attempt waits 800 ms before calling
 * it so; where it says the connection is answered or refused, up to 3 s, so a loaded machine cannot
 * turn a slow answer into a drop (answers come in milliseconds otherwise).
 */
const DROP_TIMEOUT_MS = 800;
const ANSWER_TIMEOUT_MS = 3000;

export interface Attempt {
  outcome: 'answered' | 'refused' | 'timeout';
  pod?: string;
  seen?: string;
  port?: number;
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

async function startServers(cluster: KernelCluster, recordsFile: string): Promise<ChildProcess[]> {
  const starts: Promise<ChildProcess>[] = [];
  for (const { ns, name, ports } of servedPorts(cluster).values()) {
    const list = [...ports];
    const dns = list.includes('53/UDP') ? [recordsFile] : [];
    starts.push(
      startInNs(ns, process.execPath, [
        join(AGENTS, 'pod-server.js'),
        name,
        list.join(','),
        ...dns,
      ]),
    );
  }
  return Promise.all(starts);
}

function sourceOf(cluster: KernelCluster, from: string): { ns: string; localAddress?: string } {
  if (from === 'external')
    return { ns: cluster.external, localAddress: cluster.state.config.externalClientIP };
  if (from.startsWith('node/')) return { ns: cluster.nodes.get(from.slice(5)) as string };
  return { ns: cluster.pods.get(from) as string };
}

async function runAttempts(
  cluster: KernelCluster,
  probes: Probe[],
  claims: EngineClaim[],
): Promise<Attempt[][]> {
  const bySource = new Map<string, number[]>();
  probes.forEach((p, i) => bySource.set(p.from, [...(bySource.get(p.from) ?? []), i]));
  const results: Attempt[][] = new Array(probes.length);
  await Promise.all(
    [...bySource].map(async ([from, indexes]) => {
      const { ns, localAddress } = sourceOf(cluster, from);
      const input = indexes.map((i) => ({
        ip: probes[i].ip,
        port: probes[i].port,
        protocol: probes[i].protocol,
        count: probes[i].count,
        timeoutMs:
          claims[i].verdict === 'delivered' || claims[i].verdict === 'refused'
            ? ANSWER_TIMEOUT_MS
            : DROP_TIMEOUT_MS,
        localAddress,
      }));
      const out = await runInNsAsync(
        ns,
        process.execPath,
        [join(AGENTS, 'client.js')],
        JSON.stringify(input),
      );
      const parsed = JSON.parse(out) as Attempt[][];
      indexes.forEach((i, k) => (results[i] = parsed[k]));
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
): Promise<ScenarioResult> {
  const started = Date.now();
  const tag = `s${(scenarioCounter++).toString(36)}`;
  const cluster = buildCluster(state, tag);
  const scratch = `${cluster.namespaces[0].slice(0, -2)}scr`;
  const dir = mkdtempSync(join(tmpdir(), 'netplay-kernel-'));
  let servers: ChildProcess[] = [];
  try {
    run('ip', ['netns', 'add', scratch]);
    cluster.namespaces.push(scratch);
    const { mismatches } = loadRules(cluster, scratch);
    flushScratch(scratch);
    const recordsFile = join(dir, 'dns-records');
    writeFileSync(recordsFile, view(state, 'dns-records', {}));
    servers = await startServers(cluster, recordsFile);
    const client = pickClient(cluster);
    const probes = client ? probesFor(cluster, client) : [];
    const claims = probes.map((p) => engineClaim(state, p));
    // One unjudged round first: the neighbour (ARP) entries the first packets wait for are
    // resolved before any attempt is judged.
    const warm = probes.map((_, i) => i).filter((i) => claims[i].verdict === 'delivered');
    await runAttempts(
      cluster,
      warm.map((i) => ({ ...probes[i], count: 1 })),
      warm.map((i) => claims[i]),
    );
    const attempts = await runAttempts(cluster, probes, claims);
    const problems = probes.map((p, i) => compare(state, p, claims[i], attempts[i]));
    // A failed probe runs once more: a share is judged on both samples together (a rare draw is
    // not a failure), anything else on the second sample alone (a stall of a loaded machine is not
    // a verdict); a real disagreement fails both times.
    const retry = probes.map((_, i) => i).filter((i) => problems[i].length > 0);
    if (retry.length) {
      const again = await runAttempts(
        cluster,
        retry.map((i) => probes[i]),
        retry.map((i) => claims[i]),
      );
      for (const [k, i] of retry.entries()) {
        const shares = problems[i].every((m) => m.startsWith('share of'));
        attempts[i] = shares ? [...attempts[i], ...again[k]] : again[k];
        problems[i] = compare(state, probes[i], claims[i], attempts[i]);
      }
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
    };
  } finally {
    for (const s of servers) s.kill('SIGKILL');
    // NETPLAY_KERNEL_KEEP=1 leaves the namespaces up to look at by hand (the next run removes them).
    if (!process.env.NETPLAY_KERNEL_KEEP) destroyCluster(cluster);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The scenario's client: a pod that serves nothing (the seeds' `client`), else the first pod. */
function pickClient(cluster: KernelCluster): string | undefined {
  const served = new Set([...servedPorts(cluster).values()].map((s) => s.name));
  const refs = [...cluster.pods.keys()];
  return refs.find((r) => !served.has(r)) ?? refs[0];
}
