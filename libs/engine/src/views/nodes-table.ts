import type { ClusterState } from '../model/cluster-state';
import { formatTable } from './kubectl-table';
import { selectClusterScoped, withNamePrefix, type ListOptions } from './list-options';
import { NODE_INFO, nodeRoles, nodeStatus } from './node-facts';
import { sortedLabels } from './pods-table';

/** `kubectl get nodes [-o wide]`. Nodes are part of the cluster definition, so their AGE is the built-ins' one. */
export function getNodes(state: ClusterState, options: ListOptions = {}): string {
  const headers = ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'];
  if (options.wide)
    headers.push('INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME');
  if (options.showLabels) headers.push('LABELS');
  const rows = selectClusterScoped(state.nodes.values(), options).map((node) => {
    const roles = nodeRoles(node);
    const cells = [
      node.name,
      nodeStatus(node),
      roles.length ? roles.join(',') : '<none>',
      '10m',
      NODE_INFO.kubeletVersion,
    ];
    if (options.wide)
      cells.push(
        node.ip,
        '<none>',
        NODE_INFO.osImage,
        NODE_INFO.kernelVersion,
        NODE_INFO.containerRuntimeVersion,
      );
    if (options.showLabels) cells.push(sortedLabels(node.labels));
    return withNamePrefix(options, cells);
  });
  return formatTable(headers, rows);
}
