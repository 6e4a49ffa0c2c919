import type { GroupedMatrix } from '../policy-matrix/group-matrix';
import type { Matrix } from '../policy-matrix/matrix-types';
import { cellMark, groupMark, type CellMark } from '../policy-matrix/render-matrix';
import {
  CHAR_WIDTH,
  element,
  escapeXml,
  LINE_HEIGHT,
  svgDocument,
  textLines,
  textWidth,
  wrap,
} from './svg-document';

const MARGIN = 16;
const CELL = 16;
const FILL: Record<CellMark, string> = { '.': '#2e7d32', X: '#c62828', '-': '#cfd8dc' };
const MEANING: Record<CellMark, string> = { '.': 'allowed', X: 'denied', '-': 'not modelled' };

/**
 * The truth table as a picture: rows are sources, columns destinations, a green cell where the
 * connection is allowed and a red one where it is denied (grey: external → external, not modelled).
 * With `grouped`, the grouped table (peers with identical rows and columns merged) and its legend.
 * Every cell carries a tooltip naming both ends.
 */
export function renderMatrixSvg(matrix: Matrix, grouped?: GroupedMatrix): string {
  const labels = grouped ? grouped.groups.map((g) => g.name) : matrix.peers.map((p) => p.id);
  const mark = grouped
    ? (i: number, j: number) => groupMark(grouped, i, j)
    : (i: number, j: number) => cellMark(matrix, i, j);
  const scope = `${matrix.protocol}/${matrix.port}${matrix.namespace ? ` in namespace ${matrix.namespace}` : ''}`;
  const title = `${grouped ? 'grouped reachability' : 'reachability'} ${scope} (rows: from, columns: to)`;
  const labelWidth = Math.max(...labels.map(textWidth), textWidth('from \\ to')) + 8;
  const top = MARGIN + 2 * LINE_HEIGHT + labelWidth * Math.SQRT1_2 + 8;
  const left = MARGIN + labelWidth;
  const gridSize = labels.length * CELL;
  const body: string[] = [
    textLines(MARGIN, MARGIN + LINE_HEIGHT, [title], { 'font-weight': 'bold', 'font-size': 12 }),
    legend(MARGIN, MARGIN + 2 * LINE_HEIGHT),
  ];
  labels.forEach((label, i) => {
    const x = left + i * CELL + CELL / 2;
    // Column labels slanted at 45°, reading upwards from their column.
    body.push(
      element(
        'text',
        { x, y: top - 6, transform: `rotate(-45 ${x} ${top - 6})` },
        escapeXml(label),
      ),
      element(
        'text',
        { x: left - 6, y: top + i * CELL + CELL - 4, 'text-anchor': 'end' },
        escapeXml(label),
      ),
    );
  });
  for (let i = 0; i < labels.length; i += 1)
    for (let j = 0; j < labels.length; j += 1) {
      const m = mark(i, j);
      body.push(
        element(
          'rect',
          {
            x: left + j * CELL,
            y: top + i * CELL,
            width: CELL - 1,
            height: CELL - 1,
            fill: FILL[m],
          },
          `<title>${escapeXml(`${labels[i]} → ${labels[j]}: ${MEANING[m]}`)}</title>`,
        ),
      );
    }
  let bottom = top + gridSize + LINE_HEIGHT;
  const lines = grouped ? groupLegend(grouped) : [];
  lines.push(...matrix.notes.map((note) => `note: ${note}`));
  const width = Math.max(
    left + gridSize + labelWidth * Math.SQRT1_2,
    textWidth(title) + 2 * MARGIN,
    420,
  );
  const wrapped = lines.flatMap((line) =>
    wrap(line, Math.floor((width - 2 * MARGIN) / CHAR_WIDTH)),
  );
  body.push(textLines(MARGIN, bottom, wrapped));
  bottom += wrapped.length * LINE_HEIGHT;
  return svgDocument(width + MARGIN, bottom + MARGIN, title, body);
}

function legend(x: number, y: number): string {
  return (['.', 'X'] as const)
    .map((m, i) =>
      [
        element('rect', { x: x + i * 90, y: y + 3, width: 11, height: 11, fill: FILL[m] }),
        textLines(x + i * 90 + 16, y + 13, [MEANING[m]]),
      ].join(''),
    )
    .join('');
}

function groupLegend(grouped: GroupedMatrix): string[] {
  return grouped.groups.map((g) => `${g.name}: ${g.members.map((m) => m.id).join(' ')}`);
}
