import type { ClusterState } from '../model/cluster-state';
import { formatTable } from './kubectl-table';
import { sortedLabels } from './pods-table';
import { selectClusterScoped, withNamePrefix, type ListOptions } from './list-options';

/** Namespaces kubeadm creates; anything else came from the input. */
const BUILTIN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** `kubectl get namespaces`: cluster-scoped, so `-n` and `-A` do not apply. */
export function getNamespaces(state: ClusterState, options: ListOptions = {}): string {
  const headers = ['NAME', 'STATUS', 'AGE'];
  if (options.showLabels) headers.push('LABELS');
  const rows = selectClusterScoped(state.namespaces.values(), options).map((ns) => {
    const cells = [ns.name, 'Active', BUILTIN_NAMESPACES.has(ns.name) ? '10m' : '1m'];
    if (options.showLabels) cells.push(sortedLabels(ns.labels));
    return withNamePrefix(options, cells);
  });
  return formatTable(headers, rows);
}
