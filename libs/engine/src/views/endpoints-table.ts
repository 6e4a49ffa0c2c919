import type { ClusterState } from '../model/cluster-state';
import type { EndpointPort, Service } from '../model/resources';
import { clusterIndex } from '../model/lookup';
import { ageOf } from './age';
import { formatTable, noResources } from './kubectl-table';
import type { KubernetesObject } from './kubernetes-object';
import {
  listedNamespace,
  selectNamespaced,
  withNamespaceColumn,
  type ListOptions,
} from './list-options';
import { sortedLabels } from './pods-table';

/** One v1 Endpoints object: ready addresses (sorted, as the controller repacks them) and ports. */
interface EndpointsView {
  service: Service;
  ready: string[];
  notReady: string[];
  ports: EndpointPort[];
}

/**
 * The Endpoints a cluster holds: the endpoints controller keeps one per Service with a selector,
 * and a selectorless Service has one when its endpoints were written by hand (the engine keeps them
 * as mirrored EndpointSlices). Both are read back from the Service's EndpointSlices.
 */
export function endpointsOf(state: ClusterState, options: ListOptions): EndpointsView[] {
  const slicesByService = clusterIndex(state).slicesByService;
  return selectNamespaced(state.services.values(), options).flatMap((service) => {
    const slices = slicesByService.get(`${service.namespace}/${service.name}`) ?? [];
    if (!service.selector && slices.length === 0) return [];
    const ready = new Set<string>();
    const notReady = new Set<string>();
    const ports: EndpointPort[] = [];
    for (const slice of slices) {
      for (const endpoint of slice.endpoints)
        for (const address of endpoint.addresses)
          (endpoint.conditions.ready ? ready : notReady).add(address);
      for (const port of slice.ports)
        if (!ports.some((p) => p.name === port.name && p.port === port.port)) ports.push(port);
    }
    return [{ service, ready: [...ready].sort(), notReady: [...notReady].sort(), ports }];
  });
}

/** `kubectl get endpoints`: NAME ENDPOINTS AGE. */
export function getEndpoints(state: ClusterState, options: ListOptions = {}): string {
  const endpoints = endpointsOf(state, options);
  if (endpoints.length === 0) return noResources(listedNamespace(options));
  const headers = ['NAME', 'ENDPOINTS', 'AGE'];
  if (options.showLabels) headers.push('LABELS');
  const rows = endpoints.map((e) => ({
    namespace: e.service.namespace,
    cells: [
      e.service.name,
      formatEndpoints(e),
      ageOf(e.service),
      ...(options.showLabels ? [sortedLabels(e.service.labels)] : []),
    ],
  }));
  const table = withNamespaceColumn(options, headers, rows);
  return formatTable(table.headers, table.rows);
}

const MAX_LISTED = 3;

/**
 * kubectl's formatEndpoints: for each port, each ready address as `ip:port` (the bare IP when the
 * Service has no ports), the first three then ` + N more...`; `<none>` when there are none.
 */
function formatEndpoints(e: EndpointsView): string {
  const all = e.ports.length
    ? e.ports.flatMap((port) => e.ready.map((ip) => `${ip}:${port.port}`))
    : e.ready;
  if (all.length === 0) return '<none>';
  const shown = all.slice(0, MAX_LISTED).join(',');
  return all.length > MAX_LISTED ? `${shown} + ${all.length - MAX_LISTED} more...` : shown;
}

/** The v1 Endpoints object in the API server's shape (one subset). */
export function endpointsObject(e: EndpointsView): KubernetesObject {
  const subset: Record<string, unknown> = {};
  if (e.ready.length) subset.addresses = e.ready.map((ip) => ({ ip }));
  if (e.notReady.length) subset.notReadyAddresses = e.notReady.map((ip) => ({ ip }));
  if (e.ports.length)
    subset.ports = e.ports.map((p) => ({
      ...(p.name ? { name: p.name } : {}),
      port: p.port,
      protocol: p.protocol,
    }));
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: e.service.name, namespace: e.service.namespace },
    ...(Object.keys(subset).length > 1 || subset.addresses ? { subsets: [subset] } : {}),
  };
}
