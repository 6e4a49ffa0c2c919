import type { ClusterState } from '../model/cluster-state';
import type { EndpointSlice } from '../model/resources';
import { ageOf } from './age';
import { formatTable, noResources } from './kubectl-table';
import {
  listedNamespace,
  selectNamespaced,
  withNamespaceColumn,
  type ListOptions,
} from './list-options';

/** `kubectl get endpointslices`: NAME ADDRESSTYPE PORTS ENDPOINTS AGE. */
export function getEndpointSlices(state: ClusterState, options: ListOptions = {}): string {
  const slices = selectNamespaced(state.endpointSlices.values(), options);
  if (slices.length === 0) return noResources(listedNamespace(options));
  const rows = slices.map((slice) => ({
    namespace: slice.namespace,
    cells: [
      slice.name,
      slice.addressType,
      sliceEndpointPorts(slice),
      sliceEndpoints(slice),
      ageOf(slice),
    ],
  }));
  const table = withNamespaceColumn(
    options,
    ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
    rows,
  );
  return formatTable(table.headers, table.rows);
}

const MAX_LISTED = 3;

/**
 * kubectl printers formatDiscoveryPorts/formatDiscoveryEndpoints + listWithMoreString: the first
 * three entries, then ` + N more...`; `<unset>` when empty. Every address is listed, ready or not.
 */
export function sliceEndpoints(slice: EndpointSlice): string {
  return listWithMore(slice.endpoints.flatMap((e) => e.addresses));
}

export function sliceEndpointPorts(slice: EndpointSlice): string {
  return listWithMore(slice.ports.map((p) => String(p.port)));
}

function listWithMore(items: string[]): string {
  if (items.length === 0) return '<unset>';
  const shown = items.slice(0, MAX_LISTED).join(',');
  return items.length > MAX_LISTED ? `${shown} + ${items.length - MAX_LISTED} more...` : shown;
}
