/**
 * The few SVG pieces the pictures are made of, as strings: no DOM, no fonts to measure, so the
 * same input gives the same bytes in Node and the browser. Text is monospace, so a line's width is
 * its length times CHAR_WIDTH; a viewer without that exact font still fits since boxes keep a margin.
 */
export const FONT_SIZE = 11;
export const CHAR_WIDTH = 6.7;
export const LINE_HEIGHT = 14;

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

type Attributes = Record<string, string | number | undefined>;

function attributes(attrs: Attributes): string {
  return Object.entries(attrs)
    .filter(([, value]) => value !== undefined)
    .map(
      ([key, value]) => ` ${key}="${typeof value === 'number' ? round(value) : escapeXml(value!)}"`,
    )
    .join('');
}

/** Coordinates with at most one decimal, so output does not depend on float printing. */
function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

export function element(name: string, attrs: Attributes, content?: string): string {
  return content === undefined
    ? `<${name}${attributes(attrs)}/>`
    : `<${name}${attributes(attrs)}>${content}</${name}>`;
}

/** Lines of text starting at (x, y), the first line's baseline at y. */
export function textLines(x: number, y: number, lines: string[], attrs: Attributes = {}): string {
  return lines
    .map((line, i) => element('text', { x, y: y + i * LINE_HEIGHT, ...attrs }, escapeXml(line)))
    .join('');
}

/** Word-wraps to at most `width` characters a line; a word longer than that is cut. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let rest = word; rest.length;) {
      const room = line ? width - line.length - 1 : width;
      if (rest.length <= room) {
        line = line ? `${line} ${rest}` : rest;
        rest = '';
      } else if (line) {
        lines.push(line);
        line = '';
      } else {
        lines.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

export function textWidth(text: string): number {
  return text.length * CHAR_WIDTH;
}

/** A complete standalone document with a title (shown as a tooltip, read by screen readers). */
export function svgDocument(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg"${attributes({ width, height, viewBox: `0 0 ${round(width)} ${round(height)}` })} font-family="monospace" font-size="${FONT_SIZE}">`,
    `<title>${escapeXml(title)}</title>`,
    element('rect', { width, height, fill: '#ffffff' }),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
