import type { ClusterState } from '../model/cluster-state';
import type { Deployment, LabelSelector } from '../model/resources';
import { clusterIndex } from '../model/lookup';
import { ageOf } from './age';
import { formatTable, noResources } from './kubectl-table';
import {
  listedNamespace,
  selectNamespaced,
  withNamespaceColumn,
  type ListOptions,
} from './list-options';

/** `kubectl get deployments`: NAME READY UP-TO-DATE AVAILABLE AGE (+ CONTAINERS IMAGES SELECTOR with -o wide). */
export function getDeployments(state: ClusterState, options: ListOptions = {}): string {
  const deployments = selectNamespaced(state.deployments.values(), options);
  if (deployments.length === 0) return noResources(listedNamespace(options));
  const headers = ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'];
  if (options.wide) headers.push('CONTAINERS', 'IMAGES', 'SELECTOR');
  const rows = deployments.map((d) => ({
    namespace: d.namespace,
    cells: deploymentCells(state, d, options),
  }));
  const table = withNamespaceColumn(options, headers, rows);
  return formatTable(table.headers, table.rows);
}

/** Rollouts are immediate in the engine, so every live pod is up to date; available = ready (minReadySeconds 0). */
export function deploymentStatus(
  state: ClusterState,
  d: Deployment,
): { updated: number; ready: number } {
  const pods = (
    clusterIndex(state).podsByOwnerWorkload.get(`${d.namespace}/${d.name}`) ?? []
  ).filter((p) => !p.terminating);
  return {
    updated: pods.length,
    ready: pods.filter((p) => p.phase === 'Running' && p.ready).length,
  };
}

function deploymentCells(state: ClusterState, d: Deployment, options: ListOptions): string[] {
  const { updated, ready } = deploymentStatus(state, d);
  const cells = [d.name, `${ready}/${d.replicas}`, String(updated), String(ready), ageOf(d)];
  if (options.wide) {
    cells.push(
      d.template.containers.map((c) => c.name).join(','),
      d.template.containers.map((c) => c.image).join(','),
      formatSelector(d.selector),
    );
  }
  return cells;
}

/** metav1.FormatLabelSelector: `app=website`, expressions as `key in (a,b)`. */
export function formatSelector(selector: LabelSelector): string {
  const parts = Object.keys(selector.matchLabels)
    .sort()
    .map((k) => `${k}=${selector.matchLabels[k]}`);
  for (const e of selector.matchExpressions) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${e.values.join(',')})`);
  }
  return parts.length ? parts.join(',') : '<none>';
}
