/**
 * `npm run bench` (engine part): build a 5,000-pod / 1,000-service cluster from YAML and run
 * 10,000 probes; prints the numbers and records them in BENCHMARKS.md.
 */
import { performance } from 'node:perf_hooks';
import { loadCluster, traceProbe } from '@netplay/engine';
import { clusterYaml } from './cluster-fixture';
import { machineDescription, recordBenchmark } from './record';

const SIZE = { namespaces: 50, deployments: 1000, replicas: 5, services: 1000 };
const PROBES = 10_000;

let peakRss = process.memoryUsage().rss;
const sampleMemory = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

const yaml = clusterYaml(SIZE);
const buildStart = performance.now();
const loaded = loadCluster([{ name: 'bench.yaml', content: yaml }]);
const buildMs = performance.now() - buildStart;
sampleMemory();
if (!loaded.state) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
const state = loaded.state;
const pods = [...state.pods.values()].filter((p) => p.namespace.startsWith('team-') && p.ip);

const durations = new Float64Array(PROBES);
const verdicts = new Map<string, number>();
for (let i = 0; i < PROBES; i++) {
  const from = pods[(i * 7919) % pods.length];
  const s = (i * 104729) % SIZE.services;
  const targetNs = `team-${(s % SIZE.deployments) % SIZE.namespaces}`;
  // A mix of what learners probe: a Service by name (DNS + kube-proxy), by ClusterIP, and a pod IP.
  const svc = state.services.get(`${targetNs}/svc-${s}`);
  const to =
    i % 3 === 0
      ? `http://svc-${s}.${targetNs}/`
      : i % 3 === 1
        ? `http://${svc?.clusterIP}/`
        : `${pods[(i * 31) % pods.length].ip}:8080`;
  const t0 = performance.now();
  const trace = traceProbe(state, { from: `${from.namespace}/${from.name}`, to });
  durations[i] = performance.now() - t0;
  verdicts.set(trace.verdict, (verdicts.get(trace.verdict) ?? 0) + 1);
  if (i % 1000 === 0) sampleMemory();
}
sampleMemory();
const sorted = [...durations].sort((a, b) => a - b);
const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

const results = {
  pods: state.pods.size,
  services: state.services.size,
  inputBytes: Buffer.byteLength(yaml),
  buildMs,
  probeMedianUs: quantile(0.5) * 1000,
  probeP99Us: quantile(0.99) * 1000,
  probesPerSecond: PROBES / (durations.reduce((a, b) => a + b, 0) / 1000),
  peakRssMiB: peakRss / 2 ** 20,
  verdicts: Object.fromEntries(verdicts),
};
console.log(JSON.stringify(results, null, 2));

const machine = machineDescription();
recordBenchmark('Engine: build and probe', machine, [
  [
    'Cluster built from YAML',
    `${results.pods} pods, ${results.services} services, ${(results.inputBytes / 1024).toFixed(0)} KiB`,
    '',
  ],
  ['Build time (parse, validate, controllers)', `${results.buildMs.toFixed(0)} ms`, '< 2 s'],
  ['Probe median (10,000 probes)', `${results.probeMedianUs.toFixed(1)} µs`, '< 100 µs'],
  ['Probe p99', `${results.probeP99Us.toFixed(1)} µs`, ''],
  ['Peak memory (RSS)', `${results.peakRssMiB.toFixed(0)} MiB`, '< 1 GiB'],
  [
    'Verdicts',
    Object.entries(results.verdicts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', '),
    '',
  ],
]);
