import type { ClusterState } from '../model/cluster-state';
import type { Endpoint, EndpointPort, EndpointSlice, Pod, Service } from '../model/resources';
import {
  controllerOrigin,
  ENDPOINTSLICE_CONTROLLER,
  MANAGED_BY_LABEL,
  SERVICE_NAME_LABEL,
} from './defaults';
import type { EngineIssue } from '../model/issues';
import { creationLimitsOf, limitExceeded } from './creation-limits';
import { nextSeq, touch } from './new-state';
import { effectivelyReady, generateName } from './pod-factory';

/** --max-endpoints-per-slice default (kube-controller-manager). */
export const MAX_ENDPOINTS_PER_SLICE = 100;

/** A Service whose endpoints the controller manages: it has a non-empty selector and is not ExternalName. */
export function hasManagedEndpoints(svc: Service): boolean {
  return svc.type !== 'ExternalName' && !!svc.selector && Object.keys(svc.selector).length > 0;
}

/**
 * The EndpointSlice controller (pkg/controller/endpointslice/reconciler.go): for every Service with a
 * selector, the matching pods that have an IP become endpoints, grouped by the port list they
 * resolve to (a named targetPort is looked up per pod, so pods can differ), at most 100 per slice.
 * A Service with no matching pods still gets one empty slice. Existing slices are reused, so names
 * (`<service>-<5 random chars>`) stay stable; slices of selector-less Services are left to their users.
 */
export function syncEndpointSlices(state: ClusterState): EngineIssue[] {
  const podIndex = indexPodsByLabel(state);
  // Every Service may select every pod: the endpoints to write are counted (from the label index,
  // an upper bound) before any slice is built.
  const maxEndpoints = creationLimitsOf(state).maxEndpoints;
  let endpoints = 0;
  for (const svc of state.services.values())
    if (hasManagedEndpoints(svc)) endpoints += candidatePods(podIndex, svc).length;
  if (endpoints > maxEndpoints)
    return [
      limitExceeded(
        `the Services select ${endpoints} endpoints in all; the limit is ${maxEndpoints}`,
      ),
    ];
  const existing = new Map<string, EndpointSlice[]>();
  for (const slice of state.endpointSlices.values()) {
    if (slice.managedBy !== ENDPOINTSLICE_CONTROLLER) continue;
    const k = `${slice.namespace}/${slice.serviceName}`;
    const list = existing.get(k);
    if (list) list.push(slice);
    else existing.set(k, [slice]);
  }
  const handled = new Set<string>();
  for (const svc of state.services.values()) {
    if (!hasManagedEndpoints(svc)) continue;
    const k = `${svc.namespace}/${svc.name}`;
    handled.add(k);
    reconcileService(state, svc, candidatePods(podIndex, svc), existing.get(k) ?? []);
  }
  for (const [k, slices] of existing) {
    if (handled.has(k)) continue;
    for (const slice of slices) state.endpointSlices.delete(`${slice.namespace}/${slice.name}`);
    touch(state);
  }
  return [];
}

