import { serviceEndpoints, type ServiceEndpoint } from '../kube-proxy/endpoints';
import type { ClusterState } from '../model/cluster-state';
import type { Node, Service, ServicePort } from '../model/resources';
import { drawInt } from '../util/rng';

export type UpstreamChoice =
  | {
      ok: true;
      service: Service;
      port: ServicePort;
      endpoint: ServiceEndpoint;
      candidates: ServiceEndpoint[];
      probability: number;
    }
  | { ok: false; status: 503; why: string }
  /** An ExternalName Service: the proxy resolves the name and connects to the answer. */
  | { ok: 'external-name'; service: Service; name: string; port: number };

/**
 * The upstream a proxy connects to for a Service backend. ingress-nginx (and Traefik, HAProxy by
 * default) read the Service's EndpointSlices and connect to a ready endpoint's pod IP and target
 * port directly, not to the ClusterIP, so kube-proxy is not involved on this leg
 * (ingress-nginx docs user-guide/nginx-configuration/annotations.md "service-upstream" is the
 * opt-out). No ready endpoint, no such Service or port → 503 Service Unavailable. The endpoint is a
 * seeded draw standing in for the controller's round-robin balancer.
 */
export function chooseUpstream(
  state: ClusterState,
  namespace: string,
  serviceName: string,
  port: { number?: number; name?: string },
  node: Node,
): UpstreamChoice {
  const service = state.services.get(`${namespace}/${serviceName}`);
  if (!service)
    return {
      ok: false,
      status: 503,
      why: `Service ${namespace}/${serviceName} does not exist: the controller answers 503`,
    };
  if (service.type === 'ExternalName') return externalNameUpstream(service, port);
  const servicePort = service.ports.find(
    (p) =>
      (port.number !== undefined ? p.port === port.number : p.name === port.name) &&
      p.protocol === 'TCP',
  );
  const wanted = port.number !== undefined ? `port ${port.number}` : `port named "${port.name}"`;
  if (!servicePort)
    return {
      ok: false,
      status: 503,
      why: `Service ${namespace}/${serviceName} has no ${wanted}: the controller answers 503`,
    };

  const candidates = serviceEndpoints(state, service, servicePort, node).filter((e) => e.ready);
  if (!candidates.length)
    return {
      ok: false,
      status: 503,
      why: `Service ${namespace}/${serviceName} has no ready endpoints: the controller answers 503 Service Unavailable`,
    };
  const endpoint = candidates[candidates.length === 1 ? 0 : drawInt(state, candidates.length)];
  return {
    ok: true,
    service,
    port: servicePort,
    endpoint,
    candidates,
    probability: 1 / candidates.length,
  };
}

/**
 * ingress-nginx's upstream for an ExternalName Service (controller.go externalNamePorts,
 * endpointslices.go): the Service's port matched by name or number gives the target port (its
 * targetPort, else its port); a Service without ports uses the Ingress's port number. The address
 * is the externalName itself, resolved when the request is proxied; localhost is refused.
 */
function externalNameUpstream(
  service: Service,
  port: { number?: number; name?: string },
): UpstreamChoice {
  const ref = `${service.namespace}/${service.name}`;
  const name = (service.externalName ?? '').replace(/\.$/, '');
  if (!name || name === 'localhost' || name.startsWith('127.'))
    return {
      ok: false,
      status: 503,
      why: `Service ${ref} is ExternalName ${name || '(empty)'}, which the controller refuses (no upstream): it answers 503`,
    };
  const matched =
    (port.name !== undefined ? service.ports.find((p) => p.name === port.name) : undefined) ??
    (port.number !== undefined ? service.ports.find((p) => p.port === port.number) : undefined);
  const target = matched
    ? typeof matched.targetPort === 'number'
      ? matched.targetPort
      : matched.port
    : port.number;
  if (target === undefined)
    return {
      ok: false,
      status: 503,
      why: `Service ${ref} is ExternalName and has no port named "${port.name}": the controller answers 503`,
    };
  return { ok: 'external-name', service, name, port: target };
}
