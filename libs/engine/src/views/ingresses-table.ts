import type { ClusterState } from '../model/cluster-state';
import { readIngressObjects } from '../ingress/read-ingress';
import type { Ingress } from '../ingress/ingress-types';
import { publishedIngressStatus } from '../ingress/ingress-status';
import { formatTable, noResources } from './kubectl-table';
import {
  listedNamespace,
  selectNamespaced,
  withNamespaceColumn,
  type ListOptions,
} from './list-options';

/**
 * `kubectl get ingress`: NAME CLASS HOSTS ADDRESS PORTS AGE, as kubectl's printer builds it:
 * HOSTS lists rule hosts (`*` when none), ADDRESS the published `status.loadBalancer.ingress`,
 * PORTS `80`, or `80, 443` when the Ingress has a TLS section.
 */
export function getIngresses(state: ClusterState, options: ListOptions = {}): string {
  const ingresses = selectNamespaced(readIngressObjects(state.objects).ingresses, options);
  if (ingresses.length === 0) return noResources(listedNamespace(options));
  const rows = ingresses.map((ingress) => ({
    namespace: ingress.namespace,
    cells: ingressCells(state, ingress),
  }));
  const table = withNamespaceColumn(
    options,
    ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'],
    rows,
  );
  return formatTable(table.headers, table.rows);
}

function ingressCells(state: ClusterState, ingress: Ingress): string[] {
  const hosts = ingress.rules.map((r) => r.host).filter((h): h is string => !!h);
  const ports = ingress.tls.length ? '80, 443' : '80';
  // kubectl's AGE needs a clock; see views/age.ts for the engine's fixed value for user objects.
  return [
    ingress.name,
    ingress.ingressClassName ?? '<none>',
    hosts.length ? hosts.join(',') : '*',
    publishedAddress(state, ingress),
    ports,
    '1m',
  ];
}

function publishedAddress(state: ClusterState, ingress: Ingress): string {
  const stored = state.objects.find(
    (o) =>
      o.kind === 'Ingress' &&
      (o.namespace ?? 'default') === ingress.namespace &&
      o.name === ingress.name,
  );
  return stored
    ? publishedIngressStatus(stored)
        .map((a) => a.ip ?? a.hostname)
        .join(',')
    : '';
}
