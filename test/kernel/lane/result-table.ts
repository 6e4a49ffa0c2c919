import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioResult } from './run-scenario';

const results: ScenarioResult[] = [];

export function recordResult(result: ScenarioResult): void {
  results.push(result);
}

/**
 * The lane's result table (markdown), written to `$NETPLAY_KERNEL_REPORT.<mode>.md` when set: one row per
 * scenario with its probes, connections and time; docs/kernel-lane.md shows the latest one.
 */
export function writeResultTable(mode: string): void {
  const base = process.env.NETPLAY_KERNEL_REPORT;
  const target = base ? `${base}.${mode}.md` : undefined;
  if (!target || !results.length) return;
  const rows = results.map((r) => {
    const failed = r.probes.filter((p) => p.problems.length).length + r.ruleMismatches.length;
    const attempts = r.probes.reduce((n, p) => n + p.attempts.length, 0);
    return `| ${r.name} | ${r.mode} | ${r.cni} | ${r.probes.length} | ${attempts} | ${failed === 0 ? 'pass' : `${failed} failed`} | ${(r.millis / 1000).toFixed(1)} s |`;
  });
  const total = results.reduce((n, r) => n + r.millis, 0);
  writeFileSync(
    join(target),
    [
      '| scenario | kube-proxy | CNI | probes | connections | result | time |',
      '|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `${results.length} scenarios, ${(total / 1000).toFixed(0)} s in all.`,
      '',
    ].join('\n'),
  );
}
