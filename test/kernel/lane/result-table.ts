import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioResult } from './run-scenario';

const results: ScenarioResult[] = [];

export function recordResult(result: ScenarioResult): void {
  results.push(result);
}

/**
 * The lane's result tables (markdown), written to `$NETPLAY_KERNEL_REPORT.<mode>.md` when set: one
 * row per scenario with its probes, connections, time and where the time went;
 * docs/kernel-lane.md shows the latest ones.
 */
export function writeResultTables(): void {
  for (const mode of new Set(results.map((r) => r.mode))) writeResultTable(mode);
}

function writeResultTable(mode: string): void {
  const base = process.env.NETPLAY_KERNEL_REPORT;
  const target = base ? `${base}.${mode}.md` : undefined;
  const modeResults = results.filter((r) => r.mode === mode);
  if (!target || !modeResults.length) return;
  const rows = modeResults.map((r) => {
    const failed = r.probes.filter((p) => p.problems.length).length + r.ruleMismatches.length;
    const attempts = r.probes.reduce((n, p) => n + p.attempts.length, 0);
    const phases = Object.entries(r.phases)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`)
      .join(', ');
    return `| ${r.name} | ${r.mode} | ${r.cni} | ${r.probes.length} | ${attempts} | ${failed === 0 ? 'pass' : `${failed} failed`} | ${(r.millis / 1000).toFixed(1)} s | ${phases} |`;
  });
  const total = modeResults.reduce((n, r) => n + r.millis, 0);
  writeFileSync(
    join(target),
    [
      '| scenario | kube-proxy | CNI | probes | connections | result | time | phases (s) |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `${modeResults.length} scenarios, ${(total / 1000).toFixed(0)} s in all (side by side, so more than the lane's wall time).`,
      '',
    ].join('\n'),
  );
}
