import type { ClusterState } from '../model/cluster-state';
import type { Labels, Pod } from '../model/resources';
import { formatLabels } from '../util/labels';
import { ageOf } from './age';
import { formatTable, noResources } from './kubectl-table';
import {
  listedNamespace,
  selectNamespaced,
  withNamespaceColumn,
  type ListOptions,
} from './list-options';

/** `kubectl get pods [-n NS | -A] [-o wide] [--show-labels]`. */
export function getPods(state: ClusterState, options: ListOptions = {}): string {
  const pods = selectNamespaced(state.pods.values(), options);
  if (pods.length === 0) return noResources(listedNamespace(options));
  const headers = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'];
  if (options.wide) headers.push('IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES');
  if (options.showLabels) headers.push('LABELS');
  const rows = pods.map((pod) => ({ namespace: pod.namespace, cells: podCells(pod, options) }));
  const table = withNamespaceColumn(options, headers, rows);
  return formatTable(table.headers, table.rows);
}

function podCells(pod: Pod, options: ListOptions): string[] {
  const cells = [pod.name, readyColumn(pod), podStatus(pod), '0', ageOf(pod)];
  if (options.wide) cells.push(pod.ip || '<none>', pod.nodeName || '<none>', '<none>', '<none>');
  if (options.showLabels) cells.push(sortedLabels(pod.labels));
  return cells;
}

/** READY counts ready containers; the engine models readiness per pod, so it is all or none. */
export function readyColumn(pod: Pod): string {
  const total = Math.max(pod.containers.length, 1);
  const ready = pod.phase === 'Running' && pod.ready && !pod.terminating ? total : 0;
  return `${ready}/${total}`;
}

/** kubectl shows `Terminating` for a pod with a deletionTimestamp, else the phase. */
export function podStatus(pod: Pod): string {
  return pod.terminating ? 'Terminating' : pod.phase;
}

/** kubectl prints labels sorted by key (apimachinery labels.Set.String). */
export function sortedLabels(labels: Labels): string {
  const sorted: Labels = {};
  for (const k of Object.keys(labels).sort()) sorted[k] = labels[k];
  return formatLabels(sorted);
}
