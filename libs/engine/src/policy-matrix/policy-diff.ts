import type { ClusterState } from '../model/cluster-state';
import { hasBit } from './bitset';
import { connectivityMatrix } from './connectivity-matrix';
import type { Matrix, MatrixOptions } from './matrix-types';

export interface Connection {
  from: string;
  to: string;
}

export interface PolicyDiff {
  protocol: Matrix['protocol'];
  port: number;
  /** Denied before, allowed after. */
  opened: Connection[];
  /** Allowed before, denied after. */
  closed: Connection[];
  /** Pods present on one side only (`namespace/name`): their connections are not compared. */
  onlyBefore: string[];
  onlyAfter: string[];
}

/**
 * Which pod-to-pod connections a change opens and closes on one port. Pods are matched by
 * namespace/name; both sides' matrices come from the same compiler, so the diff is a bit compare.
 */
export function policyDiff(
  before: ClusterState,
  after: ClusterState,
  options: Omit<MatrixOptions, 'includeExternal'>,
): PolicyDiff {
  const a = connectivityMatrix(before, options);
  const b = connectivityMatrix(after, options);
  return diffMatrices(a, b);
}

export function diffMatrices(a: Matrix, b: Matrix): PolicyDiff {
  const indexInB = new Map(b.peers.map((p, i) => [p.id, i]));
  const idsInA = new Set(a.peers.map((p) => p.id));
  const common = a.peers.flatMap((p, i) =>
    p.kind === 'pod' && indexInB.has(p.id) ? [[i, indexInB.get(p.id)!] as const] : [],
  );
  const opened: Connection[] = [];
  const closed: Connection[] = [];
  for (const [srcA, srcB] of common) {
    for (const [dstA, dstB] of common) {
      const was = hasBit(a.rows[srcA], dstA);
      const is = hasBit(b.rows[srcB], dstB);
      if (was !== is) (is ? opened : closed).push({ from: a.peers[srcA].id, to: a.peers[dstA].id });
    }
  }
  return {
    protocol: a.protocol,
    port: a.port,
    opened,
    closed,
    onlyBefore: a.peers.filter((p) => p.kind === 'pod' && !indexInB.has(p.id)).map((p) => p.id),
    onlyAfter: b.peers.filter((p) => p.kind === 'pod' && !idsInA.has(p.id)).map((p) => p.id),
  };
}

export function renderPolicyDiff(diff: PolicyDiff): string {
  const lines = [
    `policy diff on ${diff.protocol}/${diff.port}: ${diff.opened.length} opened, ${diff.closed.length} closed`,
  ];
  for (const c of diff.opened) lines.push(`+ ${c.from} => ${c.to}`);
  for (const c of diff.closed) lines.push(`- ${c.from} => ${c.to}`);
  if (diff.onlyBefore.length)
    lines.push(`pods only before (not compared): ${diff.onlyBefore.join(' ')}`);
  if (diff.onlyAfter.length)
    lines.push(`pods only after (not compared): ${diff.onlyAfter.join(' ')}`);
  return `${lines.join('\n')}\n`;
}
