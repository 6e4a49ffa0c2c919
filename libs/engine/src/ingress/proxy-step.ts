import { hop } from '../trace/hop-draft';
import type { NetworkEndpoint } from '../cni/network-endpoint';
import { gatewayLeg } from '../gateway-api/gateway-leg';
import type { ClusterState } from '../model/cluster-state';
import type { Pod } from '../model/resources';
import type { Packet } from '../trace/trace-types';
import type { TraceBuilder } from '../trace/trace-builder';
import { CONTROLLER_PROFILES, type ControllerProfile } from './controller-profiles';
import type { HttpRequest } from './http-request';
import { servedIngresses } from './ingress-classes';
import { ingressRef } from './ingress-types';
import {
  decisionHop,
  proxyToService,
  respond,
  type ConnectionCarrier,
  type ProxyContext,
  type ProxyOutcome,
} from './proxy-response';
import { readIngressObjects } from './read-ingress';
import { routeIngressRequest, type TlsTermination } from './route-ingress';

/** The ingress controller profile running in this pod, if it is one (matched by namespace and `app.kubernetes.io/name`). */
export function controllerProfileOf(pod: Pod): ControllerProfile | undefined {
  return Object.values(CONTROLLER_PROFILES).find(
    (p) => p.namespace === pod.namespace && pod.labels['app.kubernetes.io/name'] === p.appName,
  );
}

/**
 * The hook after kube-proxy delivered an HTTP request to an ingress controller pod: TLS
 * termination, the controller's routing decision (Gateway API listeners first, then Ingress
 * rules), and the new upstream connection to the chosen backend pod. Null when the pod is not an
 * ingress controller, so the probe ends at the pod as before.
 */
export function proxyThroughController(
  state: ClusterState,
  trace: TraceBuilder,
  arrived: NetworkEndpoint,
  packet: Packet,
  request: HttpRequest,
  carry: ConnectionCarrier,
): ProxyOutcome | null {
  if (arrived.kind !== 'pod') return null;
  const profile = controllerProfileOf(arrived.pod);
  if (!profile) return null;
  const port = packet.dst.port ?? 0;
  const scheme = port === profile.ports.https ? 'https' : 'http';
  const ctx: ProxyContext = {
    state,
    trace,
    profile,
    pod: arrived.pod,
    node: arrived.node,
    packet,
    request: { ...request, scheme },
    carry,
  };
  trace.note(...profile.notes);
  const viaGateway = gatewayLeg(ctx, port === profile.ports.https ? 443 : 80);
  if (viaGateway) return viaGateway;
  return ingressLeg(ctx);
}

function ingressLeg(ctx: ProxyContext): ProxyOutcome {
  const { state, profile, request } = ctx;
  const read = readIngressObjects(state.objects);
  const { served, ignored } = servedIngresses(profile, read.ingresses, read.classes);
  for (const { ingress, why } of ignored)
    ctx.trace.note(`${profile.product} ignores Ingress ${ingressRef(ingress)}: ${why}.`);
  const route = routeIngressRequest(profile, served, request);
  if (route.tls) tlsHop(ctx, route.tls);
  const details: Record<string, unknown> = {
    controller: profile.product,
    server: route.server,
    why: route.why,
  };
  if (route.kind === 'backend') {
    details.ingress = ingressRef(route.ingress);
    if (route.location)
      Object.assign(details, {
        host: route.location.host ?? '*',
        path: route.location.path,
        pathType: route.location.pathType,
      });
    else details.defaultBackend = true;
  } else {
    details.status = route.status;
    if (route.ingress) details.ingress = ingressRef(route.ingress);
  }
  decisionHop(
    ctx,
    `${profile.product} routes "${request.method} ${request.path}" (Host: ${request.host}): ${route.why}`,
    details,
  );
  if (route.kind === 'response') return respond(ctx, route.status, route.why, route.location);
  const service = route.backend.service;
  if (!service) {
    ctx.trace.note(
      'Ingress resource backends (spec.backend.resource) point at non-Service objects such as storage buckets; the engine does not simulate them.',
    );
    return respond(
      ctx,
      503,
      `the backend is a ${route.backend.resource?.kind ?? 'resource'} reference, which ${profile.product} cannot proxy to`,
    );
  }
  return proxyToService(ctx, route.ingress.namespace, service.name, service.port);
}

function tlsHop(ctx: ProxyContext, tls: TlsTermination): void {
  const description = `${ctx.profile.product} terminates TLS: ${tls.why}`;
  ctx.trace.add('request', [
    hop({
      component: 'ingress-controller',
      observationPoint: 'TO_PROXY',
      node: ctx.node.name,
      packet: ctx.packet,
      description,
      details: { tls: true, secret: tls.secret },
    }),
  ]);
}
