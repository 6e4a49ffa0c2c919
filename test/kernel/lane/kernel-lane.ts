import {
  exampleEntries,
  generatedEntries,
  scenarioEntries,
  clusterOf,
  type CorpusEntry,
  type Cni,
  type ProxyMode,
} from './corpus';
import { canCreateNamespaces, removeLeftovers } from './namespaces';
import { runKernelScenario, type ScenarioResult } from './run-scenario';
import { recordResult, writeResultTable } from './result-table';

/**
 * The kernel lane (docs/kernel-lane.md): every corpus cluster built as network namespaces from the
 * engine's views, its rules loaded unchanged, real connections compared with the engine's traces,
 * in iptables and nftables modes. Needs root and `ip netns`.
 */
const GENERATED = 30;
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
  // Multi-node flannel: real VXLAN devices, FDB and neighbour entries from `get cni-rules`.
  for (const entry of exampleEntries()) cases.push({ entry, mode, cni: 'flannel' });
  for (const entry of generatedEntries(GENERATED)) cases.push({ entry, mode, cni: 'kindnet' });
  return cases;
}

function describeFailures(result: ScenarioResult): string {
  const lines = [...result.ruleMismatches];
  for (const p of result.probes)
    if (p.problems.length) lines.push(`${p.probe.name}: ${p.problems.slice(0, 3).join(' | ')}`);
  return lines.join('\n');
}

/** The lane's suite for one kube-proxy mode (one spec file per mode, so Jest runs both at once). */
export function kernelLane(mode: ProxyMode): void {
  const cases = casesFor(mode);
  if (!namespacesWork()) {
    describe('kernel lane', () => {
      it.skip(`(${mode}) is skipped: network namespaces cannot be created here (needs root and ip netns)`, () => {});
    });
  } else {
    describe(`kernel lane (${mode}): the engine’s views loaded into Linux agree with its traces`, () => {
      beforeAll(() => removeLeftovers());
      afterAll(() => writeResultTable(mode));

      it.each(cases.map((c) => [`${c.entry.name} (${c.mode}, ${c.cni})`, c] as const))(
        '%s',
        async (_name, c) => {
          const state = clusterOf(c.entry, c.mode, c.cni);
          const result = await runKernelScenario(c.entry.name, state);
          recordResult(result);
          expect(result.probes.length).toBeGreaterThan(0);
          expect(describeFailures(result)).toBe('');
        },
      );
    });
  }
}
