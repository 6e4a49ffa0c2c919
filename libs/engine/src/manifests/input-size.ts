/** UTF-8 byte length without allocating an encoded copy (inputs can be megabytes). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is one 4-byte code point.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** `3.1 MiB`, `512 KiB`, `900 bytes`: sizes as a person reads them. */
export function formatBytes(bytes: number): string {
  const mib = 1024 * 1024;
  if (bytes >= mib) return `${trim(bytes / mib)} MiB`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

function trim(value: number): string {
  const fixed = value.toFixed(1);
  return fixed.endsWith('.0') ? fixed.slice(0, -2) : fixed;
}

/**
 * A cheap upper estimate of a document's nesting, computed before parsing: the `yaml` parser
 * recurses once per level, and a 100k-deep `[[[[…` would exhaust the stack (or memory) inside it.
 * Counts flow brackets outside quoted scalars and comments, plus block indentation levels and
 * `- ` sequence markers. It can overestimate (indented block scalars), so callers compare it with a
 * generous bound; the exact depth is checked after parsing by an iterative walk.
 */
export function estimateNestingDepth(text: string): number {
  let max = 0;
  let flow = 0;
  const indents: number[] = [];
  let lineStart = true;
  let indent = 0;
  let quote: '"' | "'" | null = null;
  let dashes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      indent = 0;
      dashes = 0;
      continue;
    }
    if (quote !== null) {
      if (quote === '"' && c === 92) i++;
      else if (String.fromCharCode(c) === quote) quote = null;
      continue;
    }
    if (lineStart) {
      if (c === 32) {
        indent++;
        continue;
      }
      if (indent === 0 && text.startsWith('---', i)) {
        // A new document: an unbalanced bracket in a plain scalar of the previous one does not carry over.
        flow = 0;
        indents.length = 0;
      }
      if (c === 45 && text.charCodeAt(i + 1) === 32) {
        // `- - - x` nests one sequence per dash on the same line.
        dashes++;
        indent += 2;
        i++;
        continue;
      }
      lineStart = false;
      if (c === 35 || c === 13) continue;
      while (indents.length && indents[indents.length - 1] >= indent) indents.pop();
      indents.push(indent);
      max = Math.max(max, indents.length + dashes + flow);
    }
    if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32)) {
      // A comment runs to the end of the line.
      while (i + 1 < text.length && text.charCodeAt(i + 1) !== 10) i++;
    } else if (c === 34 || c === 39) {
      const prev = text.charCodeAt(i - 1);
      // Quotes only open a scalar at its start, not inside `it's`.
      if (i === 0 || prev === 32 || prev === 91 || prev === 123 || prev === 44 || prev === 58)
        quote = c === 34 ? '"' : "'";
    } else if (c === 91 || c === 123) {
      flow++;
      max = Math.max(max, indents.length + dashes + flow);
    } else if ((c === 93 || c === 125) && flow > 0) flow--;
  }
  return max;
}

/**
 * Counts non-empty YAML documents without parsing, so an input with too many objects is refused
 * before the (comparatively slow) parser runs. A line starting with `---` always starts a document,
 * even after a block scalar; comments, blank lines and directives carry no content.
 */
export function countDocuments(text: string): number {
  let count = 0;
  let hasContent = false;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const first = text.charCodeAt(start);
    if (
      first === 45 &&
      text.startsWith('---', start) &&
      (end - start === 3 || /\s/.test(text[start + 3]))
    ) {
      if (hasContent) count++;
      // `--- value` puts content on the marker line itself.
      const rest = text.slice(start + 3, end).trim();
      hasContent = rest !== '' && !rest.startsWith('#');
    } else if (
      first === 46 &&
      text.startsWith('...', start) &&
      text.slice(start + 3, end).trim() === ''
    ) {
      if (hasContent) count++;
      hasContent = false;
    } else if (!hasContent && first !== 35 && first !== 37) {
      for (let i = start; i < end; i++) {
        const c = text.charCodeAt(i);
        if (c === 35) break;
        if (c !== 32 && c !== 9 && c !== 13) {
          hasContent = true;
          break;
        }
      }
    }
    start = end + 1;
  }
  return hasContent ? count + 1 : count;
}
