import { buildAgents, commandExists, releaseAgents, type Agents } from './agents';
import {
  compareLookup,
  DNS_NAMES,
  dnsEntry,
  startDnsCluster,
  stopDnsCluster,
  type DnsCluster,
} from './dns-lookups';
import {
  clusterOf,
  exampleEntries,
  generatedEntries,
  ipvsFeatureEntry,
  scenarioEntries,
  type Cni,
  type CorpusEntry,
  type ProxyMode,
} from './corpus';
import {
  checkIpvsNode,
  checkIpvsTraces,
  ipvsTools,
  releaseIpvsTools,
  type IpvsTools,
} from './ipvs-views';
import { canCreateLink, canCreateNamespaces, removeLeftovers } from './namespaces';
import { recordResult, writeResultTables } from './result-table';
import { runKernelScenario, type ScenarioResult } from './run-scenario';

/**
 * The kernel lane (docs/kernel-lane.md): every corpus cluster built as network namespaces from the
 * engine's views, its rules loaded unchanged, real connections compared with the engine's traces,
 * in iptables and nftables modes; in IPVS mode each node's views go through the real tools. One
 * spec file: the scenarios of every mode run side by side (Jest's test.concurrent), at most
 * NETPLAY_KERNEL_CONCURRENCY (default 4) at once, as most of a scenario's time is spent waiting
 * on the network.
 */
const GENERATED = 30;
const CONCURRENCY = Math.max(1, Number(process.env.NETPLAY_KERNEL_CONCURRENCY ?? 4));
/**
 * Each test's own time limit, given to every test: concurrent tests start together and wait their
 * turn, and a project's testTimeout does not reach them when Jest runs every project. A hang still
 * ends sooner: every command the lane runs has its own time limit.
 */
const TEST_TIMEOUT_MS = 600_000;

/** At most `slots` of the functions given run at once; the others wait their turn. */
function limiter(slots: number): <T>(work: () => Promise<T>) => Promise<T> {
  let free = slots;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}
const namespacesWork = (): boolean => process.getuid?.() === 0 && canCreateNamespaces();

interface Case {
  entry: CorpusEntry;
  mode: ProxyMode;
  cni: Cni;
}

function casesFor(mode: ProxyMode): Case[] {
  const cases: Case[] = [];
  for (const entry of [...exampleEntries(), ...scenarioEntries()])
    cases.push({ entry, mode, cni: 'kindnet' });
  // Multi-node flannel: real VXLAN devices, FDB and neighbour entries from `get cni-rules`;
  // Calico (BGP): /32 pods behind proxy ARP on their veths, its pool sets and nat-outgoing.
  for (const entry of exampleEntries()) cases.push({ entry, mode, cni: 'flannel' });
  if (mode !== 'ipvs')
    for (const entry of exampleEntries()) cases.push({ entry, mode, cni: 'calico' });
  if (mode === 'ipvs') cases.push({ entry: ipvsFeatureEntry(), mode, cni: 'kindnet' });
  for (const entry of generatedEntries(GENERATED)) cases.push({ entry, mode, cni: 'kindnet' });
  return cases;
}

function describeFailures(result: ScenarioResult): string {
  const lines = [...result.ruleMismatches];
  for (const p of result.probes)
    if (p.problems.length) lines.push(`${p.probe.name}: ${p.problems.slice(0, 3).join(' | ')}`);
  return lines.join('\n');
}

/**
 * The lane's setup, made once by whichever test starts first (concurrent tests start before a
 * describe block's beforeAll has run): leftovers of crashed runs removed, the C agents built.
 */
function laneSetup(dummy: boolean): () => Promise<{ agents: Agents; ipvs: IpvsTools }> {
  let setup: Promise<{ agents: Agents; ipvs: IpvsTools }> | undefined;
  return () =>
    (setup ??= Promise.resolve().then(() => {
      removeLeftovers();
      const agents = buildAgents();
      return { agents, ipvs: ipvsTools(agents, dummy) };
    }));
}

async function ipvsCase(tools: IpvsTools, c: Case, tag: string): Promise<void> {
  const state = clusterOf(c.entry, 'ipvs', c.cni);
  const checks = await Promise.all(
    [...state.nodes.keys()].map((node, i) => checkIpvsNode(tools, state, node, `${tag}${i}`)),
  );
  const problems = checks.flatMap((check) => check.problems.map((p) => `${check.node}: ${p}`));
  problems.push(...checkIpvsTraces(state));
  expect(checks.reduce((n, check) => n + check.virtualServers, 0)).toBeGreaterThan(0);
  expect(problems.join('\n')).toBe('');
}

