/**
 * kubectl prints tables through text/tabwriter with minwidth 6, padding 3 and flags 0
 * (k8s.io/cli-runtime pkg/printers/tabwriter.go). Every cell but the last of a row ends with a
 * tab, so the last column is never padded: rows carry no trailing spaces.
 */
const MIN_WIDTH = 6;
const PADDING = 3;

export function formatTable(headers: string[], rows: string[][]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, col) =>
    Math.max(
      MIN_WIDTH,
      ...all.map((row) => (col < row.length - 1 ? (row[col] ?? '').length + PADDING : 0)),
    ),
  );
  return all
    .map((row) =>
      row.map((cell, col) => (col < row.length - 1 ? cell.padEnd(widths[col]) : cell)).join(''),
    )
    .join('\n')
    .concat('\n');
}

/** kubectl's answer when a namespaced list is empty. */
export function noResources(namespace: string | undefined): string {
  return namespace ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n';
}
