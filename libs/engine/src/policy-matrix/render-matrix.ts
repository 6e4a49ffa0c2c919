import { hasBit } from './bitset';
import type { GroupedMatrix } from './group-matrix';
import type { Matrix, MatrixPeer } from './matrix-types';

/** `.` allowed, `X` denied (the Kubernetes e2e truth-table marks), `-` not modelled (external → external). */
export type CellMark = '.' | 'X' | '-';

export function cellMark(matrix: Matrix, src: number, dst: number): CellMark {
  if (matrix.peers[src].kind === 'external' && matrix.peers[dst].kind === 'external') return '-';
  return hasBit(matrix.rows[src], dst) ? '.' : 'X';
}

function markRows(matrix: Matrix): string[][] {
  return matrix.peers.map((_, src) => matrix.peers.map((__, dst) => cellMark(matrix, src, dst)));
}

function title(matrix: Pick<Matrix, 'protocol' | 'port' | 'namespace'>): string {
  return `${matrix.protocol}/${matrix.port}${matrix.namespace ? ` in namespace ${matrix.namespace}` : ''}`;
}

/** The e2e printout: tab-separated, rows are sources, columns destinations. */
export function renderMatrixTable(matrix: Matrix): string {
  const marks = markRows(matrix);
  const lines = [
    `-\t${matrix.peers.map((p) => p.id).join('\t')}`,
    ...matrix.peers.map((p, i) => `${p.id}\t${marks[i].join('\t')}`),
  ];
  return `reachability ${title(matrix)} (rows: from, columns: to; . allowed, X denied)\n${lines.join('\n')}\n`;
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderMatrixCsv(matrix: Matrix): string {
  const marks = markRows(matrix);
  const lines = [['from\\to', ...matrix.peers.map((p) => p.id)].map(csvField).join(',')];
  matrix.peers.forEach((p, i) => lines.push([p.id, ...marks[i]].map(csvField).join(',')));
  return `${lines.join('\n')}\n`;
}

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function renderMatrixMarkdown(matrix: Matrix): string {
  const marks = markRows(matrix);
  const lines = [
    `| from \\ to | ${matrix.peers.map((p) => mdCell(p.id)).join(' | ')} |`,
    `|---|${matrix.peers.map(() => ':-:').join('|')}|`,
    ...matrix.peers.map((p, i) => `| ${mdCell(p.id)} | ${marks[i].join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

export function groupMark(grouped: GroupedMatrix, src: number, dst: number): CellMark {
  if (
    grouped.groups[src].members[0].kind === 'external' &&
    grouped.groups[dst].members[0].kind === 'external'
  )
    return '-';
  return hasBit(grouped.rows[src], dst) ? '.' : 'X';
}

function groupLabel(members: MatrixPeer[]): string {
  return members.length === 1 ? members[0].id : `${members.length} peers`;
}

/** The grouped table plus its legend: which peers each group holds. */
export function renderGroupedTable(grouped: GroupedMatrix): string {
  const names = grouped.groups.map((g) => g.name);
  const lines = [
    `-\t${names.join('\t')}`,
    ...grouped.groups.map(
      (g, i) => `${g.name}\t${grouped.groups.map((_, j) => groupMark(grouped, i, j)).join('\t')}`,
    ),
  ];
  const legend = grouped.groups.map(
    (g) => `${g.name} (${groupLabel(g.members)}): ${g.members.map((m) => m.id).join(' ')}`,
  );
  return `grouped reachability ${title(grouped)}: ${grouped.groups.length} group${grouped.groups.length === 1 ? '' : 's'} of peers with identical rows and columns\n${lines.join('\n')}\n${legend.join('\n')}\n`;
}

/** Machine-readable form: rows as mark strings, and the groups when given. */
export function matrixJson(matrix: Matrix, grouped?: GroupedMatrix): object {
  return {
    protocol: matrix.protocol,
    port: matrix.port,
    ...(matrix.namespace ? { namespace: matrix.namespace } : {}),
    peers: matrix.peers,
    rows: markRows(matrix).map((marks) => marks.join('')),
    ...(grouped
      ? {
          groups: grouped.groups.map((g, i) => ({
            name: g.name,
            members: g.members.map((m) => m.id),
            row: grouped.groups.map((_, j) => groupMark(grouped, i, j)).join(''),
          })),
        }
      : {}),
    notes: matrix.notes,
  };
}