export function kernelLane(): void {
  if (!namespacesWork()) {
    describe('kernel lane', () => {
      it.skip('is skipped: network namespaces cannot be created here (needs root and ip netns)', () => {});
    });
    return;
  }
  const dummy = canCreateLink('dummy');
  const ipip = canCreateLink('ipip', ['remote', '192.0.2.1', 'local', '192.0.2.2']);
  const setup = laneSetup(dummy);
  const slot = limiter(CONCURRENCY);
  /** One corpus cluster in namespaces, its connections compared with the engine's traces. */
  const scenario = async (c: Case) => {
    const { agents } = await setup();
    const state = clusterOf(c.entry, c.mode, c.cni);
    const result = await slot(() => runKernelScenario(c.entry.name, state, agents));
    recordResult(result);
    expect(result.probes.length).toBeGreaterThan(0);
    expect(describeFailures(result)).toBe('');
  };
  const cases = [...casesFor('iptables'), ...casesFor('nftables')];
  let counter = 0;

  // DNS: one cluster for every lookup, the lookups one at a time (each reads the servers' logs).
  const dnsSlot = limiter(1);
  let dnsCluster: Promise<DnsCluster> | undefined;
  const startDns = () =>
    (dnsCluster ??= slot(() =>
      startDnsCluster(clusterOf(dnsEntry(), 'iptables', 'kindnet'), 'dns'),
    ));

  describe('kernel lane: the engine’s views loaded into Linux agree with its traces', () => {
    afterAll(async () => {
      writeResultTables();
      if (dnsCluster) await stopDnsCluster(await dnsCluster);
      const { agents, ipvs } = await setup();
      releaseIpvsTools(ipvs);
      releaseAgents(agents);
    });

    it.concurrent.each(cases.map((c) => [`${c.entry.name} (${c.mode}, ${c.cni})`, c] as const))(
      '%s',
      (_name, c) => scenario(c),
      TEST_TIMEOUT_MS,
    );

    // Calico IPIP: real ipip tunnels (tunl0) between the nodes, where the kernel has them.
    const ipipCases = (['iptables', 'nftables'] as const).flatMap((mode) =>
      exampleEntries().map(
        (entry) =>
          [
            `${entry.name} (${mode}, calico IPIP)`,
            { entry, mode, cni: 'calico-ipip' as Cni },
          ] as const,
      ),
    );
    if (ipip) it.concurrent.each(ipipCases)('%s', (_name, c) => scenario(c), TEST_TIMEOUT_MS);
    else
      it.skip.each(ipipCases)(
        '%s is skipped: CONFIG_NET_IPIP is not set on this kernel (no ipip device could be created)',
        () => {},
      );

    // DNS through real resolvers: glibc's getent, and getaddrinfo linked with musl.
    const resolvers = [
      ['default/client', 'glibc getent ahostsv4'],
      ['default/musl-client', 'musl getaddrinfo'],
    ] as const;
    for (const [from, resolver] of resolvers) {
      const cases = DNS_NAMES.map(
        (name) => [`DNS: ${name} from ${from} (${resolver})`, name] as const,
      );
      if (from === 'default/musl-client' && !commandExists('musl-gcc'))
        it.skip.each(cases)(
          '%s is skipped: musl-gcc (Debian musl-tools) is not installed',
          () => {},
        );
      else
        it.concurrent.each(cases)(
          '%s',
          async (_name, name) => {
            const { agents } = await setup();
            const dns = await startDns();
            const result = await dnsSlot(() => compareLookup(dns, agents, from, name));
            expect(result.engineQueries.length).toBeGreaterThan(0);
            expect(result.problems.join('\n')).toBe('');
          },
          TEST_TIMEOUT_MS,
        );
    }

    // IPVS: no connections (this kernel has no IPVS to forward them); the views go through
    // ipvsadm, ipset, iptables and ip. Without CONFIG_DUMMY, kube-ipvs0 is made an ifb device.
    const device = dummy
      ? ''
      : ', kube-ipvs0 as an ifb device: CONFIG_DUMMY is not set on this kernel';
    it.concurrent.each(
      casesFor('ipvs').map(
        (c) => [`${c.entry.name} (ipvs, ${c.cni}: views through the tools${device})`, c] as const,
      ),
    )(
      '%s',
      async (_name, c) => {
        const { ipvs } = await setup();
        await slot(() => ipvsCase(ipvs, c, `v${(counter++).toString(36)}`));
      },
      TEST_TIMEOUT_MS,
    );
  });
}
