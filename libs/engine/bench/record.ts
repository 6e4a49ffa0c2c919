import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const FILE = join(__dirname, '..', '..', '..', 'BENCHMARKS.md');

/** The machine a benchmark ran on, as its section names it: CPUs, memory and Node. */
export function machineDescription(): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/**
 * Replaces (or appends) the section `## <title>` in BENCHMARKS.md with a fresh table, so each
 * benchmark keeps its latest numbers with the date and machine they were measured on.
 */
export function recordBenchmark(
  title: string,
  machine: string,
  rows: [string, string, string][],
): void {
  let text: string;
  try {
    text = readFileSync(FILE, 'utf8');
  } catch {
    text = '# Benchmarks\n\nMeasured with `npm run bench`. Each section keeps its latest run.\n';
  }
  const date = new Date().toISOString().slice(0, 10);
  const section = [
    `## ${title}`,
    '',
    `Measured ${date} on ${machine}.`,
    '',
    '| measure | result | target |',
    '|---|---|---|',
    ...rows.map(([a, b, c]) => `| ${a} | ${b} | ${c} |`),
    '',
  ].join('\n');
  const pattern = new RegExp(
    `## ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n[\\s\\S]*?(?=\\n## |$)`,
  );
  text = pattern.test(text) ? text.replace(pattern, section) : `${text.trimEnd()}\n\n${section}`;
  writeFileSync(FILE, text.endsWith('\n') ? text : `${text}\n`);
}
