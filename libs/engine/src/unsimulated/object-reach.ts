/**
 * What one object of another implementation applies to: the pods its selector picks (Cilium,
 * Calico, Antrea, Istio and Linkerd policies, Istio sidecars), the proxy pods that route by it
 * (Traefik's IngressRoute), or the Services whose traffic it routes (Istio VirtualService and
 * DestinationRule, Contour HTTPProxy, Gateway API routes with a Service parent: GAMMA). Each
 * implementation's selector rules are followed closely enough to name the right pods; the engine
 * simulates none of what the objects then do.
 */
import type { ClusterState } from '../model/cluster-state';
import type { Labels, Pod, Service } from '../model/resources';
import type { StoredObject } from '../model/resources';
import type { UnsimulatedKind } from '../manifests/unsimulated-kinds';
import { lenientLabels, lenientSelector, selectorMatches } from '../util/labels';
import { parseCalicoSelector, type CalicoSelector } from './calico-selector';

export interface ObjectReach {
  pods: Pod[];
  services: Service[];
  /** Set when a selector could not be read, so every pod in scope is assumed selected. */
  unreadable?: string;
}

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function records(v: unknown): Json[] {
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

function specOf(object: StoredObject): Json {
  return isRecord(object.body.spec) ? object.body.spec : {};
}

/** Pods in `namespace`, or in every namespace for a cluster-wide object. */
function podsInScope(state: ClusterState, namespace: string | undefined): Pod[] {
  const pods = [...state.pods.values()].filter((p) => !p.hostNetwork);
  return namespace === undefined ? pods : pods.filter((p) => p.namespace === namespace);
}

function namespaceLabels(state: ClusterState, namespace: string): Labels {
  return state.namespaces.get(namespace)?.labels ?? {};
}

/** Cilium identity labels: the pod's, its namespace, and its namespace's labels (pkg/k8s/apis/cilium.io/const.go). */
function ciliumLabels(state: ClusterState, pod: Pod): Labels {
  const labels: Labels = { ...pod.labels, 'io.kubernetes.pod.namespace': pod.namespace };
  for (const [k, v] of Object.entries(namespaceLabels(state, pod.namespace)))
    labels[`io.cilium.k8s.namespace.labels.${k}`] = v;
  return labels;
}

/** `k8s:app` and `any:app` both mean the label `app` for a pod (Cilium label sources). */
const ciliumKey = (key: string): string => key.replace(/^(k8s|any):/, '');

function ciliumReach(state: ClusterState, object: StoredObject): ObjectReach {
  const spec = specOf(object);
  const rules = [spec, ...records(object.body.specs)];
  const selectors = rules
    .filter((rule) => isRecord(rule.endpointSelector))
    .map((rule) => lenientSelector(rule.endpointSelector, ciliumKey));
  const pods = podsInScope(state, object.namespace).filter((pod) =>
    selectors.some((s) => selectorMatches(s, ciliumLabels(state, pod))),
  );
  return { pods, services: [] };
}

/** The labels Calico matches a pod's workload endpoint against (its own plus projectcalico.org/* and pcns.*). */
function calicoLabels(state: ClusterState, pod: Pod): Labels {
  const labels: Labels = {
    ...pod.labels,
    'projectcalico.org/namespace': pod.namespace,
    'projectcalico.org/orchestrator': 'k8s',
  };
  for (const [k, v] of Object.entries(namespaceLabels(state, pod.namespace)))
    labels[`pcns.${k}`] = v;
  return labels;
}

function calicoReach(state: ClusterState, object: StoredObject): ObjectReach {
  const spec = specOf(object);
  const read = (field: string): CalicoSelector | null =>
    parseCalicoSelector(typeof spec[field] === 'string' ? (spec[field] as string) : '');
  const selector = read('selector');
  const namespaceSelector = object.namespace === undefined ? read('namespaceSelector') : () => true;
  const candidates = podsInScope(state, object.namespace);
  if (!selector || !namespaceSelector)
    return {
      pods: candidates,
      services: [],
      unreadable: `its ${selector ? 'namespaceSelector' : 'selector'} could not be read`,
    };
  const pods = candidates.filter(
    (pod) =>
      selector(calicoLabels(state, pod)) &&
      namespaceSelector({
        ...namespaceLabels(state, pod.namespace),
        'projectcalico.org/name': pod.namespace,
      }),
  );
  return { pods, services: [] };
}

function antreaReach(state: ClusterState, object: StoredObject): ObjectReach {
  const appliedTo = records(specOf(object).appliedTo);
  const candidates = podsInScope(state, object.namespace);
  if (!appliedTo.length) return { pods: candidates, services: [] };
  const pods = candidates.filter((pod) =>
    appliedTo.some(
      (a) =>
        (a.podSelector === undefined ||
          selectorMatches(lenientSelector(a.podSelector), pod.labels)) &&
        (a.namespaceSelector === undefined ||
          selectorMatches(
            lenientSelector(a.namespaceSelector),
            namespaceLabels(state, pod.namespace),
          )) &&
        (a.podSelector !== undefined || a.namespaceSelector !== undefined),
    ),
  );
  return { pods, services: [] };
}

/** Istio's root namespace: policies there apply mesh-wide. */
const ISTIO_ROOT_NAMESPACE = 'istio-system';

function istioWorkloadReach(
  state: ClusterState,
  object: StoredObject,
  selectorField: 'selector' | 'workloadSelector',
  labelsField: 'matchLabels' | 'labels',
): ObjectReach {
  const spec = specOf(object);
  const scope = object.namespace === ISTIO_ROOT_NAMESPACE ? undefined : object.namespace;
  const services = records(spec.targetRefs ?? (spec.targetRef ? [spec.targetRef] : []))
    .filter((ref) => ref.kind === 'Service' && typeof ref.name === 'string')
    .map((ref) => state.services.get(`${object.namespace}/${ref.name as string}`))
    .filter((s): s is Service => !!s);
  if (services.length) return { pods: [], services };
  const selector = isRecord(spec[selectorField])
    ? lenientLabels((spec[selectorField] as Json)[labelsField])
    : undefined;
  const pods = podsInScope(state, scope).filter(
    (pod) =>
      !selector || selectorMatches({ matchLabels: selector, matchExpressions: [] }, pod.labels),
  );
  return { pods, services: [] };
}

/** An Istio host: `reviews`, `reviews.bookinfo`, `reviews.bookinfo.svc.cluster.local`; wildcards and outside names match no Service. */
function serviceForHost(state: ClusterState, host: string, namespace: string): Service | undefined {
  const domain = `.svc.${state.config.clusterDomain}`;
  const name = host.endsWith(domain) ? host.slice(0, -domain.length) : host;
  const [service, ns, ...rest] = name.split('.');
  if (rest.length || !service || service === '*') return undefined;
  return state.services.get(`${ns ?? namespace}/${service}`);
}

function istioRoutingReach(state: ClusterState, object: StoredObject): ObjectReach {
  const spec = specOf(object);
  const namespace = object.namespace ?? 'default';
  const hosts = new Set<string>();
  if (typeof spec.host === 'string') hosts.add(spec.host);
  for (const h of Array.isArray(spec.hosts) ? spec.hosts : [])
    if (typeof h === 'string') hosts.add(h);
  for (const protocol of ['http', 'tcp', 'tls'])
    for (const rule of records(spec[protocol]))
      for (const route of records(rule.route))
        if (isRecord(route.destination) && typeof route.destination.host === 'string')
          hosts.add(route.destination.host);
  return { pods: [], services: servicesOf(state, [...hosts], namespace) };
}

function servicesOf(state: ClusterState, hosts: string[], namespace: string): Service[] {
  const out: Service[] = [];
  for (const host of hosts) {
    const svc = serviceForHost(state, host, namespace);
    if (svc && !out.includes(svc)) out.push(svc);
  }
  return out;
}

function linkerdReach(state: ClusterState, object: StoredObject): ObjectReach {
  const spec = specOf(object);
  if (object.kind !== 'Server' || !isRecord(spec.podSelector)) return { pods: [], services: [] };
  const selector = lenientSelector(spec.podSelector);
  return {
    pods: podsInScope(state, object.namespace).filter((p) => selectorMatches(selector, p.labels)),
    services: [],
  };
}

/** Traefik routes by its IngressRoutes (and their Middlewares) in its own pods. */
function traefikReach(state: ClusterState): ObjectReach {
  const pods = podsInScope(state, undefined).filter(
    (p) => p.labels['app.kubernetes.io/name'] === 'traefik',
  );
  return { pods, services: [] };
}

function contourReach(state: ClusterState, object: StoredObject): ObjectReach {
  const names = records(specOf(object).routes).flatMap((route) =>
    records(route.services)
      .map((s) => s.name)
      .filter((n): n is string => typeof n === 'string'),
  );
  return { pods: [], services: servicesOf(state, names, object.namespace ?? 'default') };
}

/** Gateway API routes with a Service parent (GAMMA): mesh routing of that Service's traffic. */
export function gammaReach(state: ClusterState, object: StoredObject): ObjectReach {
  const names = records(specOf(object).parentRefs)
    .filter(
      (p) =>
        p.kind === 'Service' && (p.group === '' || p.group === 'core' || p.group === undefined),
    )
    .map((p) => (typeof p.namespace === 'string' ? `${p.name}.${p.namespace}` : p.name))
    .filter((n): n is string => typeof n === 'string');
  return { pods: [], services: servicesOf(state, names, object.namespace ?? 'default') };
}

/** What the object applies to in this cluster. */
export function reachOf(
  state: ClusterState,
  object: StoredObject,
  entry: UnsimulatedKind,
): ObjectReach {
  switch (entry.product) {
    case 'Cilium':
      return ciliumReach(state, object);
    case 'Calico':
      return calicoReach(state, object);
    case 'Antrea':
      return antreaReach(state, object);
    case 'Istio':
      if (entry.kind === 'Sidecar')
        return istioWorkloadReach(state, object, 'workloadSelector', 'labels');
      return entry.concern === 'policy'
        ? istioWorkloadReach(state, object, 'selector', 'matchLabels')
        : istioRoutingReach(state, object);
    case 'Linkerd':
      return linkerdReach(state, object);
    case 'Traefik':
      return traefikReach(state);
    case 'Contour':
      return contourReach(state, object);
    case 'Gateway API':
      return gammaReach(state, object);
    default:
      return { pods: [], services: [] };
  }
}