interface DesiredSlice {
  portKey: string;
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

function reconcileService(
  state: ClusterState,
  svc: Service,
  pods: Pod[],
  existing: EndpointSlice[],
): void {
  const groups = new Map<string, DesiredSlice>();
  for (const pod of pods) {
    if (!pod.ip || !mapMatches(svc.selector ?? {}, pod.labels)) continue;
    if (!state.nodes.has(pod.nodeName)) continue;
    const ports = endpointPorts(svc, pod);
    const portKey = portsKey(ports);
    let group = groups.get(portKey);
    if (!group) groups.set(portKey, (group = { portKey, ports, endpoints: [] }));
    group.endpoints.push(podEndpoint(state, svc, pod));
  }
  const desired: DesiredSlice[] = [];
  for (const group of groups.values()) {
    for (let i = 0; i < group.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE)
      desired.push({ ...group, endpoints: group.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
  }
  // A Service with no endpoints still gets a placeholder slice with no ports (reconciler.go placeholder).
  if (!desired.length) desired.push({ portKey: '', ports: [], endpoints: [] });

  const unused = [...existing];
  const take = (portKey: string): EndpointSlice | undefined => {
    const at = unused.findIndex((s) => portsKey(s.ports) === portKey);
    const index = at >= 0 ? at : desired.length === 1 && unused.length ? 0 : -1;
    return index >= 0 ? unused.splice(index, 1)[0] : undefined;
  };
  for (const want of desired) {
    const slice = take(want.portKey) ?? newSlice(state, svc);
    const labels = sliceLabels(svc);
    const changed =
      portsKey(slice.ports) !== want.portKey ||
      !sameEndpoints(slice.endpoints, want.endpoints) ||
      !sameLabels(slice.labels, labels);
    if (!changed) continue;
    slice.ports = want.ports;
    slice.endpoints = want.endpoints;
    slice.labels = labels;
    touch(state);
  }
  for (const slice of unused) {
    state.endpointSlices.delete(`${slice.namespace}/${slice.name}`);
    touch(state);
  }
}

/** The Service's labels are copied onto its slices, plus the two the controller owns. */
function sliceLabels(svc: Service): Record<string, string> {
  return {
    ...svc.labels,
    [SERVICE_NAME_LABEL]: svc.name,
    [MANAGED_BY_LABEL]: ENDPOINTSLICE_CONTROLLER,
  };
}

function newSlice(state: ClusterState, svc: Service): EndpointSlice {
  const name = generateName(
    state,
    svc.namespace,
    (n) => state.endpointSlices.has(`${svc.namespace}/${n}`),
    `${svc.name}-`,
  );
  const slice: EndpointSlice = {
    namespace: svc.namespace,
    name,
    labels: sliceLabels(svc),
    annotations: {},
    createdSeq: nextSeq(state),
    origin: controllerOrigin('endpointslice-controller'),
    serviceName: svc.name,
    addressType: 'IPv4',
    ports: [],
    endpoints: [],
    managedBy: ENDPOINTSLICE_CONTROLLER,
  };
  state.endpointSlices.set(`${svc.namespace}/${name}`, slice);
  touch(state);
  return slice;
}

/**
 * Endpoint conditions (endpointslice utils podToEndpoint): serving = the pod is Ready; ready = serving
 * and not terminating, or always true with publishNotReadyAddresses. A pod on a NotReady node counts
 * as not Ready, as the node lifecycle controller marks it.
 */
function podEndpoint(state: ClusterState, svc: Service, pod: Pod): Endpoint {
  const podReady = effectivelyReady(state, pod);
  const ready = svc.publishNotReadyAddresses || (podReady && !pod.terminating);
  const endpoint: Endpoint = {
    addresses: [pod.ip],
    conditions: { ready, serving: podReady, terminating: pod.terminating },
  };
  // Only a pod whose subdomain names this Service gets a hostname record (endpointslice utils).
  if (pod.hostname && pod.subdomain === svc.name) endpoint.hostname = pod.hostname;
  endpoint.nodeName = pod.nodeName;
  const zone = state.nodes.get(pod.nodeName)?.labels['topology.kubernetes.io/zone'];
  if (zone) endpoint.zone = zone;
  endpoint.targetRef = { kind: 'Pod', namespace: pod.namespace, name: pod.name };
  return endpoint;
}

/**
 * One EndpointPort per Service port the pod can serve: a numeric targetPort as is, a named one looked
 * up among the pod's container ports with the same protocol (podutil.FindPort); a pod without that
 * name is left out of that port.
 */
function endpointPorts(svc: Service, pod: Pod): EndpointPort[] {
  const ports: EndpointPort[] = [];
  for (const sp of svc.ports) {
    let port: number | undefined;
    if (typeof sp.targetPort === 'number') port = sp.targetPort;
    else {
      for (const c of pod.containers) {
        const found = c.ports.find(
          (cp) => cp.name === sp.targetPort && cp.protocol === sp.protocol,
        );
        if (found) {
          port = found.containerPort;
          break;
        }
      }
    }
    if (port === undefined) continue;
    const ep: EndpointPort = { ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol };
    if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
    ports.push(ep);
  }
  return ports;
}

function portsKey(ports: EndpointPort[]): string {
  return ports
    .map((p) => `${p.name ?? ''}/${p.port}/${p.protocol}/${p.appProtocol ?? ''}`)
    .join(',');
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => a[k] === b[k]);
}

/** Field-by-field comparison: this runs for every slice on every reconcile, so no serialisation. */
function sameEndpoints(a: Endpoint[], b: Endpoint[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (
      x.addresses.length !== y.addresses.length ||
      x.addresses.some((ip, j) => ip !== y.addresses[j]) ||
      x.conditions.ready !== y.conditions.ready ||
      x.conditions.serving !== y.conditions.serving ||
      x.conditions.terminating !== y.conditions.terminating ||
      x.hostname !== y.hostname ||
      x.nodeName !== y.nodeName ||
      x.zone !== y.zone ||
      x.targetRef?.namespace !== y.targetRef?.namespace ||
      x.targetRef?.name !== y.targetRef?.name
    )
      return false;
  }
  return true;
}

function mapMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}

/** Pods by `namespace\0key=value`, so each Service scans only the pods sharing its rarest selector label. */
function indexPodsByLabel(state: ClusterState): Map<string, Pod[]> {
  const index = new Map<string, Pod[]>();
  for (const pod of state.pods.values()) {
    if (!pod.ip) continue;
    for (const k in pod.labels) {
      const entry = `${pod.namespace}\0${k}=${pod.labels[k]}`;
      const list = index.get(entry);
      if (list) list.push(pod);
      else index.set(entry, [pod]);
    }
  }
  return index;
}

function candidatePods(index: Map<string, Pod[]>, svc: Service): Pod[] {
  let best: Pod[] | null = null;
  for (const k in svc.selector) {
    const list = index.get(`${svc.namespace}\0${k}=${svc.selector[k]}`);
    if (!list) return [];
    if (!best || list.length < best.length) best = list;
  }
  return best ?? [];
}
