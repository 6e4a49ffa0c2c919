/**
 * Line diffs for the page: the suggested fix before it is applied, and two revisions side by side.
 * A longest-common-subsequence over lines; sandboxes are bounded (2 MiB) and the table is only
 * built for the lines between the common head and tail, which is where edits are.
 */
export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

const MAX_CELLS = 4_000_000;

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const same = (text: string): DiffLine => ({ kind: 'same', text });
  const middle =
    midA.length * midB.length > MAX_CELLS
      ? [
          ...midA.map((text): DiffLine => ({ kind: 'removed', text })),
          ...midB.map((text): DiffLine => ({ kind: 'added', text })),
        ]
      : lcsDiff(midA, midB);
  return [...a.slice(0, head).map(same), ...middle, ...a.slice(a.length - tail).map(same)];
}

function lcsDiff(a: string[], b: string[]): DiffLine[] {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table = new Uint32Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      table[i * cols + j] =
        a[i] === b[j]
          ? table[(i + 1) * cols + j + 1] + 1
          : Math.max(table[(i + 1) * cols + j], table[i * cols + j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i] });
      i++;
      j++;
    } else if (table[(i + 1) * cols + j] >= table[i * cols + j + 1])
      out.push({ kind: 'removed', text: a[i++] });
    else out.push({ kind: 'added', text: b[j++] });
  }
  while (i < a.length) out.push({ kind: 'removed', text: a[i++] });
  while (j < b.length) out.push({ kind: 'added', text: b[j++] });
  return out;
}

/** Only the changed lines with `context` unchanged lines around each change (a unified diff's hunks). */
export function changedWithContext(diff: DiffLine[], context = 2): (DiffLine | null)[] {
  const keep = diff.map(() => false);
  diff.forEach((line, i) => {
    if (line.kind === 'same') return;
    for (let k = Math.max(0, i - context); k <= Math.min(diff.length - 1, i + context); k++)
      keep[k] = true;
  });
  const out: (DiffLine | null)[] = [];
  diff.forEach((line, i) => {
    if (keep[i]) out.push(line);
    else if (out.length > 0 && out[out.length - 1] !== null) out.push(null);
  });
  if (out[out.length - 1] === null) out.pop();
  return out;
}

/** The manifests with the suggested NetworkPolicies appended as new documents. */
export function applySuggestion(manifests: string, suggestionYaml: string): string {
  const base = manifests.replace(/\s+$/, '');
  const addition = suggestionYaml.replace(/^\s*---\s*\n/, '').replace(/\s+$/, '');
  return base.length === 0 ? `${addition}\n` : `${base}\n---\n${addition}\n`;
}
