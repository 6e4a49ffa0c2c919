import { isObject } from '../manifests/field-reader';
import type { ClusterState } from '../model/cluster-state';
import type { StoredObject } from '../model/resources';
import { controllerProfileFor } from './controller-profiles';
import { servedIngresses } from './ingress-classes';
import { readIngressObjects } from './read-ingress';

export type IngressAddress = { ip?: string; hostname?: string };

/**
 * `status.loadBalancer.ingress` of every served Ingress (`namespace/name` → addresses), as the
 * controllers publish it: the LoadBalancer address of the controller Service when it has one
 * (ingress-nginx --publish-service), else the IPs of the nodes running controller pods (what
 * ingress-nginx reports for a NodePort install). An Ingress no installed controller serves gets
 * no address (ingress-controller-conformance ingress_class.feature).
 */
export function ingressAddresses(state: ClusterState): Map<string, IngressAddress[]> {
  const out = new Map<string, IngressAddress[]>();
  const specs = state.config.ingressControllers ?? [];
  if (!specs.length) return out;
  const read = readIngressObjects(state.objects);
  for (const spec of specs) {
    const profile = controllerProfileFor(spec);
    const service = state.services.get(`${profile.namespace}/${profile.workload}`);
    let addresses: IngressAddress[] =
      service?.loadBalancerIngress.filter((a) => a.ip || a.hostname).map((a) => ({ ...a })) ?? [];
    if (!addresses.length) {
      const nodes = [...state.pods.values()]
        .filter(
          (p) =>
            p.namespace === profile.namespace &&
            p.labels['app.kubernetes.io/name'] === profile.appName &&
            p.nodeName &&
            !p.terminating,
        )
        .map((p) => state.nodes.get(p.nodeName)?.ip)
        .filter((ip): ip is string => !!ip);
      addresses = [...new Set(nodes)].sort().map((ip) => ({ ip }));
    }
    for (const ingress of servedIngresses(profile, read.ingresses, read.classes).served) {
      const key = `${ingress.namespace}/${ingress.name}`;
      if (!out.has(key) && addresses.length) out.set(key, addresses);
    }
  }
  return out;
}

/**
 * The addresses in a stored Ingress's `status.loadBalancer.ingress`: what publishIngressStatus wrote
 * during reconcile, or a status given in the input when no installed controller serves it.
 */
export function publishedIngressStatus(object: StoredObject): IngressAddress[] {
  const status = isObject(object.body.status) ? object.body.status : undefined;
  const loadBalancer = status && isObject(status.loadBalancer) ? status.loadBalancer : undefined;
  const entries = loadBalancer && Array.isArray(loadBalancer.ingress) ? loadBalancer.ingress : [];
  return entries.filter(isObject).map((e) => ({
    ...(typeof e.ip === 'string' ? { ip: e.ip } : {}),
    ...(typeof e.hostname === 'string' ? { hostname: e.hostname } : {}),
  }));
}

/**
 * Writes the addresses into the stored Ingresses' `status.loadBalancer`, only where they changed,
 * so a second reconcile pass leaves the state untouched.
 */
export function publishIngressStatus(state: ClusterState): void {
  if (!state.config.ingressControllers?.length) return;
  const addresses = ingressAddresses(state);
  for (const object of state.objects) {
    if (object.kind !== 'Ingress') continue;
    const list = addresses.get(`${object.namespace ?? 'default'}/${object.name}`) ?? [];
    const status = { loadBalancer: list.length ? { ingress: list } : {} };
    const current = isObject(object.body.status) ? object.body.status : undefined;
    if (JSON.stringify(current ?? {}) !== JSON.stringify(status)) object.body.status = status;
  }
}
