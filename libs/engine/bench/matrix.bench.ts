/**
 * `npm run bench` (matrix part): the policy connectivity matrix at 1k/2k/5k/10k pods, "which pods
 * each policy selects and admits" at 10k pods / 10k policies, and the grouped matrix at 100k pods /
 * 75k policies. Prints the numbers and records them in BENCHMARKS.md.
 */
import { performance } from 'node:perf_hooks';
import {
  connectivityMatrix,
  groupedConnectivity,
  loadCluster,
  policyReach,
  readPolicies,
  type ClusterState,
} from '@netplay/engine';
import { addSyntheticWorkload, matrixClusterYaml, type MatrixFixtureSize } from './matrix-fixture';
import { machineDescription, recordBenchmark } from './record';

const QUERY = { protocol: 'TCP' as const, port: 8080 };
const BIG_LIMITS = {
  maxBytes: 256 * 2 ** 20,
  maxObjects: 1_000_000,
  maxPods: 1_000_000,
  maxEndpoints: 100_000_000,
  maxNodes: 100_000,
  maxReplicas: 1_000_000,
};

let peakRss = process.memoryUsage().rss;
const sampleMemory = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(0)} ms`);

function build(size: MatrixFixtureSize): { state: ClusterState; buildMs: number } {
  const t0 = performance.now();
  const loaded = loadCluster([{ name: 'matrix-bench.yaml', content: matrixClusterYaml(size) }], {
    limits: BIG_LIMITS,
  });
  if (!loaded.state)
    throw new Error(
      loaded.issues
        .filter((i) => i.severity === 'error')
        .slice(0, 5)
        .map((i) => i.message)
        .join('\n'),
    );
  return { state: loaded.state, buildMs: performance.now() - t0 };
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = run();
  const elapsed = performance.now() - t0;
  sampleMemory();
  return { value, ms: elapsed };
}

const rows: [string, string, string][] = [];
for (const pods of [1000, 2000, 5000, 10_000]) {
  const size = { pods, namespaces: 50, policies: pods / 5 };
  const { state, buildMs } = build(size);
  readPolicies(state);
  const matrix = timed(() => connectivityMatrix(state, QUERY));
  const target = pods === 5000 ? '< 1 s, < 1 GiB' : pods === 10_000 ? '< 4 s' : '';
  rows.push([
    `full matrix, ${state.pods.size} pods, ${size.policies} policies (YAML build ${ms(buildMs)})`,
    `${ms(matrix.ms)} (peak RSS ${mib(peakRss)})`,
    target,
  ]);
  console.log(rows[rows.length - 1].join(' | '));
}

{
  const size = { pods: 10_000, namespaces: 50, policies: 10_000 };
  const { state } = build(size);
  const policies = readPolicies(state);
  const reach = timed(() => policyReach(state, policies, QUERY));
  rows.push([
    `selects/admits per policy, ${state.pods.size} pods, ${reach.value.reach.length} policies`,
    ms(reach.ms),
    '< 2 s',
  ]);
  console.log(rows[rows.length - 1].join(' | '));
}

{
  const size = { pods: 100_000, namespaces: 50, policies: 75_000 };
  const { state } = build({ pods: 250, namespaces: 50, policies: 0 });
  addSyntheticWorkload(state, size);
  const read = timed(() => readPolicies(state));
  const grouped = timed(() => groupedConnectivity(state, QUERY));
  rows.push([
    `grouped matrix, ${state.pods.size} pods, ${read.value.networkPolicies.length + read.value.clusterPolicies.length} policies (built directly, not from YAML; reading policies ${ms(read.ms)})`,
    `${ms(grouped.ms)}, ${grouped.value.groups.length} groups (peak RSS ${mib(peakRss)})`,
    '< 1 min',
  ]);
  console.log(rows[rows.length - 1].join(' | '));
}

const machine = machineDescription();
recordBenchmark('Policy connectivity matrix', machine, rows);
