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
  | { ok: false; status: 503; why: string };

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
  if (service.type === 'ExternalName')
    return {
      ok: false,
      status: 503,
      why: `Service ${namespace}/${serviceName} is ExternalName: proxying to external names is not simulated`,
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
