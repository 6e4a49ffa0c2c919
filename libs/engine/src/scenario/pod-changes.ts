import type { ClusterState } from '../model/cluster-state';

interface PodSnapshot {
  ip: string;
  node: string;
  terminating: boolean;
}

export type PodSnapshots = Map<string, PodSnapshot>;

export function snapshotPods(state: ClusterState): PodSnapshots {
  const out: PodSnapshots = new Map();
  for (const [k, p] of state.pods)
    out.set(k, { ip: p.ip, node: p.nodeName, terminating: p.terminating });
  return out;
}

/** Lines like `- default/website-5d755d9996-2h4c2 (10.244.1.2 on worker) deleted`, so a learner sees what a mutation did. */
export function describePodChanges(before: PodSnapshots, after: PodSnapshots): string[] {
  const lines: string[] = [];
  const where = (p: PodSnapshot) => (p.ip ? `${p.ip} on ${p.node}` : 'Pending, no node');
  for (const [k, p] of before) {
    const now = after.get(k);
    if (!now) lines.push(`- pod ${k} (${where(p)}) deleted`);
    else if (now.terminating && !p.terminating) lines.push(`~ pod ${k} (${where(p)}) terminating`);
  }
  for (const [k, p] of after) if (!before.has(k)) lines.push(`+ pod ${k} (${where(p)}) created`);
  return lines;
}
