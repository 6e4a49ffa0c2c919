import type { ClusterState } from '../model/cluster-state';
import { locationFields, objectRef, type EngineIssue } from '../model/issues';
import type { EndpointSlice } from '../model/resources';
import type { MirroredEndpoints } from '../manifests/manifest-set';
import { MIRRORING_CONTROLLER } from '../manifests/read-endpoints';
import { nextSeq, touch } from './new-state';

/**
 * The EndpointSlice mirroring controller (pkg/controller/endpointslicemirroring): v1 Endpoints become
 * slices only for a Service that exists and has no selector, and never when the Endpoints carries
 * `endpointslice.kubernetes.io/skip-mirror: "true"`. For a Service with a selector the Endpoints
 * object is the endpoints controller's output and the EndpointSlice controller writes the slices,
 * so nothing is mirrored. Earlier mirrored slices of the same Endpoints are replaced.
 */
export function mirrorEndpoints(
  state: ClusterState,
  endpoints: MirroredEndpoints[],
): EngineIssue[] {
  const issues: EngineIssue[] = [];
  for (const item of endpoints) {
    const svc = state.services.get(`${item.namespace}/${item.name}`);
    removeMirrored(state, item.namespace, item.name);
    if (item.skipMirror) continue;
    if (!svc) {
      issues.push({
        severity: 'warning',
        code: 'NOT_FOUND',
        ...locationFields(item.location),
        object: objectRef('Endpoints', item.namespace, item.name),
        message: `no Service ${item.namespace}/${item.name}: the EndpointSlice mirroring controller only mirrors the Endpoints of an existing Service, so no traffic reaches these addresses`,
      });
      continue;
    }
    if (svc.selector && Object.keys(svc.selector).length) continue;
    for (const slice of item.slices) {
      const copy: EndpointSlice = structuredClone(slice);
      copy.createdSeq = nextSeq(state);
      state.endpointSlices.set(`${copy.namespace}/${copy.name}`, copy);
    }
    touch(state);
  }
  return issues;
}

function removeMirrored(state: ClusterState, namespace: string, service: string): void {
  for (const [k, slice] of state.endpointSlices) {
    if (slice.namespace !== namespace || slice.serviceName !== service) continue;
    if (slice.managedBy !== MIRRORING_CONTROLLER || slice.origin.kind !== 'manifest') continue;
    state.endpointSlices.delete(k);
    touch(state);
  }
}
