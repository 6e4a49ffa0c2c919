/**
 * The endpoint view CoreDNS's `kubernetes` plugin builds from EndpointSlices, and its reverse index,
 * computed once per state version (like model/lookup.ts) so a query never scans every Service.
 */
import { derivedPerVersion } from '../model/derived';
import type { ClusterState } from '../model/cluster-state';
import type { EndpointPort, Service } from '../model/resources';
import { clusterIndex } from '../model/lookup';
import { dashedAddress, serviceFqdn } from './dns-names';

export interface PublishedEndpoint {
  ip: string;
  /** `hostname` of the endpoint, else the dashed address (coredns kubernetes.go endpointHostname). */
  name: string;
  /** The slice's ports; empty when the slice has none (CoreDNS then uses a port-less sentinel). */
  ports: EndpointPort[];
}

interface ZoneIndex {
  endpoints: Map<string, PublishedEndpoint[]>;
  /** Address → PTR targets; built on the first reverse query. */
  reverse: Map<string, string[]> | null;
}

/** Filled lazily per Service (and for reverse lookups) within one state version. */
const zoneIndex = derivedPerVersion((): ZoneIndex => ({ endpoints: new Map(), reverse: null }));

/**
 * Endpoints CoreDNS publishes for a Service: those whose `ready` condition is true (coredns
 * object/endpoint.go endpointsliceReady). The EndpointSlice controller already marks every endpoint
 * ready when the Service sets publishNotReadyAddresses; the engine also honours the flag on
 * user-managed slices, where CoreDNS itself only reads the condition.
 */
export function publishedEndpoints(state: ClusterState, service: Service): PublishedEndpoint[] {
  const index = zoneIndex(state);
  const key = `${service.namespace}/${service.name}`;
  const hit = index.endpoints.get(key);
  if (hit) return hit;
  const list: PublishedEndpoint[] = [];
  for (const slice of clusterIndex(state).slicesByService.get(key) ?? []) {
    if (slice.addressType === 'FQDN') continue;
    for (const endpoint of slice.endpoints) {
      if (!endpoint.conditions.ready && !service.publishNotReadyAddresses) continue;
      for (const ip of endpoint.addresses)
        list.push({ ip, name: endpoint.hostname || dashedAddress(ip), ports: slice.ports });
    }
  }
  index.endpoints.set(key, list);
  return list;
}

/**
 * PTR targets for an address (coredns plugin/kubernetes/reverse.go serviceRecordForIP): a Service
 * ClusterIP names the Service (the first one only); otherwise every Service endpoint with that
 * address names `<endpoint>.<svc>.<ns>.svc.<zone>` — for ClusterIP Services too, not only headless.
 */
export function ptrTargets(state: ClusterState, ip: string): string[] {
  const index = zoneIndex(state);
  if (!index.reverse) index.reverse = buildReverse(state);
  return index.reverse.get(ip) ?? [];
}

function buildReverse(state: ClusterState): Map<string, string[]> {
  const zone = state.config.clusterDomain.toLowerCase();
  const reverse = new Map<string, string[]>();
  for (const svc of state.services.values()) {
    if (
      svc.clusterIP &&
      svc.clusterIP !== 'None' &&
      svc.type !== 'ExternalName' &&
      !reverse.has(svc.clusterIP)
    ) {
      reverse.set(svc.clusterIP, [serviceFqdn(svc.name, svc.namespace, zone)]);
    }
  }
  const clusterIPs = new Set(reverse.keys());
  for (const svc of state.services.values()) {
    if (svc.type === 'ExternalName') continue;
    for (const ep of publishedEndpoints(state, svc)) {
      if (clusterIPs.has(ep.ip)) continue;
      const target = `${ep.name}.${serviceFqdn(svc.name, svc.namespace, zone)}`;
      const list = reverse.get(ep.ip);
      if (!list) reverse.set(ep.ip, [target]);
      else if (!list.includes(target)) list.push(target);
    }
  }
  return reverse;
}
