import type { Node, Taint, Toleration } from '../model/resources';

export const UNSCHEDULABLE_TAINT: Taint = {
  key: 'node.kubernetes.io/unschedulable',
  effect: 'NoSchedule',
};
export const UNREACHABLE_NO_SCHEDULE: Taint = {
  key: 'node.kubernetes.io/unreachable',
  effect: 'NoSchedule',
};
export const UNREACHABLE_NO_EXECUTE: Taint = {
  key: 'node.kubernetes.io/unreachable',
  effect: 'NoExecute',
};

/**
 * The node's taints plus the ones the control plane adds for its conditions: `unschedulable` on a
 * cordoned node, `unreachable` (NoSchedule and NoExecute) on a node that stopped reporting
 * (https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/#taint-based-evictions).
 */
export function effectiveTaints(node: Node): Taint[] {
  const taints = [...node.taints];
  const has = (t: Taint): boolean => taints.some((x) => x.key === t.key && x.effect === t.effect);
  if (node.unschedulable && !has(UNSCHEDULABLE_TAINT)) taints.push(UNSCHEDULABLE_TAINT);
  if (!node.ready) {
    if (!has(UNREACHABLE_NO_SCHEDULE)) taints.push(UNREACHABLE_NO_SCHEDULE);
    if (!has(UNREACHABLE_NO_EXECUTE)) taints.push(UNREACHABLE_NO_EXECUTE);
  }
  return taints;
}

/** v1helper Toleration.ToleratesTaint: empty effect matches all effects, `Exists` with no key matches all keys. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (!toleration.key && toleration.operator !== 'Exists') return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/**
 * The first NoSchedule/NoExecute taint the tolerations do not cover (taint_toleration.go
 * FindMatchingUntoleratedTaint), or null. The DefaultTolerationSeconds admission plugin gives every
 * pod tolerations for the not-ready/unreachable NoExecute taints, which `extra` carries.
 */
export function untoleratedTaint(
  taints: Taint[],
  tolerations: Toleration[],
  extra: Toleration[] = [],
): Taint | null {
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (
      !tolerations.some((t) => toleratesTaint(t, taint)) &&
      !extra.some((t) => toleratesTaint(t, taint))
    )
      return taint;
  }
  return null;
}

export const DEFAULT_NO_EXECUTE_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
];

/** Tolerations the DaemonSet controller adds to its pods (pkg/controller/daemon/util AddOrUpdateDaemonPodTolerations). */
export const DAEMONSET_TOLERATIONS: Toleration[] = [
  ...DEFAULT_NO_EXECUTE_TOLERATIONS,
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

export function formatTaint(taint: Taint): string {
  return `{${taint.key}: ${taint.value ?? ''}}`;
}
