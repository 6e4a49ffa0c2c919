/**
 * Compares a step result with the fields an `.expect.yaml` lists, and only those. Rules:
 * - objects: every listed key must match (unlisted keys are ignored);
 * - arrays: same length, element by element;
 * - `{$includes: [e1, e2]}` against an array: each listed entry matches some element (in any
 *   order, others may exist), for lists such as a trace's notes or the load issues;
 * - `{$excludes: [e1]}` against an array: no element matches any listed entry;
 * - a string written `/…/` is a regular expression for a string value;
 * - `view:` takes `lines` (exact lines), `contains` (substrings), `header`, `rowCount` and
 *   `rows` (each a map column → value that some table row must match).
 * Returns the mismatches as readable paths; empty means the step is as expected.
 */
export function mismatches(expected: unknown, actual: unknown, path = ''): string[] {
  if (typeof expected === 'string' && /^\/.+\/$/.test(expected)) {
    return typeof actual === 'string' && new RegExp(expected.slice(1, -1)).test(actual)
      ? []
      : [`${path}: ${show(actual)} does not match ${expected}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected a list, got ${show(actual)}`];
    if (expected.length !== actual.length)
      return [
        `${path}: expected ${expected.length} entries, got ${actual.length}: ${show(actual)}`,
      ];
    return expected.flatMap((e, i) => mismatches(e, actual[i], `${path}[${i}]`));
  }
  if (isListCheck(expected)) return listMismatches(expected, actual, path);
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object')
      return [`${path}: expected an object, got ${show(actual)}`];
    return Object.entries(expected).flatMap(([k, v]) =>
      mismatches(v, (actual as Record<string, unknown>)[k], path ? `${path}.${k}` : k),
    );
  }
  return expected === actual ? [] : [`${path}: expected ${show(expected)}, got ${show(actual)}`];
}

interface ListCheck {
  $includes?: unknown[];
  $excludes?: unknown[];
}

function isListCheck(value: unknown): value is ListCheck {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k === '$includes' || k === '$excludes');
}

function listMismatches(expected: ListCheck, actual: unknown, path: string): string[] {
  if (!Array.isArray(actual)) return [`${path}: expected a list, got ${show(actual)}`];
  const problems: string[] = [];
  const matchesSome = (e: unknown) => actual.some((a) => mismatches(e, a).length === 0);
  for (const e of expected.$includes ?? [])
    if (!matchesSome(e)) problems.push(`${path}: no entry matches ${show(e)}; got ${show(actual)}`);
  for (const e of expected.$excludes ?? [])
    if (matchesSome(e)) problems.push(`${path}: an entry matches ${show(e)}; got ${show(actual)}`);
  return problems;
}

export interface ViewExpectation {
  lines?: string[];
  contains?: string[];
  header?: string[];
  rowCount?: number;
  rows?: Record<string, string>[];
}

/** kubectl tables separate columns by at least 3 spaces and no cell holds two spaces in a row. */
export function parseTable(text: string): { header: string[]; rows: Record<string, string>[] } {
  const [headerLine, ...lines] = text.split('\n').filter((l) => l.trim() !== '');
  const header = (headerLine ?? '').split(/ {2,}/);
  const rows = lines.map((line) => {
    const cells = line.split(/ {2,}/);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
  return { header, rows };
}

export function viewMismatches(expected: ViewExpectation, view: string): string[] {
  const problems: string[] = [];
  if (expected.lines)
    problems.push(...mismatches(expected.lines, view.replace(/\n$/, '').split('\n'), 'view.lines'));
  for (const text of expected.contains ?? [])
    if (!view.includes(text)) problems.push(`view: does not contain ${show(text)}`);
  if (expected.header || expected.rowCount !== undefined || expected.rows) {
    const table = parseTable(view);
    if (expected.header) problems.push(...mismatches(expected.header, table.header, 'view.header'));
    if (expected.rowCount !== undefined && table.rows.length !== expected.rowCount)
      problems.push(`view: expected ${expected.rowCount} rows, got ${table.rows.length}`);
    (expected.rows ?? []).forEach((row, i) => {
      if (!table.rows.some((r) => mismatches(row, r).length === 0))
        problems.push(`view.rows[${i}]: no row matches ${show(row)}`);
    });
  }
  return problems.length ? [...problems, `view was:\n${view}`] : [];
}

function show(value: unknown): string {
  return JSON.stringify(value);
}
